namespace PSSyscall.Engine.Sandbox;

/// <summary>Everything <see cref="SandboxSession"/> needs: the command, its seccomp policy (as the
/// compiled classic-BPF program), namespaces, Landlock paths, limits and output handling.</summary>
public sealed record SandboxOptions
{
    /// <summary>Absolute path of the executable.</summary>
    public required string FilePath { get; init; }

    /// <summary>argv[0]; defaults to <see cref="FilePath"/>.</summary>
    public string? ArgumentZero { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = Array.Empty<string>();

    /// <summary>The complete environment; null passes the current process's.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>The policy as a seccomp classic-BPF program (struct sock_filter[]), or null for none.
    /// Every action that stops a call is reported as a violation.</summary>
    public byte[]? SeccompProgram { get; init; }

    /// <summary>Record what the policy would stop, but let every call run.</summary>
    public bool AuditOnly { get; init; }

    public SandboxIsolation Isolation { get; init; }

    /// <summary>With <see cref="SandboxIsolation.Uts"/>: the hostname inside.</summary>
    public string? Hostname { get; init; }

    /// <summary>Landlock: paths (and what is beneath them) the command may read. When any Landlock
    /// list is non-empty, everything else is denied.</summary>
    public IReadOnlyList<string> ReadOnlyPaths { get; init; } = Array.Empty<string>();

    /// <summary>Landlock: paths the command may read, write, create and remove in.</summary>
    public IReadOnlyList<string> ReadWritePaths { get; init; } = Array.Empty<string>();

    /// <summary>Landlock: paths the command may read and execute from.</summary>
    public IReadOnlyList<string> ExecutablePaths { get; init; } = Array.Empty<string>();

    /// <summary>Memory limit in bytes for the whole sandbox (cgroup), or RLIMIT_AS per process without one.</summary>
    public long? MaxMemory { get; init; }

    /// <summary>CPU time per process (RLIMIT_CPU, whole seconds, rounded up).</summary>
    public TimeSpan? MaxCpuTime { get; init; }

    /// <summary>Processes and threads in the sandbox at once (pids cgroup), also for root.</summary>
    public int? MaxProcesses { get; init; }

    /// <summary>RLIMIT_NOFILE.</summary>
    public int? MaxOpenFiles { get; init; }

    /// <summary>RLIMIT_FSIZE in bytes.</summary>
    public long? MaxFileSize { get; init; }

    /// <summary>Wall-clock limit; when it passes the whole process tree is killed.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Capture stdout and stderr as lines (true), or let them pass through to the host's (false).
    /// A stream given a descriptor below is neither.</summary>
    public bool CaptureOutput { get; init; } = true;

    /// <summary>Descriptors (close-on-exec, owned by the caller) to become the command's stdin,
    /// stdout and stderr instead of the host's or the capture pipes (see Tracing.ProgramStreams);
    /// -1 leaves the stream to <see cref="CaptureOutput"/>.</summary>
    public int StandardInput { get; init; } = -1;
    public int StandardOutput { get; init; } = -1;
    public int StandardError { get; init; } = -1;

    /// <summary>At most this many violations are kept in the result (all are counted and streamed).</summary>
    public int MaxRecordedViolations { get; init; } = 10_000;
}
