namespace PSSyscall.Engine.Seccomp;

/// <summary>The Linux capability names (linux/capability.h, 0 to CAP_LAST_CAP = 40), the one table
/// for Docker profiles' includes/excludes, New-SeccompFilter and Invoke-Sandboxed -Capability and
/// their completion: with or without "CAP_", any case.</summary>
public static class LinuxCapabilities
{
    /// <summary>Index = capability number.</summary>
    public static IReadOnlyList<string> Names { get; } = new[]
    {
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
        "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
        "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    };

    private static readonly HashSet<string> Known = new(Names, StringComparer.OrdinalIgnoreCase);

    /// <summary>True for a capability name (CAP_SYS_ADMIN, sys_admin) or ALL.</summary>
    public static bool IsKnown(string name)
    {
        string n = name.Trim();
        return n.Equals("ALL", StringComparison.OrdinalIgnoreCase)
               || Known.Contains(n.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? n : "CAP_" + n);
    }

    /// <summary>The capability's number, or -1 for a name the kernel does not have.</summary>
    public static int Number(string name)
    {
        string upper = name.Trim().ToUpperInvariant();
        if (!upper.StartsWith("CAP_", StringComparison.Ordinal))
            upper = "CAP_" + upper;
        for (int i = 0; i < Names.Count; i++)
        {
            if (Names[i] == upper)
                return i;
        }
        return -1;
    }

    /// <summary>The set as a bit mask (bit n = capability n). Throws for an unknown name.</summary>
    public static ulong Mask(IEnumerable<string> names)
    {
        ulong mask = 0;
        foreach (string name in names)
        {
            int n = Number(name);
            if (n < 0)
                throw new Sandbox.SandboxException(Sandbox.SandboxFailure.InvalidCapability, name,
                    $"'{name}' is not a Linux capability. Known: {string.Join(", ", Names)}.");
            mask |= 1UL << n;
        }
        return mask;
    }
}
