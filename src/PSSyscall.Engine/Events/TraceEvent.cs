namespace PSSyscall;

/// <summary>
/// What every event from a trace has in common. Start-TracedProcess writes three kinds, in the
/// order they happened: <see cref="SyscallEvent"/> (one per system call),
/// <see cref="SignalEvent"/> (a signal delivered to a tracee) and <see cref="ProcessExitEvent"/>
/// (a traced process ended). Properties are flat scalars so Export-Csv and ConvertTo-Json work.
/// </summary>
public abstract class TraceEvent
{
    /// <summary>Local time when the event began (the syscall's entry), microsecond precision.</summary>
    public DateTime Timestamp { get; set; }

    /// <summary>The process (thread group) id.</summary>
    public int ProcessId { get; set; }

    /// <summary>The thread id (equal to ProcessId for the main thread).</summary>
    public int ThreadId { get; set; }

    /// <summary>The process's command name (/proc/PID/comm) at the time.</summary>
    public string ProcessName { get; set; } = "";

    /// <summary>The process that started this one (its parent when it forked; for the first process
    /// of a trace, the tracer's or the attached process's parent). 0 where a trace file does not say.</summary>
    public int ParentProcessId { get; set; }

    public abstract TraceEventType EventType { get; }

    // The two facts of the other event kinds that a table of mixed events needs. They live here so
    // that Export-Csv, which takes its columns from the first event (a system call), keeps a
    // process exit's code and a signal's name.

    /// <summary>For a process exit: its status (for a process killed by a signal, 128 + the
    /// signal number, as a shell reports it). Null for other events.</summary>
    public int? ExitCode { get; set; }

    /// <summary>For a signal: its name (SIGCHLD); for a process exit: the signal that killed it, or
    /// null when it exited. Null for system calls.</summary>
    public string? Signal { get; set; }

    /// <summary>Time since the event before it in the trace began (strace -r): zero for the first
    /// event, and where threads overlap and the event before began later.</summary>
    public TimeSpan RelativeTime { get; set; }
}
