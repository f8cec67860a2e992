using PSSyscall.Engine.Seccomp;

namespace PSSyscall;

/// <summary>
/// A filter compiled to classic BPF: <see cref="Program"/> is the struct sock_filter[] (8 bytes per
/// instruction) that seccomp(SECCOMP_SET_MODE_FILTER) installs and bwrap --seccomp reads.
/// </summary>
public sealed class CompiledSeccompFilter
{
    internal CompiledSeccompFilter(byte[] program, SeccompFilter source, IReadOnlyList<string> unsupportedNames, IReadOnlyList<string> warnings)
    {
        Warnings = warnings;
        Program = program;
        Source = source;
        UnsupportedNames = unsupportedNames;
        Flags = source.Flags;
    }

    /// <summary>The BPF program.</summary>
    public byte[] Program { get; }

    public int InstructionCount => Program.Length / 8;

    /// <summary>For a portable profile compiled without an explicit resolve: the host it was
    /// resolved for (this machine, Docker's default capabilities, the running kernel); else null.</summary>
    public string? ResolvedFor { get; internal init; }

    /// <summary>A copy of the policy this program was compiled from (resolved, for a portable profile).</summary>
    public SeccompFilter Source { get; }

    public SeccompFilterFlags Flags { get; }

    /// <summary>True when some rule returns Notify: the filter must be installed with
    /// SECCOMP_FILTER_FLAG_NEW_LISTENER (else the kernel fails those calls with ENOSYS).</summary>
    public bool UsesNotify => Source.DefaultAction.Kind == SeccompActionKind.Notify
        || Source.Rules.Any(r => r.Action.Kind == SeccompActionKind.Notify);

    /// <summary>The flags argument for seccomp(2): <see cref="Flags"/>, plus NEW_LISTENER (8) when
    /// <see cref="UsesNotify"/>.</summary>
    public uint InstallFlags => (uint)Flags | (UsesNotify ? 8u : 0u);

    /// <summary>Names the filter mentions that libseccomp 2.5 cannot place on some admitted ABI
    /// (syscalls newer than its tables on i386/x32), or unknown names skipped under
    /// IgnoreUnknownSyscalls. Calls to them get the default action on that ABI.</summary>
    public IReadOnlyList<string> UnsupportedNames { get; }

    /// <summary>Things that compiled but may not do what the policy says (for the cmdlets' WriteWarning).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Runs the program in the engine's classic-BPF interpreter for one call, as the kernel
    /// would (see <see cref="SeccompEmulator"/>).</summary>
    public SeccompTestResult Evaluate(string name, SyscallArchitecture architecture = SyscallArchitecture.X86_64, IReadOnlyList<ulong>? arguments = null, ulong instructionPointer = 0)
        => SeccompEmulator.Evaluate(this, name, architecture, arguments, instructionPointer);

    /// <summary>True for a program built for big-endian machines (s390x, ppc64, mips, parisc):
    /// libseccomp writes its instructions in the target's byte order, and the kernel there reads
    /// seccomp_data in that order.</summary>
    public bool BigEndian => Source.Architectures.Count > 0 && Engine.Syscalls.ArchitectureInfo.Get(Source.Architectures[0]).BigEndian;

    /// <summary>A readable listing of the program, one instruction per line.</summary>
    public string Disassemble() => BpfDisassembler.Disassemble(Program, BigEndian);

    public override string ToString() => $"{InstructionCount} BPF instructions ({Source})";
}
