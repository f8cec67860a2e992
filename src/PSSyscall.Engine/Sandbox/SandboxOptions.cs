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

    /// <summary>Measure the sandbox's peak memory (SandboxResult.PeakMemory) with a memory cgroup
    /// even when no limit asks for a cgroup. A cgroup costs the start one RCU grace period
    /// (moving a task into it waits for one: 5–10 ms when the host's CPUs are idle), so callers
    /// that do not show the result can leave it off; lifetime never depends on it (the PID
    /// namespace ends every process with its PID 1).</summary>
    public bool MeasurePeakMemory { get; init; } = true;

    /// <summary>At most this many violations are kept in the result (all are counted and streamed).</summary>
    public int MaxRecordedViolations { get; init; } = 10_000;

    /// <summary>The user the command runs as. Null: the caller's, except for root, whose command
    /// runs as <see cref="UnprivilegedId"/> (nobody): real root only when asked for with 0.</summary>
    public int? UserId { get; init; }

    /// <summary>The group the command runs as (no supplementary groups). Null: as <see cref="UserId"/>.</summary>
    public int? GroupId { get; init; }

    /// <summary>Let the command use io_uring, which performs calls without passing through seccomp.
    /// Otherwise io_uring is denied whenever a policy stops anything or the network is cut.</summary>
    public bool AllowIoUring { get; init; }

    /// <summary>Capabilities the command keeps (CAP_NET_BIND_SERVICE...); every other one is dropped.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = Array.Empty<string>();

    /// <summary>Bind mounts in the command's view: a host path (Source) shown at Target.</summary>
    public IReadOnlyList<SandboxBind> Binds { get; init; } = Array.Empty<SandboxBind>();

    /// <summary>Empty tmpfs directories in the command's view, owned by its user.</summary>
    public IReadOnlyList<string> TmpfsPaths { get; init; } = Array.Empty<string>();

    /// <summary>A minimal /dev (null, zero, full, random, urandom, tty, a private pts and shm).</summary>
    public bool MinimalDev { get; init; }

    /// <summary>Every mount read-only, but for binds, tmpfs and -ReadWritePath paths.</summary>
    public bool ReadOnlyRoot { get; init; }

    /// <summary>Rules for the calls the policy notifies (Notify), tried in order; the first that
    /// matches answers. With rules or <see cref="NotifyHandler"/>, a call nothing decides fails
    /// with EPERM; with neither, notified calls run.</summary>
    public IReadOnlyList<SeccompNotifyRule> NotifyRules { get; init; } = Array.Empty<SeccompNotifyRule>();

    /// <summary>Notified calls no rule matches go to the consumer (SandboxMessageKind.Notification
    /// with an empty Response), which answers each with <see cref="SandboxSession.Respond"/>.</summary>
    public bool NotifyHandler { get; init; }

    /// <summary>An OCI profile's listenerPath: the seccomp listener goes to the agent listening on
    /// this unix socket, with the container process state (see <see cref="OciSeccompListener"/>),
    /// before the command runs. The policy is then enforced by the kernel alone: the calls it stops
    /// are not reported as violations, and -AuditOnly, notify rules and handlers do not apply.</summary>
    public string? ListenerPath { get; init; }

    /// <summary>The profile's listenerMetadata, passed to the agent as the state's "metadata".</summary>
    public string? ListenerMetadata { get; init; }

    /// <summary>The overflow user and group (nobody, nogroup) a root caller's command runs as by default.</summary>
    public const int UnprivilegedId = 65534;
}

/// <summary>A host path shown at another (or the same) path in the sandbox's view.</summary>
public sealed record SandboxBind(string Source, string Target, bool ReadOnly);
