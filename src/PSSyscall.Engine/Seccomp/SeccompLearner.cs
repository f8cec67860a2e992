namespace PSSyscall.Engine.Seccomp;

/// <summary>
/// Learns an allowlist from what a program was seen doing (SyscallEvents of a trace, from
/// Start-TracedProcess or a saved trace): every syscall name, per ABI. Unfinished calls count
/// (exit_group never returns, and the filter decides at entry), and execve is always added,
/// because a filter installed by the launcher is in force for the program's own execve.
/// </summary>
public sealed class SeccompLearner
{
    private readonly SortedSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<SyscallArchitecture> _architectures = new() { SyscallArchitecture.X86_64 };

    /// <summary>The calls the launched program needs before its own first instruction runs.</summary>
    public static readonly IReadOnlyList<string> LaunchCalls = new[] { "execve" };

    public SeccompLearner()
    {
        foreach (string name in LaunchCalls)
            _names.Add(name);
    }

    public int Count => _names.Count;
    public IReadOnlyCollection<string> Names => _names;
    public IReadOnlyCollection<SyscallArchitecture> Architectures => _architectures;

    /// <summary>Records one observed call. Names this machine does not know (a trace from elsewhere,
    /// "syscall_0x1c2" placeholders) are rejected with UnknownSyscall.</summary>
    public void Observe(string name, SyscallArchitecture architecture = SyscallArchitecture.X86_64)
    {
        if (string.IsNullOrWhiteSpace(name))
            return;
        name = name.Trim();
        if (!SeccompCompiler.IsKnown(name))
            throw SeccompCompiler.UnknownSyscall(name);
        _names.Add(name);
        _architectures.Add(architecture);
    }

    public void Observe(SyscallEvent e) => Observe(e.Name, e.Architecture);

    /// <summary>The Allow rule for everything observed.</summary>
    public SeccompRule ToRule() => new(_names, SeccompAction.Allow) { Comment = "learned from a trace" };

    /// <summary>Adds the learned rule (first, so explicit rules after it override it) and the ABIs
    /// the trace used to a filter.</summary>
    public void ApplyTo(SeccompFilter filter)
    {
        filter.Rules.Insert(0, ToRule());
        foreach (SyscallArchitecture arch in _architectures)
            if (!filter.Architectures.Contains(arch))
                filter.Architectures.Add(arch);
    }
}
