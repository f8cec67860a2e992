using System.Globalization;
using System.Text;

namespace PSSyscall;

/// <summary>
/// One system call that Invoke-Sandboxed's seccomp policy stopped (or, with -AuditOnly, would have
/// stopped), reported while the sandboxed command runs. Flat scalar properties, so Export-Csv and
/// ConvertTo-Json work; <see cref="ToString"/> gives an strace-like line.
/// </summary>
public sealed class SeccompViolation
{
    /// <summary>Local time when the supervisor received the call.</summary>
    public DateTime Timestamp { get; set; }

    /// <summary>The process (thread group) id, as the caller sees it (outside any PID namespace).</summary>
    public int ProcessId { get; set; }

    /// <summary>The thread that made the call.</summary>
    public int ThreadId { get; set; }

    /// <summary>The process's command name (/proc/PID/comm).</summary>
    public string ProcessName { get; set; } = "";

    /// <summary>The syscall's name in its ABI's table (unshare, mount...).</summary>
    public string Name { get; set; } = "";

    /// <summary>The syscall number in its ABI (for x32 without the x32 bit).</summary>
    public int Number { get; set; }

    /// <summary>The ABI the call was made through: X86_64, I386 (int 0x80) or X32.</summary>
    public SyscallArchitecture Architecture { get; set; }

    /// <summary>The arguments as one display string.</summary>
    public string Arguments { get; set; } = "";

    /// <summary>The policy's action for the call: Errno(EPERM), KillProcess, KillThread, Trap, Trace(0).</summary>
    public string Action { get; set; } = "";

    /// <summary>The errno the policy returns (EPERM), for an Errno action; else null.</summary>
    public string? Errno { get; set; }

    /// <summary>False under -AuditOnly: the call was recorded and then allowed to run.</summary>
    public bool Enforced { get; set; }

    /// <summary>The six raw argument registers.</summary>
    public ulong Argument0 { get; set; }
    public ulong Argument1 { get; set; }
    public ulong Argument2 { get; set; }
    public ulong Argument3 { get; set; }
    public ulong Argument4 { get; set; }
    public ulong Argument5 { get; set; }

    /// <summary>The calling instruction's address.</summary>
    public ulong InstructionPointer { get; set; }

    /// <summary>"[pid 1234] unshare(CLONE_NEWUSER) denied: Errno(EPERM)".</summary>
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
        text.Append(Enforced ? " denied: " : " would be denied: ").Append(Action);
        return text.ToString();
    }
}
