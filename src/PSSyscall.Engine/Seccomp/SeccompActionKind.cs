namespace PSSyscall;

/// <summary>What the kernel does with a system call a seccomp filter matched (the SECCOMP_RET_*
/// actions, named as libseccomp and the OCI runtime spec name them, in PowerShell case).</summary>
public enum SeccompActionKind
{
    /// <summary>Run the call (SECCOMP_RET_ALLOW).</summary>
    Allow,
    /// <summary>Fail the call with an errno, without running it (SECCOMP_RET_ERRNO).</summary>
    Errno,
    /// <summary>Kill the calling thread (SECCOMP_RET_KILL_THREAD).</summary>
    KillThread,
    /// <summary>Kill the whole process (SECCOMP_RET_KILL_PROCESS).</summary>
    KillProcess,
    /// <summary>Send SIGSYS to the thread (SECCOMP_RET_TRAP).</summary>
    Trap,
    /// <summary>Run the call and log it to the audit log (SECCOMP_RET_LOG).</summary>
    Log,
    /// <summary>Stop for a ptrace tracer with a 16-bit message (SECCOMP_RET_TRACE); ENOSYS without one.</summary>
    Trace,
    /// <summary>Ask a user-space supervisor through the listener fd (SECCOMP_RET_USER_NOTIF).</summary>
    Notify,
}
