using System.Globalization;
using System.Text;

namespace PSSyscall;

/// <summary>
/// One call that Invoke-Sandboxed's policy sent to user space (a Notify rule, SCMP_ACT_NOTIFY): the
/// calling thread waits in the kernel until it is answered. What -NotifyHandler receives and
/// -NotifyRule matches; <see cref="Response"/> says how it was answered.
/// </summary>
public sealed class SeccompNotification
{
    /// <summary>Local time when the supervisor received the call.</summary>
    public DateTime Timestamp { get; set; }

    /// <summary>The process (thread group) id, outside any PID namespace.</summary>
    public int ProcessId { get; set; }

    /// <summary>The thread that made the call (and waits for the answer).</summary>
    public int ThreadId { get; set; }

    /// <summary>The process's command name (/proc/PID/comm).</summary>
    public string ProcessName { get; set; } = "";

    /// <summary>The syscall's name in its ABI's table.</summary>
    public string Name { get; set; } = "";

    /// <summary>The syscall number in its ABI (for x32 without the x32 bit).</summary>
    public int Number { get; set; }

    public SyscallArchitecture Architecture { get; set; }

    /// <summary>The arguments decoded as Start-TracedProcess shows them (paths, flags, structs), read
    /// from the caller's memory when the notification arrived; the raw registers where they cannot
    /// be decoded. Another thread of the caller can change that memory after it was read (see the
    /// help's TOCTOU note).</summary>
    public string Arguments { get; set; } = "";

    /// <summary>The six raw argument registers.</summary>
    public ulong Argument0 { get; set; }
    public ulong Argument1 { get; set; }
    public ulong Argument2 { get; set; }
    public ulong Argument3 { get; set; }
    public ulong Argument4 { get; set; }
    public ulong Argument5 { get; set; }

    public ulong InstructionPointer { get; set; }

    /// <summary>The kernel's cookie for the notification (struct seccomp_notif.id).</summary>
    public ulong NotificationId { get; set; }

    /// <summary>How it was answered: Allow (the call runs), Errno(EACCES) (it fails with that
    /// errno without running), Return(0) (it returns that value without running); empty while it
    /// waits for the handler.</summary>
    public string Response { get; set; } = "";

    /// <summary>What decided: "rule 2", "handler", or "default" (nothing matched: EPERM).</summary>
    public string DecidedBy { get; set; } = "";

    /// <summary>True when a Log rule (or a handler's 'Log') asked for the call to be recorded.</summary>
    public bool Logged { get; set; }

    /// <summary>"[pid 12] mkdir("/tmp/x", 0755) -> Errno(EACCES)".</summary>
    public override string ToString()
    {
        var text = new StringBuilder(96);
        text.Append("[pid ").Append(ProcessId.ToString(CultureInfo.InvariantCulture));
        if (ThreadId != ProcessId)
            text.Append('/').Append(ThreadId.ToString(CultureInfo.InvariantCulture));
        text.Append("] ");
        if (ProcessName.Length > 0)
            text.Append(ProcessName).Append(": ");
        text.Append(Name);
        if (Architecture != SyscallArchitecture.X86_64)
            text.Append(" [").Append(Architecture).Append(']');
        text.Append('(').Append(Arguments).Append(')');
        if (Response.Length > 0)
            text.Append(" -> ").Append(Response);
        return text.ToString();
    }
}
