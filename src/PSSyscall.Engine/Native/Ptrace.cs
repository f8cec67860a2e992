using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Native;

/// <summary>ptrace(2) requests, options and events, and the PTRACE_GET_SYSCALL_INFO record.
/// Every call must come from the tracer thread that attached the tracee.</summary>
internal static unsafe class Ptrace
{
    public const int TRACEME = 0, PEEKDATA = 2, CONT = 7, KILL = 8, DETACH = 17, SYSCALL = 24,
        SETOPTIONS = 0x4200, GETEVENTMSG = 0x4201, GETSIGINFO = 0x4202,
        SEIZE = 0x4206, INTERRUPT = 0x4207, LISTEN = 0x4208, GET_SYSCALL_INFO = 0x420e;

    public const int O_TRACESYSGOOD = 1, O_TRACEFORK = 2, O_TRACEVFORK = 4, O_TRACECLONE = 8,
        O_TRACEEXEC = 0x10, O_TRACEVFORKDONE = 0x20, O_TRACEEXIT = 0x40, O_TRACESECCOMP = 0x80,
        O_EXITKILL = 0x100000;

    public const int EVENT_FORK = 1, EVENT_VFORK = 2, EVENT_CLONE = 3, EVENT_EXEC = 4,
        EVENT_VFORK_DONE = 5, EVENT_EXIT = 6, EVENT_SECCOMP = 7, EVENT_STOP = 128;

    public const byte SYSCALL_INFO_NONE = 0, SYSCALL_INFO_ENTRY = 1, SYSCALL_INFO_EXIT = 2, SYSCALL_INFO_SECCOMP = 3;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long Request(int request, int pid, nint addr, nint data)
        => Libc.syscall(Libc.SYS_ptrace, request, pid, addr, data);

    public static bool Seize(int pid, int options) => Request(SEIZE, pid, 0, options) == 0;
    public static bool Syscall(int pid, int signal) => Request(SYSCALL, pid, 0, signal) == 0;
    public static bool Continue(int pid, int signal) => Request(CONT, pid, 0, signal) == 0;
    public static bool Listen(int pid) => Request(LISTEN, pid, 0, 0) == 0;
    public static bool Interrupt(int pid) => Request(INTERRUPT, pid, 0, 0) == 0;
    public static bool Detach(int pid, int signal) => Request(DETACH, pid, 0, signal) == 0;

    public static ulong GetEventMessage(int pid)
    {
        ulong msg = 0;
        Request(GETEVENTMSG, pid, 0, (nint)(&msg));
        return msg;
    }

    public static bool GetSignalInfo(int pid, SignalInfo* info) => Request(GETSIGINFO, pid, 0, (nint)info) == 0;

    /// <summary>Fills <paramref name="info"/>; returns the number of bytes the kernel wrote, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long GetSyscallInfo(int pid, SyscallInfo* info)
        => Request(GET_SYSCALL_INFO, pid, sizeof(SyscallInfo), (nint)info);

    /// <summary>struct ptrace_syscall_info (linux/ptrace.h). The union is flattened: for an entry or
    /// seccomp stop Nr/Args are valid (and RetData for seccomp); for an exit stop the first union
    /// word is rval and the next byte is_error.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SyscallInfo
    {
        public byte Op;
        public byte Pad0, Pad1, Pad2;
        public uint Arch;
        public ulong InstructionPointer;
        public ulong StackPointer;
        public ulong Nr;            // exit: rval
        public fixed ulong Args[6]; // exit: Args[0] low byte is is_error
        public uint RetData;
        public uint Pad3;

        public long ReturnValue => (long)Nr;
        public bool IsError => (Args[0] & 0xff) != 0;
    }

    /// <summary>siginfo_t, 128 bytes; the fields read are at fixed offsets for x86_64.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 128)]
    public struct SignalInfo
    {
        public int Signo;
        public int Errno;
        public int Code;
        public int Pad;
        public int Pid;   // si_pid for kill/sigqueue/SIGCHLD
        public int Uid;
        public int Status; // SIGCHLD: si_status
        public int Pad2;
        public long UserTime;   // SIGCHLD: si_utime (clock ticks)
        public long SystemTime; // SIGCHLD: si_stime
        public fixed byte Rest[80]; // PTRACE_GETSIGINFO writes a whole siginfo_t: 128 bytes
        public long Addr => ((long)Uid << 32) | (uint)Pid; // SIGSEGV/SIGBUS: si_addr overlays pid/uid
    }
}
