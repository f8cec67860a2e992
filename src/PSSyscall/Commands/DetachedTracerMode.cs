namespace PSSyscall;

/// <summary>Start-TracedProcess -DetachedTracer: how far the command is set apart from the
/// PowerShell process that traces it (strace -D, -DD, -DDD).</summary>
public enum DetachedTracerMode
{
    /// <summary>The command is this process's child (the default).</summary>
    None = 0,
    /// <summary>strace -D: the command is a grandchild whose parent exited at once, so its parent
    /// is the nearest subreaper (usually init) and getppid() is not this process.</summary>
    Grandchild = 1,
    /// <summary>strace -DD: a grandchild in a process group of its own.</summary>
    ProcessGroup = 2,
    /// <summary>strace -DDD: a grandchild in a session of its own (no controlling terminal).</summary>
    Session = 3,
}
