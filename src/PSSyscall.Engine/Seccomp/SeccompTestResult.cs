using System.Globalization;

namespace PSSyscall;

/// <summary>What a compiled seccomp filter decides for one call, computed by running its BPF in
/// the engine's interpreter (Test-SeccompFilter's output).</summary>
public sealed class SeccompTestResult
{
    public string Name { get; set; } = "";

    /// <summary>The number in the ABI's table (x32 without bit 30).</summary>
    public int Number { get; set; }

    public SyscallArchitecture Architecture { get; set; }

    /// <summary>The arguments as the filter saw them, in hex.</summary>
    public string Arguments { get; set; } = "";

    /// <summary>The verdict as text: Allow, Errno(1), KillProcess, Trace(0) ...</summary>
    public string Action { get; set; } = "";

    public SeccompActionKind ActionKind { get; set; }

    /// <summary>The errno of an Errno verdict, else null.</summary>
    public int? ErrorNumber { get; set; }

    /// <summary>Its name (EPERM), else null.</summary>
    public string? ErrnoName { get; set; }

    /// <summary>The trace message of a Trace verdict, else null.</summary>
    public int? TraceData { get; set; }

    /// <summary>True when the call would run (Allow, Log).</summary>
    public bool Allowed => ActionKind is SeccompActionKind.Allow or SeccompActionKind.Log;

    /// <summary>The filter's raw 32-bit return value.</summary>
    public uint ReturnValue { get; set; }

    /// <summary>BPF instructions the interpreter executed for this call.</summary>
    public int InstructionsExecuted { get; set; }

    public override string ToString()
    {
        string arch = Architecture == SyscallArchitecture.X86_64 ? "" : $"[{Architecture.ToString().ToLowerInvariant()}] ";
        string errno = ErrnoName is null ? "" : " " + ErrnoName;
        return string.Create(CultureInfo.InvariantCulture, $"{arch}{Name}({Arguments}) -> {Action}{errno}");
    }
}
