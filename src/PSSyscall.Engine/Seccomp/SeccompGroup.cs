using PSSyscall.Engine.Syscalls;

namespace PSSyscall;

/// <summary>A systemd-style syscall group (Get-SeccompGroup's output).</summary>
public sealed class SeccompGroup
{
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";

    /// <summary>The members as systemd lists them; nested groups stay as @names.</summary>
    public string[] Members { get; set; } = Array.Empty<string>();

    /// <summary>Every syscall name in the group, nested groups expanded, sorted.</summary>
    public string[] Syscalls { get; set; } = Array.Empty<string>();

    public int Count => Syscalls.Length;

    public static SeccompGroup Get(string name)
    {
        if (!SyscallGroups.TryGetCanonicalName(name, out string canonical))
            canonical = name;
        return new SeccompGroup
        {
            Name = canonical,
            Description = SyscallGroups.GetDescription(canonical),
            Members = SyscallGroups.GetDirectMembers(canonical).ToArray(),
            Syscalls = SyscallGroups.Expand(canonical).ToArray(),
        };
    }

    public override string ToString() => $"{Name} ({Count} syscalls): {Description}";
}
