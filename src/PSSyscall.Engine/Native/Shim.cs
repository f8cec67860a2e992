using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Native;

/// <summary>The C shim (src/native/pssyscall_shim.h): fork and the child side of a spawn.
/// The structs here mirror that header field for field.</summary>
internal static unsafe partial class Shim
{
    public const string Library = "pssyscall";
    public const int AbiVersion = 5;

    public const uint SpawnStop = 0x01, SpawnNoNewPrivs = 0x02, SpawnNewSession = 0x04,
        SpawnLoopbackUp = 0x08, SpawnParentDeathKill = 0x10, SpawnMountProc = 0x20, SpawnDropCapabilities = 0x40, SpawnSharedMemory = 0x80,
        SpawnCgroupBestEffort = 0x100, SpawnInheritDescriptors = 0x200,
        SpawnOrphan = 0x400, SpawnNewProcessGroup = 0x800;

    /// <summary>Not a failure: sent before the seccomp filter is installed; Report.Error holds the
    /// descriptor number the listener will have in the child (take it with pidfd_getfd).</summary>
    public const int StageListener = 100;

    /// <summary>Not a failure: PID 1 of a new PID namespace announces itself (its pid comes as SCM_CREDENTIALS).</summary>
    public const int StagePidNamespaceInit = 101;
    /// <summary>Not a failure: with <see cref="SpawnOrphan"/> the grandchild announces its pid (in Error).</summary>
    public const int StageOrphaned = 102;

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
        public Mount* Mounts;
        public int MountCount;
        public int Uid;
        public int Gid;
        public int Reserved;
        public ulong KeepCapabilities;
        public uint* Groups;
        public int GroupCount;
        public int Reserved2;
    }

    public const int MountBind = 1, MountTmpfs = 2, MountReadOnly = 3, MountDev = 4, MountProc = 5;
    public const uint MountFlagReadOnly = 0x1, MountFlagWritable = 0x2, MountFlagCreate = 0x4, MountFlagDirectory = 0x8;

    [StructLayout(LayoutKind.Sequential)]
    public struct Mount
    {
        public int Kind;
        public uint Flags;
        public byte* Source;
        public byte* Target;
        public byte* Data;
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
        public int Detail;
    }

    [LibraryImport(Library, EntryPoint = "pss_spawn")]
    public static partial int Spawn(SpawnRequest* request, SpawnResult* result);

    [LibraryImport(Library, EntryPoint = "pss_spawn_waiter")]
    public static partial int SpawnWaiter(int readFd);

    [LibraryImport(Library, EntryPoint = "pss_spawn_guardian")]
    public static partial int SpawnGuardian(int readFd, byte** dirs, int count, void* stack, ulong stackSize);

    [LibraryImport(Library, EntryPoint = "pss_abi_version")]
    public static partial int GetAbiVersion();
}
