using System.Collections.Frozen;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// What the strace text reader needs to know of a syscall beyond its text: which argument is its
/// first path and which its first file descriptor (so imported events get
/// <see cref="SyscallEvent.Path"/> and <see cref="SyscallEvent.Fd"/> as live ones do), and its
/// classes. strace already decoded the values; only positions are needed. They come from the one
/// syscall signature table where it knows the call (first Path argument, first Fd or DirFd
/// argument, its classes), so imported events match live ones; the list below covers the calls
/// the signature table does not decode (and i386 names such as stat64), for Path and Fd only.
/// </summary>
internal static class SyscallArgumentRoles
{
    public readonly record struct Roles(int PathArgument, int FdArgument, SyscallClass Classes = SyscallClass.None);

    private static readonly FrozenDictionary<string, Roles> Table = Build();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Roles> Cache = new(StringComparer.Ordinal);

    public static Roles Get(string name) => Cache.GetOrAdd(name, Resolve);

    private static Roles Resolve(string name)
    {
        if (Syscalls.SyscallSignatures.Get(name) is { Arguments: { } args } signature)
        {
            int path = Array.FindIndex(args, k => k == Syscalls.ArgKind.Path);
            int fd = Array.FindIndex(args, k => k is Syscalls.ArgKind.Fd or Syscalls.ArgKind.DirFd);
            return new Roles(path, fd, signature.Classes);
        }
        Roles listed = Table.TryGetValue(name, out Roles r) ? r : new Roles(-1, -1);
        return listed with { Classes = Syscalls.SyscallSignatures.Get(name)?.Classes ?? SyscallClass.None };
    }

    private static FrozenDictionary<string, Roles> Build()
    {
        var t = new Dictionary<string, Roles>(StringComparer.Ordinal);
        void Path0(params string[] names) { foreach (string n in names) t[n] = new Roles(0, -1); }
        void Fd0(params string[] names) { foreach (string n in names) t[n] = new Roles(-1, 0); }
        void At(params string[] names) { foreach (string n in names) t[n] = new Roles(1, 0); }

        // A path first.
        Path0("open", "creat", "stat", "lstat", "stat64", "lstat64", "oldstat", "oldlstat", "access", "truncate", "truncate64",
            "chdir", "mkdir", "rmdir", "unlink", "link", "symlink", "readlink", "chmod", "chown", "lchown", "chown32", "lchown32",
            "utime", "utimes", "mknod", "statfs", "statfs64", "chroot", "pivot_root", "acct", "swapon", "swapoff", "execve",
            "uselib", "setxattr", "lsetxattr", "getxattr", "lgetxattr", "listxattr", "llistxattr", "removexattr",
            "lremovexattr", "rename", "mount", "umount", "umount2", "quotactl");
        // A directory fd, then a path relative to it.
        At("openat", "openat2", "mkdirat", "mknodat", "fchownat", "futimesat", "newfstatat", "fstatat64", "unlinkat",
            "renameat", "renameat2", "linkat", "readlinkat", "fchmodat", "fchmodat2", "faccessat", "faccessat2",
            "utimensat", "utimensat_time64", "execveat", "statx", "name_to_handle_at", "open_tree", "open_tree_attr", "fspick", "move_mount",
            "mount_setattr", "inotify_add_watch", "setxattrat", "getxattrat", "listxattrat", "removexattrat", "file_getattr", "file_setattr");
        t["symlinkat"] = new Roles(0, 1);
        t["fanotify_mark"] = new Roles(4, 0);
        // An fd first.
        Fd0("read", "write", "close", "fstat", "fstat64", "oldfstat", "lseek", "_llseek", "ioctl", "pread64", "pwrite64",
            "readv", "writev", "preadv", "pwritev", "preadv2", "pwritev2", "fcntl", "fcntl64", "flock", "fsync", "fdatasync",
            "ftruncate", "ftruncate64", "getdents", "getdents64", "readdir", "fchdir", "fchmod", "fchown", "fchown32", "fstatfs",
            "fstatfs64", "readahead", "fsetxattr", "fgetxattr", "flistxattr", "fremovexattr", "sendfile", "sendfile64",
            "connect", "accept", "accept4", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "shutdown",
            "bind", "listen", "getsockname", "getpeername", "setsockopt", "getsockopt", "send", "recv", "dup", "dup2", "dup3",
            "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2", "fadvise64", "fadvise64_64", "fallocate",
            "sync_file_range", "vmsplice", "splice", "tee", "timerfd_settime", "timerfd_gettime", "signalfd", "signalfd4",
            "inotify_rm_watch", "syncfs", "setns", "copy_file_range", "pidfd_send_signal", "pidfd_getfd", "process_madvise",
            "fsmount", "fsconfig", "finit_module", "kexec_file_load", "close_range", "futimens");
        t["mmap"] = new Roles(-1, 4);
        t["mmap2"] = new Roles(-1, 4);
        t["old_mmap"] = new Roles(-1, 4);
        return t.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
