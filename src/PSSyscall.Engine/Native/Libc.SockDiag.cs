using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Native;

/// <summary>The libc calls of strace -yy's descriptor details (Tracing/FdDescriber): a
/// NETLINK_SOCK_DIAG socket, a socket's protocol name (getxattr system.sockprotoname) and a
/// device's numbers (stat).</summary>
internal static unsafe partial class Libc
{
    public const int AF_NETLINK = 16, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000, NETLINK_SOCK_DIAG = 4;

    [LibraryImport(LibC, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(LibC, SetLastError = true)]
    public static partial nint send(int fd, void* buffer, nint length, int flags);

    [LibraryImport(LibC, SetLastError = true)]
    public static partial nint recv(int fd, void* buffer, nint length, int flags);

    [LibraryImport(LibC, SetLastError = true)]
    public static partial nint getxattr(byte* path, byte* name, void* value, nint size);

    /// <summary>stat(2); struct stat on x86_64 is 144 bytes, st_mode at 24 (u32), st_rdev at 40 (u64).</summary>
    [LibraryImport(LibC, SetLastError = true)]
    public static partial int stat(byte* path, void* buffer);
}
