namespace PSSyscall;

/// <summary>What descriptor annotations show (strace --decode-fds): Path is strace -y, All is -yy.</summary>
[Flags]
public enum FdDecoding
{
    /// <summary>What the descriptor refers to: a path, "socket:[INODE]", "pipe:[INODE]" (strace -y).</summary>
    Path = 0,

    /// <summary>Sockets by protocol and endpoints: "TCP:[127.0.0.1:42->127.0.0.1:80]",
    /// "UNIX-STREAM:[INODE->PEER,"/run/x.sock"]", "NETLINK:[ROUTE:1234]" (from NETLINK_SOCK_DIAG).</summary>
    Socket = 1,

    /// <summary>Devices with their numbers: "/dev/null&lt;char 1:3&gt;".</summary>
    Device = 2,

    /// <summary>A pidfd by the process it refers to: "pid:1234" (from /proc/PID/fdinfo).</summary>
    Pidfd = 4,

    /// <summary>Sockets, devices and pidfds (strace -yy).</summary>
    All = Socket | Device | Pidfd,
}
