using System.Globalization;

namespace PSSyscall;

/// <summary>A traced process ended (strace's "+++ exited with 0 +++" line).</summary>
public sealed class ProcessExitEvent : TraceEvent
{
    public override TraceEventType EventType => TraceEventType.Exit;

    public ProcessExitEvent() => ExitCode = 0;

    public bool CoreDumped { get; set; }

    /// <summary>True for the process the trace started (or the first one attached).</summary>
    public bool IsRoot { get; set; }

    public override string ToString() => Signal is null
        ? $"[pid {ProcessId.ToString(CultureInfo.InvariantCulture)}] +++ exited with {(ExitCode ?? 0).ToString(CultureInfo.InvariantCulture)} +++"
        : $"[pid {ProcessId.ToString(CultureInfo.InvariantCulture)}] +++ killed by {Signal}{(CoreDumped ? " (core dumped)" : "")} +++";
}
