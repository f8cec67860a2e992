using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Native;

/// <summary>The C shim (src/native/pssyscall_shim.h): fork and the child side of a spawn.
/// The structs here mirror that header field for field.</summary>
internal static unsafe partial class Shim
{
    public const string Library = "pssyscall";
    public const int AbiVersion = 3;

    public const uint SpawnStop = 0x01, SpawnNoNewPrivs = 0x02, SpawnNewSession = 0x04,
        SpawnLoopbackUp = 0x08, SpawnParentDeathKill = 0x10, SpawnMountProc = 0x20, SpawnDropCapabilities = 0x40, SpawnSharedMemory = 0x80, SpawnInheritDescriptors = 0x100;

    /// <summary>Not a failure: sent before the seccomp filter is installed; Report.Error holds the
    /// descriptor number the listener will have in the child (take it with pidfd_getfd).</summary>
    public const int StageListener = 100;

    [StructLayout(LayoutKind.Sequential)]
    public struct RLimit
    {
        public int Resource;
        public int Reserved;
        public ulong Soft;
        public ulong Hard;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct SpawnRequest
    {
        public uint Size;
        public uint Flags;
        public byte* Path;
        public byte** Argv;
        public byte** Envp;
        public byte* Cwd;
        public fixed int Stdio[3];
        public int UnshareFlags;
        public byte* UidMap;
        public byte* GidMap;
        public byte* Hostname;
        public RLimit* RLimits;
        public int RLimitCount;
        public int LandlockRulesetFd;
        public int* CgroupProcsFds;
        public int CgroupProcsCount;
        public uint SeccompFlags;
        public void* SeccompProgram;
        public void* ChildStack;
        public ulong ChildStackSize;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct SpawnResult
    {
        public int Pid;
        public int ReportFd;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Report
    {
        public int Stage;
        public int Error;
    }

    [LibraryImport(Library, EntryPoint = "pss_spawn")]
    public static partial int Spawn(SpawnRequest* request, SpawnResult* result);

    [LibraryImport(Library, EntryPoint = "pss_spawn_waiter")]
    public static partial int SpawnWaiter(int readFd);

    [LibraryImport(Library, EntryPoint = "pss_abi_version")]
    public static partial int GetAbiVersion();
}
