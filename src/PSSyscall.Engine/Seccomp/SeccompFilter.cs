using PSSyscall.Engine.Seccomp;

namespace PSSyscall;

/// <summary>
/// A seccomp policy as plain, mutable data: the default action, the ABIs it admits, its rules and
/// install flags. <see cref="Compile"/> turns it into the classic-BPF program seccomp(2) installs,
/// through the system's libseccomp. <see cref="Copy"/> gives an independent copy to derive variants
/// from (for example with every deny turned into Notify).
/// </summary>
/// <remarks>
/// Rule precedence, applied before libseccomp sees the rules: when several rules name the same
/// syscall without conditions, the last one wins (so a later -Deny overrides an earlier -Allow or
/// group), and an unconditional rule decides its syscall alone (conditional rules for it are
/// dropped, as libseccomp would). Conditional rules with identical conditions: the last wins.
/// Rules whose action equals the default action compile to nothing.
/// </remarks>
public sealed class SeccompFilter
{
    /// <summary>What happens to a syscall no rule matches.</summary>
    public SeccompAction DefaultAction { get; set; } = SeccompAction.Allow;

    /// <summary>The errno of an Errno default action (null for other defaults).</summary>
    public int? DefaultErrno => DefaultAction.Kind == SeccompActionKind.Errno ? DefaultAction.Data : null;

    /// <summary>The ABIs whose calls the rules apply to. A call through any other ABI (int 0x80 when
    /// I386 is absent, an x32 number when X32 is absent) gets <see cref="BadArchitectureAction"/>.</summary>
    public List<SyscallArchitecture> Architectures { get; set; } = new() { SyscallArchitecture.X86_64 };

    /// <summary>What happens to a call through an ABI not in <see cref="Architectures"/>: KillProcess
    /// unless changed, so a foreign ABI is never a way around the policy.</summary>
    public SeccompAction BadArchitectureAction { get; set; } = SeccompAction.KillProcess;

    public List<SeccompRule> Rules { get; set; } = new();

    /// <summary>Flags for seccomp(2) at install time (they do not change the program).</summary>
    public SeccompFilterFlags Flags { get; set; }

    /// <summary>Have libseccomp lay the syscall checks out as a binary tree (SCMP_FLTATR_CTL_OPTIMIZE
    /// = 2) instead of its default linear list: a longer program, but a few dozen instructions per
    /// call instead of hundreds for long allowlists. Docker and runc use the default.</summary>
    public bool BinaryTree { get; set; }

    /// <summary>When true, names no ABI and no libseccomp table knows are skipped at compile time
    /// instead of failing it (as runc does for profiles written for other kernels and
    /// architectures). Set by <see cref="SeccompProfile.Load(string, IEnumerable{string}?)"/>.</summary>
    public bool IgnoreUnknownSyscalls { get; set; }

    /// <summary>A portable profile's "archMap" as written (Docker, Podman): which ABIs the filter
    /// admits on each kind of machine. When set, it decides the architectures when the filter is
    /// resolved for a host, and export writes it instead of <see cref="Architectures"/> (which
    /// then lists the ABIs the map names, for display). Set it to null to use Architectures.</summary>
    public List<SeccompArchitectureMapEntry>? ArchitectureMap { get; set; }

    /// <summary>The OCI "listenerPath": a UNIX socket the runtime sends the notification
    /// descriptor to when the filter uses SCMP_ACT_NOTIFY. Kept and exported as written.</summary>
    public string? ListenerPath { get; set; }

    /// <summary>The OCI "listenerMetadata" passed to the listener with the descriptor.</summary>
    public string? ListenerMetadata { get; set; }

    /// <summary>True for a portable profile that depends on the host it runs on (an archMap, or
    /// rules with includes/excludes): <see cref="Resolve"/> gives the filter for one host;
    /// <see cref="Compile"/> resolves it for this machine (<see cref="SeccompHost.Current"/>).</summary>
    public bool IsPortable => ArchitectureMap is not null || Rules.Any(r => r is not null && r.IsConditional);

    /// <summary>How an imported profile was spelled (for a faithful export).</summary>
    internal ProfileLayout? Layout { get; set; }

    /// <summary>The filter as Docker or Podman would apply it on <paramref name="host"/>: the
    /// archMap entry of the host's ABI gives the architectures, includes/excludes decide each
    /// rule (and are dropped). A filter that is not portable comes back as a copy.</summary>
    public SeccompFilter Resolve(SeccompHost? host = null) => SeccompProfileResolver.Resolve(this, host ?? SeccompHost.Current);

    /// <summary>Number of rules (each may name several syscalls).</summary>
    public int RuleCount => Rules.Count;

    /// <summary>How many syscalls (groups expanded) each action names, for views: "Allow×358, Errno(38)×1".</summary>
    public string Summary => Rules.Count == 0
        ? "(no rules)"
        : string.Join(", ", Rules.GroupBy(r => r.Action.ToString()).Select(g => $"{g.Key}×{g.Sum(r => CountSyscalls(r.Names))}"));

    private static int CountSyscalls(IEnumerable<string> names)
        => names.Sum(n => Engine.Syscalls.SyscallGroups.IsGroupName(n) && Engine.Syscalls.SyscallGroups.TryGetCanonicalName(n, out string g)
            ? Engine.Syscalls.SyscallGroups.Expand(g).Count : 1);

    /// <summary>A deep copy: changing the copy's rules, conditions or lists leaves this one alone.</summary>
    public SeccompFilter Copy() => new()
    {
        DefaultAction = DefaultAction,
        Architectures = new List<SyscallArchitecture>(Architectures),
        BadArchitectureAction = BadArchitectureAction,
        Rules = Rules.Select(r => r.Copy()).ToList(),
        Flags = Flags,
        BinaryTree = BinaryTree,
        IgnoreUnknownSyscalls = IgnoreUnknownSyscalls,
        ArchitectureMap = ArchitectureMap?.Select(e => e.Copy()).ToList(),
        ListenerPath = ListenerPath,
        ListenerMetadata = ListenerMetadata,
        Layout = Layout?.Copy(),
    };

    /// <summary>Compiles the filter with libseccomp into a classic-BPF program (a portable profile
    /// is first resolved for this machine, see <see cref="IsPortable"/>). Throws
    /// <see cref="SeccompException"/> (UnknownSyscall, UnknownGroup, InvalidRule, FilterTooLarge,
    /// LibSeccompMissing ...).</summary>
    public CompiledSeccompFilter Compile() => SeccompCompiler.Compile(this);

    public override string ToString()
        => $"Default {DefaultAction}, {Rules.Count} rule{(Rules.Count == 1 ? "" : "s")}, {(ArchitectureMap is not null ? "archMap " + string.Join(",", ArchitectureMap.Select(e => e.Architecture.Replace("SCMP_ARCH_", "", StringComparison.OrdinalIgnoreCase))).ToLowerInvariant() : string.Join(",", Architectures).ToLowerInvariant())}";
}
