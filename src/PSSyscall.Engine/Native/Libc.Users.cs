using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Native;

/// <summary>The passwd and group databases (through NSS, as strace -u reads them).</summary>
internal static unsafe partial class Libc
{
    [StructLayout(LayoutKind.Sequential)]
    public struct Passwd
    {
        public byte* Name;
        public byte* Password;
        public uint Uid;
        public uint Gid;
        public byte* Gecos;
        public byte* Directory;
        public byte* Shell;
    }

    [LibraryImport(LibC, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int getpwnam_r(string name, Passwd* pwd, byte* buffer, nuint size, Passwd** result);

    [LibraryImport(LibC)]
    public static partial int getpwuid_r(uint uid, Passwd* pwd, byte* buffer, nuint size, Passwd** result);

    [LibraryImport(LibC, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int getgrouplist(string user, uint group, uint* groups, int* count);

    /// <summary>struct rusage: the times first (timeval each), then 14 longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RUsage
    {
        public long UserSeconds, UserMicroseconds;
        public long SystemSeconds, SystemMicroseconds;
        public fixed long Rest[14];
    }

    [LibraryImport(LibC, SetLastError = true)]
    public static partial nint process_vm_writev(int pid, IoVec* local, nuint liovcnt, IoVec* remote, nuint riovcnt, nuint flags);

    /// <summary>waitpid with the waited process's resource usage (for a ptrace stop, the tracee's
    /// thread group: what strace -c reads its system time from).</summary>
    [LibraryImport(LibC, SetLastError = true)]
    public static partial int wait4(int pid, out int status, int options, RUsage* usage);
}
