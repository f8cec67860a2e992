using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Native;

/// <summary>The libc calls the sandbox adds: pidfds, poll, eventfds, files.</summary>
internal static unsafe partial class Libc
{
    public const int EBADF = 9, ENOMEM = 12, EBUSY = 16, EEXIST = 17, ENOSYS = 38, ENOTSUP = 95;
    public const int SIGSYS = 31;

    public const long SYS_pidfd_getfd = 438, SYS_pidfd_send_signal = 424;

    public static int pidfd_open(int pid) => (int)syscall(SYS_pidfd_open, pid, 0, 0);

    public static int pidfd_getfd(int pidfd, int targetFd) => (int)syscall(SYS_pidfd_getfd, pidfd, targetFd, 0);

    public const short POLLIN = 0x1, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(LibC, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(LibC, SetLastError = true)]
    public static partial nint write(int fd, void* buf, nint count);

    public const int EFD_CLOEXEC = 0x80000, EFD_NONBLOCK = 0x800;

    [LibraryImport(LibC, SetLastError = true)]
    public static partial int eventfd(uint initval, int flags);

    [LibraryImport(LibC, SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    public const int F_GETFL = 3, F_SETFL = 4;

    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_PATH = 0x200000, O_DIRECTORY = 0x10000;

    [LibraryImport(LibC, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    /// <summary>Sets one 64-bit counter of an eventfd (wakes a poll on it).</summary>
    public static void Signal(int eventFd)
    {
        ulong one = 1;
        write(eventFd, &one, 8);
    }

    public const int O_NOCTTY = 0x100;
    public const int EISDIR = 21;

    /// <summary>The fields of struct stat (x86_64 layout, 144 bytes) that the trace readers need.</summary>
    public static bool TryGetFileType(int fd, out uint mode, out long size)
    {
        byte* stat = stackalloc byte[256];
        mode = 0;
        size = 0;
        if (fstat(fd, stat) != 0)
            return false;
        mode = *(uint*)(stat + 24);
        size = *(long*)(stat + 48);
        return true;
    }

    public const int POSIX_FADV_SEQUENTIAL = 2;

    /// <summary>Tells the kernel a file is read from start to end (larger read-ahead), as
    /// FileOptions.SequentialScan does for a FileStream that .NET opens itself.</summary>
    [LibraryImport(LibC)]
    public static partial int posix_fadvise(int fd, long offset, long length, int advice);

    public const uint S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000;

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int fstat(int fd, byte* stat);

    [LibraryImport(LibC)]
    public static partial uint geteuid();

    [LibraryImport(LibC)]
    public static partial uint getegid();

    [LibraryImport(LibC, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint readlink(string path, byte* buf, nint size);
}
