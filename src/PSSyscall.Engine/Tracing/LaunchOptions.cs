namespace PSSyscall.Engine.Tracing;

/// <summary>
/// Everything the one spawn path needs to start a child: what to run, and how the C shim must set
/// the child up before execve (see src/native/pssyscall_shim.c for the order). Start-TracedProcess,
/// Invoke-Sandboxed and the tests all start children through this record.
/// </summary>
public sealed record LaunchOptions
{
    /// <summary>Absolute path of the executable (resolve names with <see cref="ExecutableResolver"/>).</summary>
    public required string FilePath { get; init; }

    /// <summary>argv[0]; defaults to the name as the user typed it.</summary>
    public string? ArgumentZero { get; init; }

    /// <summary>argv[1..].</summary>
    public IReadOnlyList<string> Arguments { get; init; } = Array.Empty<string>();

    /// <summary>The environment; null passes the current process's environment.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Descriptors to become the child's 0, 1 and 2; -1 inherits.</summary>
    public int StandardInput { get; init; } = -1;
    public int StandardOutput { get; init; } = -1;
    public int StandardError { get; init; } = -1;

    /// <summary>Stop the child with SIGSTOP before anything that confines it, for a tracer to seize.</summary>
    public bool StopForTracer { get; init; }

    /// <summary>Keep descriptors above 2 that the host has open without close-on-exec, as a shell
    /// (and strace) does. Off: every descriptor above 2 is closed at execve (the sandbox's choice).</summary>
    public bool InheritDescriptors { get; init; }

    public bool NoNewPrivileges { get; init; }
    public bool NewSession { get; init; }

    /// <summary>Kill the child when the forking thread exits (PR_SET_PDEATHSIG).</summary>
    public bool KillWithParent { get; init; } = true;

    /// <summary>CLONE_NEW* flags for unshare(2) in the child.</summary>
    public int UnshareFlags { get; init; }
    public string? UidMap { get; init; }
    public string? GidMap { get; init; }
    public string? Hostname { get; init; }
    public bool LoopbackUp { get; init; }

    public IReadOnlyList<ResourceLimit> ResourceLimits { get; init; } = Array.Empty<ResourceLimit>();

    /// <summary>A Landlock ruleset fd the child restricts itself with, or -1.</summary>
    public int LandlockRulesetFd { get; init; } = -1;

    /// <summary>An open cgroup.procs fd the child joins before exec, or -1.</summary>
    public int CgroupProcsFd { get; init; } = -1;

    /// <summary>More open cgroup.procs fds (one per cgroup hierarchy) the child joins before exec.</summary>
    public IReadOnlyList<int> CgroupProcsFds { get; init; } = Array.Empty<int>();

    /// <summary>A cgroup the child cannot join is skipped instead of failing the launch (for
    /// cgroups that only help, such as the tracer's).</summary>
    public bool CgroupBestEffort { get; init; }

    /// <summary>With a new PID and mount namespace: mount a fresh /proc that shows only the
    /// namespace's processes.</summary>
    public bool MountProc { get; init; }

    /// <summary>Drop every capability (bounding set included) before no_new_privs and exec.</summary>
    public bool DropCapabilities { get; init; }

    /// <summary>Start the child with clone(CLONE_VM) instead of fork(): much cheaper from a large
    /// host (no page-table copy, no teardown at exec). Ignored with <see cref="StopForTracer"/>.</summary>
    public bool ShareMemory { get; init; }

    /// <summary>A classic BPF program (struct sock_filter[], 8 bytes per instruction) to install
    /// with seccomp(SECCOMP_SET_MODE_FILTER) right before execve, or null.</summary>
    public byte[]? SeccompProgram { get; init; }

    /// <summary>SECCOMP_FILTER_FLAG_* for that install.</summary>
    public uint SeccompFlags { get; init; }

    /// <summary>With CLONE_NEWNS: the mount plan, applied in order after the fresh /proc.</summary>
    public IReadOnlyList<MountStep> Mounts { get; init; } = Array.Empty<MountStep>();

    /// <summary>Become this user (setresuid) once the namespaces and mounts are set up, or null to keep the caller's.</summary>
    public int? UserId { get; init; }

    /// <summary>Become this group, with no supplementary groups, or null to keep the caller's.</summary>
    public int? GroupId { get; init; }

    /// <summary>With <see cref="DropCapabilities"/>: capabilities (bit n = capability n) to keep.</summary>
    public ulong KeepCapabilities { get; init; }

    /// <summary>With <see cref="GroupId"/>: the supplementary groups to take (initgroups, as
    /// strace -u does); empty drops them all.</summary>
    public IReadOnlyList<int> SupplementaryGroups { get; init; } = Array.Empty<int>();

    /// <summary>The command is a grandchild of the caller (the shim's first child forks it and
    /// exits), so its parent is not the caller: strace -D. <see cref="SpawnedProcess.ProcessId"/>
    /// is the first child's until <see cref="ProcessLauncher.AwaitOrphan"/> names the command.</summary>
    public bool Orphan { get; init; }

    /// <summary>A process group of its own (setpgid), as strace -DD gives the tracer.</summary>
    public bool NewProcessGroup { get; init; }
}

/// <summary>What one step of a mount plan does (src/native/pssyscall_shim.h, pss_mount_kind).</summary>
public enum MountKind
{
    /// <summary>Bind <see cref="MountStep.Source"/> on the target, recursively.</summary>
    Bind = 1,
    /// <summary>A tmpfs on the target; <see cref="MountStep.Data"/> holds its options.</summary>
    Tmpfs = 2,
    /// <summary>The mount at or containing the target, and all beneath it, read-only.</summary>
    ReadOnly = 3,
    /// <summary>A minimal /dev at the target.</summary>
    Dev = 4,
    /// <summary>A fresh proc (of the new PID namespace) on the target.</summary>
    Proc = 5,
}

/// <summary>One step of a mount plan.</summary>
public sealed record MountStep(MountKind Kind, string Target, string? Source = null, string? Data = null)
{
    /// <summary>With Bind: make the new mount and those beneath it read-only.</summary>
    public bool ReadOnly { get; init; }
    /// <summary>With Bind: make the new mount (not those beneath) writable.</summary>
    public bool Writable { get; init; }
    /// <summary>Create a missing target (a directory when <see cref="Directory"/>, else an empty file).</summary>
    public bool Create { get; init; }
    public bool Directory { get; init; }

    public override string ToString() => Kind switch
    {
        MountKind.Bind => $"bind {Source} on {Target}{(ReadOnly ? " (read-only)" : Writable ? " (writable)" : "")}",
        MountKind.Tmpfs => $"tmpfs on {Target}",
        MountKind.ReadOnly => $"{Target} read-only",
        MountKind.Proc => $"proc on {Target}",
        _ => $"minimal /dev on {Target}",
    };
}

/// <summary>One setrlimit(2) applied in the child.</summary>
public readonly record struct ResourceLimit(int Resource, ulong Soft, ulong Hard)
{
    public const int Cpu = 0, FileSize = 1, Data = 2, Stack = 3, Core = 4, Rss = 5, Processes = 6,
        OpenFiles = 7, MemoryLock = 8, AddressSpace = 9;
    public const ulong Infinity = ulong.MaxValue;
}
