using System.Globalization;

namespace PSSyscall;

/// <summary>A signal delivered to a traced thread (strace's "--- SIGCHLD {...} ---" line).</summary>
public sealed class SignalEvent : TraceEvent
{
    public override TraceEventType EventType => TraceEventType.Signal;

    public SignalEvent() => Signal = "";

    public int SignalNumber { get; set; }

    /// <summary>siginfo's si_code, by name where it has one (SI_USER, CLD_EXITED, SEGV_MAPERR).</summary>
    public string Code { get; set; } = "";

    /// <summary>The sending process (si_pid) for signals sent by a process, else 0.</summary>
    public int SenderProcessId { get; set; }

    /// <summary>The sender's real user id (si_uid), else 0.</summary>
    public int SenderUserId { get; set; }

    /// <summary>For SIGCHLD the child's status; for faults the faulting address; else 0.</summary>
    public long Value { get; set; }

    /// <summary>SIGCHLD: the child's user CPU time, in clock ticks (si_utime), else 0.</summary>
    public long ChildUserTime { get; set; }

    /// <summary>SIGCHLD: the child's system CPU time, in clock ticks (si_stime), else 0.</summary>
    public long ChildSystemTime { get; set; }
    /// <summary>Where the thread was when the signal arrived (strace -i); 0 where a trace file does not say.</summary>
    public ulong InstructionPointer { get; set; }

    public override string ToString()
        => Code == "SI_KERNEL" // the kernel's own signals carry no sender
            ? $"[pid {ThreadId.ToString(CultureInfo.InvariantCulture)}] --- {Signal} {{si_signo={Signal}, si_code={Code}}} ---"
            : $"[pid {ThreadId.ToString(CultureInfo.InvariantCulture)}] --- {Signal} {{si_signo={Signal}, si_code={Code}, si_pid={SenderProcessId.ToString(CultureInfo.InvariantCulture)}, si_uid={SenderUserId.ToString(CultureInfo.InvariantCulture)}}} ---";
}
