using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Native;

/// <summary>
/// seccomp user notification (linux/seccomp.h): the listener ioctls and their structs. A filter
/// returning SECCOMP_RET_USER_NOTIF makes the calling thread wait until a supervisor holding the
/// listener fd answers with an errno, a return value, or "continue".
/// </summary>
internal static unsafe partial class SeccompNotify
{
    // _IOWR('!', 0, struct seccomp_notif), _IOWR('!', 1, struct seccomp_notif_resp), _IOW('!', 2, __u64)
    public const ulong IoctlRecv = 0xc0502100, IoctlSend = 0xc0182101, IoctlIdValid = 0x40082102;

    public const uint FlagContinue = 1; // SECCOMP_USER_NOTIF_FLAG_CONTINUE

    // SECCOMP_FILTER_FLAG_*
    public const uint FilterFlagNewListener = 1u << 3, FilterFlagWaitKillableRecv = 1u << 5;

    public const uint RetUserNotif = 0x7fc00000;

    /// <summary>struct seccomp_data.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Data
    {
        public int Nr;
        public uint Arch;
        public ulong InstructionPointer;
        public fixed ulong Args[6];
    }

    /// <summary>struct seccomp_notif (80 bytes); must be zeroed before SECCOMP_IOCTL_NOTIF_RECV.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Notification
    {
        public ulong Id;
        public uint Pid;
        public uint Flags;
        public Data Data;
    }

    /// <summary>struct seccomp_notif_resp (24 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Response
    {
        public ulong Id;
        public long Val;
        public int Error;
        public uint Flags;
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, ulong request, void* arg);
}
