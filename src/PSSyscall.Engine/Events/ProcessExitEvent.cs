using System.Globalization;

namespace PSSyscall;

/// <summary>A traced process ended (strace's "+++ exited with 0 +++" line).</summary>
public sealed class ProcessExitEvent : TraceEvent
{
    public override TraceEventType EventType => TraceEventType.Exit;

    /// <summary>The exit status; for a process killed by a signal, 128 + the signal number, as a shell reports it.</summary>
    public int ExitCode { get; set; }

    /// <summary>The signal that killed the process (SIGSEGV), or null when it exited.</summary>
    public string? Signal { get; set; }

    public bool CoreDumped { get; set; }

    /// <summary>True for the process the trace started (or the first one attached).</summary>
    public bool IsRoot { get; set; }

    public override string ToString() => Signal is null
        ? $"[pid {ProcessId.ToString(CultureInfo.InvariantCulture)}] +++ exited with {ExitCode.ToString(CultureInfo.InvariantCulture)} +++"
        : $"[pid {ProcessId.ToString(CultureInfo.InvariantCulture)}] +++ killed by {Signal}{(CoreDumped ? " (core dumped)" : "")} +++";
}
