using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Native;

/// <summary>
/// Landlock (linux/landlock.h): unprivileged filesystem access control. The engine builds a
/// ruleset in the parent; the shim's child calls landlock_restrict_self with its fd right before
/// seccomp and execve. Raw syscalls: glibc has no wrappers.
/// </summary>
internal static unsafe class Landlock
{
    private const long SYS_landlock_create_ruleset = 444, SYS_landlock_add_rule = 445;

    public const uint CreateRulesetVersion = 1;
    public const int RulePathBeneath = 1;

    // LANDLOCK_ACCESS_FS_*, with the ABI version that introduced each.
    public const ulong Execute = 1UL << 0, WriteFile = 1UL << 1, ReadFile = 1UL << 2, ReadDir = 1UL << 3,
        RemoveDir = 1UL << 4, RemoveFile = 1UL << 5, MakeChar = 1UL << 6, MakeDir = 1UL << 7,
        MakeReg = 1UL << 8, MakeSock = 1UL << 9, MakeFifo = 1UL << 10, MakeBlock = 1UL << 11,
        MakeSym = 1UL << 12, /* ABI 2 */ Refer = 1UL << 13, /* ABI 3 */ Truncate = 1UL << 14,
        /* ABI 5 */ IoctlDev = 1UL << 15;

    // LANDLOCK_SCOPE_* (ABI 6).
    public const ulong ScopeAbstractUnixSocket = 1UL << 0, ScopeSignal = 1UL << 1;

    /// <summary>struct landlock_ruleset_attr; the size passed says which fields the kernel reads.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RulesetAttr
    {
        public ulong HandledAccessFs;
        public ulong HandledAccessNet;
        public ulong Scoped;
    }

    /// <summary>struct landlock_path_beneath_attr (packed: 12 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    public struct PathBeneathAttr
    {
        public ulong AllowedAccess;
        public int ParentFd;
    }

    /// <summary>The kernel's Landlock ABI version, or -errno (EOPNOTSUPP: disabled at boot,
    /// ENOSYS: not built in).</summary>
    public static int AbiVersion()
    {
        long rc = Libc.syscall(SYS_landlock_create_ruleset, 0, 0, CreateRulesetVersion);
        return rc >= 0 ? (int)rc : -Libc.LastError;
    }

    public static int CreateRuleset(RulesetAttr* attr, int size)
        => (int)Libc.syscall(SYS_landlock_create_ruleset, (long)attr, size, 0);

    public static int AddPathRule(int rulesetFd, PathBeneathAttr* attr)
        => (int)Libc.syscall(SYS_landlock_add_rule, rulesetFd, RulePathBeneath, (long)attr, 0);
}
