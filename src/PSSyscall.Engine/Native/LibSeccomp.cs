using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Native;

/// <summary>
/// The system's libseccomp (libseccomp.so.2, 2.5 or later), which compiles seccomp policies to
/// classic BPF exactly as container runtimes do. Declarations only; <see cref="SeccompContext"/>
/// wraps a filter context. Constants are from seccomp.h.
/// </summary>
internal static unsafe partial class LibSeccomp
{
    private const string Lib = NativeLibraryResolver.LibSeccomp;

    // Actions (seccomp.h): the kernel's SECCOMP_RET_* values.
    public const uint ActKillProcess = 0x80000000, ActKillThread = 0x00000000, ActTrap = 0x00030000,
        ActErrnoBase = 0x00050000, ActTraceBase = 0x7ff00000, ActLog = 0x7ffc0000, ActAllow = 0x7fff0000,
        ActNotify = 0x7fc00000;

    public static uint ActErrno(int errno) => ActErrnoBase | ((uint)errno & 0xffff);
    public static uint ActTrace(int data) => ActTraceBase | ((uint)data & 0xffff);

    // Filter attributes (enum scmp_filter_attr).
    public const int AttrDefaultAction = 1, AttrBadArchAction = 2, AttrNoNewPrivs = 3, AttrTsync = 4,
        AttrApiTskip = 5, AttrLog = 6, AttrSsb = 7, AttrOptimize = 8, AttrApiSysRawRc = 9;

    // Architecture tokens (SCMP_ARCH_*): the AUDIT_ARCH_* values.
    public const uint ArchNative = 0, ArchX86_64 = 0xC000003E, ArchX86 = 0x40000003, ArchX32 = 0x4000003E;

    // Comparison operators (enum scmp_compare).
    public const int CmpNe = 1, CmpLt = 2, CmpLe = 3, CmpEq = 4, CmpGe = 5, CmpGt = 6, CmpMaskedEq = 7;

    /// <summary>struct scmp_arg_cmp.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ArgCmp
    {
        public uint Arg;
        public int Op;
        public ulong DatumA;
        public ulong DatumB;
    }

    /// <summary>struct scmp_version.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Version
    {
        public uint Major, Minor, Micro;
    }

    [LibraryImport(Lib, EntryPoint = "seccomp_version")]
    public static partial Version* GetVersion();

    [LibraryImport(Lib, EntryPoint = "seccomp_init")]
    public static partial nint Init(uint defaultAction);

    [LibraryImport(Lib, EntryPoint = "seccomp_release")]
    public static partial void Release(nint ctx);

    [LibraryImport(Lib, EntryPoint = "seccomp_arch_add")]
    public static partial int ArchAdd(nint ctx, uint arch);

    [LibraryImport(Lib, EntryPoint = "seccomp_arch_remove")]
    public static partial int ArchRemove(nint ctx, uint arch);

    [LibraryImport(Lib, EntryPoint = "seccomp_arch_exist")]
    public static partial int ArchExist(nint ctx, uint arch);

    [LibraryImport(Lib, EntryPoint = "seccomp_attr_set")]
    public static partial int AttrSet(nint ctx, int attr, uint value);

    [LibraryImport(Lib, EntryPoint = "seccomp_rule_add_array")]
    public static partial int RuleAddArray(nint ctx, uint action, int syscall, uint argCount, ArgCmp* args);

    [LibraryImport(Lib, EntryPoint = "seccomp_rule_add_exact_array")]
    public static partial int RuleAddExactArray(nint ctx, uint action, int syscall, uint argCount, ArgCmp* args);

    [LibraryImport(Lib, EntryPoint = "seccomp_syscall_resolve_name_arch", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ResolveNameArch(uint arch, string name);

    [LibraryImport(Lib, EntryPoint = "seccomp_merge")]
    public static partial int Merge(nint destination, nint source);

    /// <summary>What seccomp_syscall_resolve_name* return for a name libseccomp does not know
    /// (__NR_SCMP_ERROR). Pseudo numbers for calls an ABI lacks are -10000 and below.</summary>
    public const int NrScmpError = -1, PseudoNumberLimit = -10000;

    [LibraryImport(Lib, EntryPoint = "seccomp_export_bpf")]
    public static partial int ExportBpf(nint ctx, int fd);

    [LibraryImport(Lib, EntryPoint = "seccomp_export_pfc")]
    public static partial int ExportPfc(nint ctx, int fd);

    /// <summary>True when libseccomp.so.2 can be loaded.</summary>
    public static bool IsAvailable
    {
        get
        {
            try
            {
                return GetVersion() != null;
            }
            catch (DllNotFoundException)
            {
                return false;
            }
            catch (EntryPointNotFoundException)
            {
                return false;
            }
        }
    }
}
