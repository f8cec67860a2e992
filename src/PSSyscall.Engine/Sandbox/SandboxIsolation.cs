namespace PSSyscall;

/// <summary>The namespaces Invoke-Sandboxed -Isolate gives the command (Network is what -NoNetwork
/// asks for). Pid and Mount (and a cgroup namespace) are always given; a user namespace is added
/// when the caller is not root. A user namespace maps only the sandbox's user and group.</summary>
[Flags]
public enum SandboxIsolation
{
    None = 0,
    /// <summary>A new network namespace with only loopback, up.</summary>
    Network = 1,
    /// <summary>A new PID namespace: the command is PID 1 of its own tree, and with Mount it gets a fresh /proc.</summary>
    Pid = 2,
    /// <summary>New System V IPC and POSIX message queue namespace.</summary>
    Ipc = 4,
    /// <summary>A new hostname and domain name (see -Hostname).</summary>
    Uts = 8,
    /// <summary>A private mount namespace (mount events do not propagate back).</summary>
    Mount = 16,
    /// <summary>A new user namespace mapping only the sandbox's uid and gid (root's command: nobody).</summary>
    User = 32,
}
