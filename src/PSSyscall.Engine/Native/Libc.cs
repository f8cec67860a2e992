using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Native;

/// <summary>
/// The libc calls the engine makes, declared in one place. ptrace is reached through syscall(2)
/// rather than libc's variadic ptrace(), whose calling convention is only accidentally compatible
/// with a fixed-argument P/Invoke.
/// </summary>
internal static unsafe partial class Libc
{
    private const string LibC = "libc";

    // ---- errno values the engine reacts to ----
    public const int EINTR = 4, ESRCH = 3, ECHILD = 10, EPERM = 1, ENOENT = 2, EACCES = 13, EAGAIN = 11;

    // ---- wait ----
    public const int WNOHANG = 1, WUNTRACED = 2, WSTOPPED = 2, WEXITED = 4, WCONTINUED = 8;
    public const int __WNOTHREAD = 0x20000000, __WALL = 0x40000000;

    [LibraryImport(LibC, SetLastError = true)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a trace calls it at every stop: no tiering (docs/performance.md)
    public static partial int waitpid(int pid, out int status, int options);

    public static bool WIFEXITED(int s) => (s & 0x7f) == 0;
    public static int WEXITSTATUS(int s) => (s >> 8) & 0xff;
    public static bool WIFSIGNALED(int s) => ((s & 0x7f) + 1) >> 1 > 0 && (s & 0x7f) != 0x7f && (s & 0x7f) != 0;
    public static int WTERMSIG(int s) => s & 0x7f;
    public static bool WCOREDUMP(int s) => (s & 0x80) != 0;
    public static bool WIFSTOPPED(int s) => (s & 0xff) == 0x7f;
    public static int WSTOPSIG(int s) => (s >> 8) & 0xff;

    // ---- files ----
    public const int X_OK = 1, O_CREAT = 0x40, O_TRUNC = 0x200;

    /// <summary>open(2) with a mode, for files it may create (the other overload is in Libc.Process.cs).</summary>
    [LibraryImport(LibC, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, int mode);

    /// <summary>access(2) with the real uid, as execvp judges a candidate.</summary>
    [LibraryImport(LibC, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int access(string path, int mode);

    /// <summary>isatty(3): whether the descriptor is a terminal.</summary>
    [LibraryImport(LibC)]
    public static partial int isatty(int fd);

    // ---- signals ----
    public const int SIGKILL = 9, SIGSTOP = 19, SIGCONT = 18, SIGTRAP = 5, SIGCHLD = 17,
        SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22;

    [LibraryImport(LibC, SetLastError = true)]
    public static partial int kill(int pid, int sig);

    public static int tgkill(int tgid, int tid, int sig) => (int)syscall(SYS_tgkill, tgid, tid, sig);

    // ---- descriptors ----
    public const int O_CLOEXEC = 0x80000, O_NONBLOCK = 0x800;

    [LibraryImport(LibC, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(LibC, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(LibC, SetLastError = true)]
    public static partial nint read(int fd, void* buf, nint count);

    [LibraryImport(LibC, SetLastError = true)]
    public static partial nint recvmsg(int fd, MsgHdr* msg, int flags);

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec { public void* Base; public nuint Length; }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name; public uint NameLen;
        public IoVec* Iov; public nuint IovLen;
        public void* Control; public nuint ControlLen;
        public int Flags;
    }

    // ---- memory of another process ----
    [LibraryImport(LibC, SetLastError = true)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a trace calls it at every stop: no tiering (docs/performance.md)
    public static partial nint process_vm_readv(int pid, IoVec* local, nuint liovcnt, IoVec* remote, nuint riovcnt, nuint flags);

    // ---- files: /proc/PID/mem fallback and /proc/PID/fd links (the tracer's argument capture) ----
    [LibraryImport(LibC, SetLastError = true)]
    public static partial int open(byte* path, int flags);

    [LibraryImport(LibC, SetLastError = true)]
    public static partial nint pread(int fd, void* buf, nint count, long offset);

    [LibraryImport(LibC, SetLastError = true)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a trace calls it at every stop: no tiering (docs/performance.md)
    public static partial nint readlink(byte* path, byte* buf, nint size);

    // ---- network interfaces: names for the indexes strace shows as if_nametoindex("lo") ----
    [LibraryImport(LibC)]
    public static partial byte* if_indextoname(uint index, byte* name);

    /// <summary>The name of interface <paramref name="index"/> in the caller's network namespace, or null.</summary>
    public static string? InterfaceName(uint index)
    {
        byte* name = stackalloc byte[16]; // IF_NAMESIZE
        return if_indextoname(index, name) is null ? null : new string((sbyte*)name);
    }

    // ---- raw syscalls ----
    public const long SYS_ptrace = 101, SYS_tgkill = 234, SYS_gettid = 186, SYS_pidfd_open = 434;

    [LibraryImport(LibC, SetLastError = true)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a trace calls it at every stop: no tiering (docs/performance.md)
    public static partial long syscall(long number, long a1, long a2, long a3);

    [LibraryImport(LibC, SetLastError = true)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a trace calls it at every stop: no tiering (docs/performance.md)
    public static partial long syscall(long number, long a1, long a2, long a3, long a4);

    public static int gettid() => (int)syscall(SYS_gettid, 0, 0, 0);

    // ---- signal dispositions ----
    public const ulong SA_NOCLDSTOP = 1;

    /// <summary>The kernel's struct sigaction layout (rt_sigaction), which glibc's matches on x86_64
    /// in the fields we touch: handler, flags, restorer, mask.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SigAction
    {
        public nint Handler;
        public fixed ulong Mask[16];   // glibc sigset_t is 1024 bits
        public int Flags;
        public nint Restorer;
    }

    [LibraryImport(LibC, SetLastError = true)]
    public static partial int sigaction(int sig, SigAction* act, SigAction* oldact);

    public static int LastError => Marshal.GetLastPInvokeError();

    public static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
