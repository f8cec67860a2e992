namespace PSSyscall.Engine.Tracing;

/// <summary>Where in the child's set-up a launch failed (the shim's PSS_STAGE_* numbers).</summary>
public enum LaunchStage
{
    None = 0,
    ParentDeathSignal = 1,
    Session = 2,
    StandardStreams = 3,
    WorkingDirectory = 4,
    Namespaces = 5,
    UserMapping = 6,
    MountPropagation = 7,
    Loopback = 8,
    Hostname = 9,
    ResourceLimits = 10,
    Cgroup = 11,
    Stop = 12,
    NoNewPrivileges = 13,
    Landlock = 14,
    Seccomp = 15,
    Exec = 16,
    ProcFileSystem = 17,
    Capabilities = 18,
    /// <summary>Becoming the sandbox's user and group (setgroups, setresgid, setresuid).</summary>
    Identity = 19,
    /// <summary>One step of the mount plan (bind, tmpfs, read-only, /dev).</summary>
    Mounts = 20,
    /// <summary>The fork that makes the command a grandchild (<see cref="LaunchOptions.Orphan"/>).</summary>
    Orphan = 21,
}
