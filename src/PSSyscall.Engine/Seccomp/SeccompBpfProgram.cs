using System.Globalization;
using System.Security.Cryptography;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall;

/// <summary>
/// A seccomp classic-BPF program as the kernel takes it (struct sock_filter[], 8 bytes per
/// instruction), read from a file (what <c>Export-SeccompFilter -Format Bpf</c> writes and
/// <c>bwrap --seccomp FD</c> reads, or libseccomp's <c>seccomp_export_bpf</c>) or from the filters
/// installed in a running process (PTRACE_SECCOMP_GET_FILTER). It has been checked as the kernel
/// checks a filter at install time, so the emulator can run it.
/// </summary>
public sealed class SeccompBpfProgram
{
    /// <summary>For PowerShell's rebuilding of deserialized objects; use <see cref="FromBytes"/>.</summary>
    public SeccompBpfProgram()
    {
    }

    /// <summary>The program: struct sock_filter[], little-endian.</summary>
    public byte[] Program { get; set; } = Array.Empty<byte>();

    public int InstructionCount => Program.Length / 8;

    /// <summary>Where it came from, for people: a file path, or "process 1234 filter 0".</summary>
    public string Source { get; set; } = "";

    /// <summary>The file it was read from (null for a process's filter).</summary>
    public string? Path { get; set; }

    /// <summary>The process whose filter this is (null for a file).</summary>
    public int? ProcessId { get; set; }

    /// <summary>Its place among the process's filters, as PTRACE_SECCOMP_GET_FILTER numbers them:
    /// 0 is the first installed (measured on Linux 6.18, and what kernel/seccomp.c's get_nth_filter
    /// does; ptrace(2) says the opposite). The kernel runs every filter of a thread for each call,
    /// the most recently installed first, and takes the most restrictive verdict; between verdicts
    /// of the same action, the filter it ran first (the highest index) wins.</summary>
    public int? Index { get; set; }

    /// <summary>How many filters the process has in all (Seccomp_filters in /proc/PID/status).</summary>
    public int? FilterCount { get; set; }

    /// <summary>The SHA-256 of the program's bytes, in hex: equal programs have equal hashes.</summary>
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Program));

    /// <summary>True when some instruction loads a syscall argument (args[0..5] of seccomp_data):
    /// then the verdict may depend on the argument values.</summary>
    public bool ReadsArguments
    {
        get
        {
            for (int pc = 0; pc < InstructionCount; pc++)
            {
                BpfInterpreter.Instruction i = BpfInterpreter.Read(Program, pc);
                if (i.Code == 0x20 && i.K >= SeccompData.ArgumentsOffset)
                    return true;
            }
            return false;
        }
    }

    /// <summary>Checks a program as seccomp(2) would and wraps it. Throws <see cref="SeccompException"/>
    /// (InvalidBpfProgram) naming the first problem.</summary>
    public static SeccompBpfProgram FromBytes(ReadOnlySpan<byte> program, string source)
    {
        if (program.Length % 8 != 0)
            throw new SeccompException("InvalidBpfProgram",
                $"'{source}' is not a seccomp BPF program: its {program.Length} bytes are not a whole number of 8-byte instructions (struct sock_filter).", source);
        try
        {
            BpfInterpreter.Validate(program);
        }
        catch (InvalidOperationException e)
        {
            throw new SeccompException("InvalidBpfProgram", $"'{source}' is not a seccomp BPF program the kernel would install: {e.Message}", source);
        }
        return new SeccompBpfProgram { Program = program.ToArray(), Source = source };
    }

    /// <summary>A readable listing, one instruction per line (see <see cref="BpfDisassembler"/>).</summary>
    public string Disassemble() => BpfDisassembler.Disassemble(Program);

    /// <summary>What this program alone decides for one call.</summary>
    public SeccompTestResult Evaluate(string name, SyscallArchitecture architecture = SyscallArchitecture.X86_64, IReadOnlyList<ulong>? arguments = null, ulong instructionPointer = 0)
        => SeccompBpfEvaluator.Evaluate(new[] { this }, name, architecture, arguments, instructionPointer);

    public override string ToString()
    {
        string where = ProcessId is int pid ? $"process {pid.ToString(CultureInfo.InvariantCulture)} filter {Index?.ToString(CultureInfo.InvariantCulture)}" : Source;
        return $"{InstructionCount} BPF instructions ({where})";
    }
}
