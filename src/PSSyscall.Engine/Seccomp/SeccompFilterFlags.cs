namespace PSSyscall;

/// <summary>SECCOMP_FILTER_FLAG_* passed to seccomp(2) when the filter is installed; they do not
/// change the BPF program.</summary>
[Flags]
public enum SeccompFilterFlags
{
    None = 0,
    /// <summary>SECCOMP_FILTER_FLAG_TSYNC: install on every thread of the process.</summary>
    ThreadSync = 1,
    /// <summary>SECCOMP_FILTER_FLAG_LOG: log every action except Allow to the audit log.</summary>
    Log = 2,
    /// <summary>SECCOMP_FILTER_FLAG_SPEC_ALLOW: do not force the speculative store bypass mitigation.</summary>
    SpecAllow = 4,
    /// <summary>SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: a notified call waits killably once received.</summary>
    WaitKillableRecv = 32,
}
