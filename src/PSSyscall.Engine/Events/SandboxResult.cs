using System.Globalization;

namespace PSSyscall;

/// <summary>How a sandboxed command ended (Invoke-Sandboxed -PassThru): its exit status, whether the
/// timeout ended it, how long it ran, its peak memory and every violation of the seccomp policy.</summary>
public sealed class SandboxResult
{
    /// <summary>The command's path.</summary>
    public string FilePath { get; set; } = "";

    /// <summary>The sandboxed process's id (outside any PID namespace).</summary>
    public int ProcessId { get; set; }

    /// <summary>The exit status; 128 + the signal number when a signal ended it (as a shell reports it).</summary>
    public int ExitCode { get; set; }

    /// <summary>The signal that ended the command (SIGKILL, SIGSYS...), or null when it exited.</summary>
    public string? Signal { get; set; }

    /// <summary>True when -Timeout ended the command (its whole process tree was killed).</summary>
    public bool TimedOut { get; set; }

    /// <summary>Wall-clock time from start to end.</summary>
    public TimeSpan Duration { get; set; }

    /// <summary>Peak memory in bytes of the whole sandbox (all its processes, page cache included),
    /// as its memory cgroup measured it; 0 where no memory cgroup could be created.</summary>
    public long PeakMemory { get; set; }

    /// <summary>The number of violations (also when they were too many to keep).</summary>
    public int ViolationCount { get; set; }

    /// <summary>Every call the seccomp policy stopped (or would have, with -AuditOnly), in order.</summary>
    public SeccompViolation[] Violations { get; set; } = Array.Empty<SeccompViolation>();

    /// <summary>The number of calls the policy notified (Notify) that -NotifyRule or -NotifyHandler answered.</summary>
    public int NotificationCount { get; set; }

    /// <summary>What the sandbox added to the policy and why (for example io_uring denied, since
    /// its operations would get around the policy's rules).</summary>
    public string[] Notes { get; set; } = Array.Empty<string>();

    public override string ToString()
    {
        string end = Signal is null ? "exit " + ExitCode.ToString(CultureInfo.InvariantCulture) : "killed by " + Signal;
        if (TimedOut)
            end += " (timed out)";
        return $"{end} after {Duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)}s, {ViolationCount} violation(s)";
    }
}
