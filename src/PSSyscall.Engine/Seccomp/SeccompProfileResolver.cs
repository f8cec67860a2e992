using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Seccomp;

/// <summary>How a profile spelled what the object model does not distinguish (a field left
/// out or written as null or [], an errnoRet equal to the default, valueTwo left out, Podman's
/// own fields), so that an imported profile exported unchanged gives back an equal document.</summary>
internal sealed class ProfileLayout
{
    /// <summary>field -> "absent" | "null" | "[]" | "{}" for fields the model keeps empty.</summary>
    public Dictionary<string, string> Spelling { get; } = new(StringComparer.Ordinal);

    /// <summary>Fields the model does not know, in order, as raw JSON.</summary>
    public List<KeyValuePair<string, string>> Extra { get; } = new();

    /// <summary>"errnoRet" as written (absent: null) for actions that take none.</summary>
    public int? ErrnoRetWritten { get; set; }

    public bool ErrnoRetPresent { get; set; }

    /// <summary>The action the profile gave (an errnoRet beside an action that takes none is kept only while it stays).</summary>
    public SeccompAction? ActionWritten { get; set; }

    /// <summary>The flags in the profile's order.</summary>
    public List<string>? FlagOrder { get; set; }

    /// <summary>Condition indexes (in the rule's list) whose valueTwo was left out.</summary>
    public HashSet<int> ValueTwoAbsent { get; } = new();

    /// <summary>The rule used the old single "name".</summary>
    public bool SingleName { get; set; }

    /// <summary>libseccomp architecture names without a table here (SCMP_ARCH_LOONGARCH64), as written.</summary>
    public List<string> OtherArchitectures { get; } = new();

    public string? Spelled(string field) => Spelling.TryGetValue(field, out string? s) ? s : null;

    public ProfileLayout Copy()
    {
        var c = new ProfileLayout { ErrnoRetWritten = ErrnoRetWritten, ErrnoRetPresent = ErrnoRetPresent, ActionWritten = ActionWritten, FlagOrder = FlagOrder?.ToList(), SingleName = SingleName };
        foreach (var p in Spelling) c.Spelling[p.Key] = p.Value;
        c.Extra.AddRange(Extra);
        c.ValueTwoAbsent.UnionWith(ValueTwoAbsent);
        c.OtherArchitectures.AddRange(OtherArchitectures);
        return c;
    }
}

/// <summary>Resolves a portable profile for one host, as Docker and Podman do when they start a
/// container: the archMap entry of the host's ABI gives the architectures, and each rule's
/// includes/excludes decide whether it applies.</summary>
internal static class SeccompProfileResolver
{
    public static SeccompFilter Resolve(SeccompFilter filter, SeccompHost host)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(host);
        SeccompFilter r = filter.Copy();
        ArchitectureInfo native = ArchitectureInfo.Get(host.Architecture);
        if (r.ArchitectureMap is { } map)
        {
            var arches = new List<SyscallArchitecture>();
            foreach (SeccompArchitectureMapEntry entry in map)
            {
                if (!ArchitectureInfo.TryGet(entry.Architecture, out ArchitectureInfo main) || main.Architecture != host.Architecture)
                    continue;
                arches.Add(main.Architecture);
                foreach (string sub in entry.SubArchitectures ?? new List<string>())
                    if (ArchitectureInfo.TryGet(sub, out ArchitectureInfo s) && !arches.Contains(s.Architecture))
                        arches.Add(s.Architecture);
            }
            if (arches.Count == 0)
                arches.Add(host.Architecture);   // Docker: no entry for the machine, its native ABI only
            r.Architectures = arches;
            r.ArchitectureMap = null;
        }
        else if (r.Architectures.Count == 0
            || (r.Layout?.Spelled("architectures") is not null && r.Architectures.SequenceEqual(new[] { SyscallArchitecture.X86_64 })))
        {
            // A profile that names no architecture is for the machine it runs on (while the
            // filter still has the stand-in the import gave it).
            r.Architectures = new List<SyscallArchitecture> { host.Architecture };
        }
        if (r.Layout is not null)
        {
            r.Layout.Spelling.Remove("architectures");
            r.Layout.Spelling.Remove("archMap");
            r.Layout.OtherArchitectures.Clear();
        }

        var caps = Normalize(host.Capabilities);
        var kept = new List<SeccompRule>();
        foreach (SeccompRule rule in r.Rules)
        {
            if (rule.Includes is { } inc && !Included(inc, caps, native, host.KernelVersion))
                continue;
            if (rule.Excludes is { } exc && Excluded(exc, caps, native, host.KernelVersion))
                continue;
            rule.Includes = null;
            rule.Excludes = null;
            kept.Add(rule);
        }
        r.Rules = kept;
        return r;
    }

    internal static HashSet<string> Normalize(IEnumerable<string> capabilities)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string c in capabilities)
        {
            string cap = c.Trim().ToUpperInvariant();
            if (cap.Length == 0) continue;
            set.Add(cap.StartsWith("CAP_", StringComparison.Ordinal) || cap == "ALL" ? cap : "CAP_" + cap);
        }
        return set;
    }

    private static bool Included(SeccompProfileCondition c, HashSet<string> caps, ArchitectureInfo arch, Version kernel)
    {
        foreach (string cap in c.Capabilities ?? new List<string>())
            if (!Has(caps, cap))
                return false;
        if (c.Architectures is { Count: > 0 } arches && !arches.Any(a => IsArch(arch, a)))
            return false;
        if (c.MinKernel is string min && kernel < MinKernel(min))
            return false;
        return true;
    }

    private static bool Excluded(SeccompProfileCondition c, HashSet<string> caps, ArchitectureInfo arch, Version kernel)
    {
        foreach (string cap in c.Capabilities ?? new List<string>())
            if (Has(caps, cap))
                return true;
        if (c.Architectures is { Count: > 0 } arches && arches.Any(a => IsArch(arch, a)))
            return true;
        if (c.MinKernel is string min && kernel >= MinKernel(min))
            return true;
        return false;
    }

    private static Version MinKernel(string text)
        => SeccompProfile.ParseKernelVersion(text)
            ?? throw new SeccompException("InvalidProfile", $"minKernel '{text}' is not a kernel version (like 4.8).", text);

    private static bool IsArch(ArchitectureInfo arch, string name) => arch.GoNames.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase);

    private static bool Has(HashSet<string> caps, string cap)
    {
        string c = cap.Trim().ToUpperInvariant();
        if (!c.StartsWith("CAP_", StringComparison.Ordinal)) c = "CAP_" + c;
        return caps.Contains("ALL") || caps.Contains(c);
    }
}
