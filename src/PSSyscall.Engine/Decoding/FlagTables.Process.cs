namespace PSSyscall.Engine.Decoding;

// Process, scheduling and memory-policy tables (values: linux/sched.h, linux/resource.h,
// linux/wait.h, linux/mempolicy.h, linux/kcmp.h, asm-generic/mman-common.h; checked against the
// headers by FlagTableHeaderTests).
internal static partial class FlagTables
{
    public static readonly Named[] SchedPolicies =
    {
        N(0, "SCHED_OTHER"), N(1, "SCHED_FIFO"), N(2, "SCHED_RR"), N(3, "SCHED_BATCH"), N(4, "SCHED_ISO"),
        N(5, "SCHED_IDLE"), N(6, "SCHED_DEADLINE"),
    };

    public static readonly Named[] PriorityWhich = { N(0, "PRIO_PROCESS"), N(1, "PRIO_PGRP"), N(2, "PRIO_USER") };

    public static readonly Named[] IdTypes = { N(0, "P_ALL"), N(1, "P_PID"), N(2, "P_PGID"), N(3, "P_PIDFD") };

    public static readonly Named[] MlockallFlags = { N(1, "MCL_CURRENT"), N(2, "MCL_FUTURE"), N(4, "MCL_ONFAULT") };

    public static readonly Named[] MempolicyModes =
    {
        N(0, "MPOL_DEFAULT"), N(1, "MPOL_PREFERRED"), N(2, "MPOL_BIND"), N(3, "MPOL_INTERLEAVE"), N(4, "MPOL_LOCAL"),
        N(5, "MPOL_PREFERRED_MANY"),
    };

    public static readonly Named[] MempolicyModeFlags =
    {
        N(0x8000, "MPOL_F_STATIC_NODES"), N(0x4000, "MPOL_F_RELATIVE_NODES"), N(0x2000, "MPOL_F_NUMA_BALANCING"),
    };

    public static readonly Named[] KcmpTypes =
    {
        N(0, "KCMP_FILE"), N(1, "KCMP_VM"), N(2, "KCMP_FILES"), N(3, "KCMP_FS"), N(4, "KCMP_SIGHAND"), N(5, "KCMP_IO"),
        N(6, "KCMP_SYSVSEM"), N(7, "KCMP_EPOLL_TFD"),
    };

    public static readonly Named[] PkeyAccess = { N(1, "PKEY_DISABLE_ACCESS"), N(2, "PKEY_DISABLE_WRITE"), N(4, "PKEY_DISABLE_EXECUTE") };

    public static readonly Named[] PidfdFlags = { N(0x800, "PIDFD_NONBLOCK") };

    public static readonly Named[] UserfaultfdFlags = { N(1, "UFFD_USER_MODE_ONLY"), N(0x800, "O_NONBLOCK"), N(0x80000, "O_CLOEXEC") };
}

// Scheduling attributes, personalities, I/O priorities, capabilities (linux/sched/types.h,
// linux/personality.h, linux/ioprio.h, linux/capability.h).
internal static partial class FlagTables
{
    public static readonly Named[] SchedAttrFlags =
    {
        N(0x1, "SCHED_FLAG_RESET_ON_FORK"), N(0x2, "SCHED_FLAG_RECLAIM"), N(0x4, "SCHED_FLAG_DL_OVERRUN"),
        N(0x8, "SCHED_FLAG_KEEP_POLICY"), N(0x10, "SCHED_FLAG_KEEP_PARAMS"), N(0x20, "SCHED_FLAG_UTIL_CLAMP_MIN"),
        N(0x40, "SCHED_FLAG_UTIL_CLAMP_MAX"),
    };

    public static readonly Named[] Personas =
    {
        N(0x00, "PER_LINUX"), N(0x01, "PER_SVR4"), N(0x02, "PER_SVR3"), N(0x03, "PER_SCOSVR3"), N(0x04, "PER_WYSEV386"),
        N(0x05, "PER_ISCR4"), N(0x06, "PER_BSD"), N(0x07, "PER_XENIX"), N(0x08, "PER_LINUX32"), N(0x09, "PER_IRIX32"),
        N(0x0a, "PER_IRIXN32"), N(0x0b, "PER_IRIX64"), N(0x0c, "PER_RISCOS"), N(0x0d, "PER_SOLARIS"), N(0x0e, "PER_UW7"),
        N(0x0f, "PER_OSF4"), N(0x10, "PER_HPUX"),
    };

    public static readonly Named[] PersonalityFlags =
    {
        N(0x0020000, "UNAME26"), N(0x0040000, "ADDR_NO_RANDOMIZE"), N(0x0080000, "FDPIC_FUNCPTRS"),
        N(0x0100000, "MMAP_PAGE_ZERO"), N(0x0200000, "ADDR_COMPAT_LAYOUT"), N(0x0400000, "READ_IMPLIES_EXEC"),
        N(0x0800000, "ADDR_LIMIT_32BIT"), N(0x1000000, "SHORT_INODE"), N(0x2000000, "WHOLE_SECONDS"),
        N(0x4000000, "STICKY_TIMEOUTS"), N(0x8000000, "ADDR_LIMIT_3GB"),
    };

    public static readonly Named[] IoprioWho = { N(1, "IOPRIO_WHO_PROCESS"), N(2, "IOPRIO_WHO_PGRP"), N(3, "IOPRIO_WHO_USER") };

    public static readonly Named[] IoprioClasses = { N(0, "IOPRIO_CLASS_NONE"), N(1, "IOPRIO_CLASS_RT"), N(2, "IOPRIO_CLASS_BE"), N(3, "IOPRIO_CLASS_IDLE") };

    /// <summary>Capability bit numbers (printed as 1&lt;&lt;CAP_X).</summary>
    public static readonly Named[] Capabilities =
    {
        N(0, "CAP_CHOWN"), N(1, "CAP_DAC_OVERRIDE"), N(2, "CAP_DAC_READ_SEARCH"), N(3, "CAP_FOWNER"), N(4, "CAP_FSETID"),
        N(5, "CAP_KILL"), N(6, "CAP_SETGID"), N(7, "CAP_SETUID"), N(8, "CAP_SETPCAP"), N(9, "CAP_LINUX_IMMUTABLE"),
        N(10, "CAP_NET_BIND_SERVICE"), N(11, "CAP_NET_BROADCAST"), N(12, "CAP_NET_ADMIN"), N(13, "CAP_NET_RAW"),
        N(14, "CAP_IPC_LOCK"), N(15, "CAP_IPC_OWNER"), N(16, "CAP_SYS_MODULE"), N(17, "CAP_SYS_RAWIO"), N(18, "CAP_SYS_CHROOT"),
        N(19, "CAP_SYS_PTRACE"), N(20, "CAP_SYS_PACCT"), N(21, "CAP_SYS_ADMIN"), N(22, "CAP_SYS_BOOT"), N(23, "CAP_SYS_NICE"),
        N(24, "CAP_SYS_RESOURCE"), N(25, "CAP_SYS_TIME"), N(26, "CAP_SYS_TTY_CONFIG"), N(27, "CAP_MKNOD"), N(28, "CAP_LEASE"),
        N(29, "CAP_AUDIT_WRITE"), N(30, "CAP_AUDIT_CONTROL"), N(31, "CAP_SETFCAP"), N(32, "CAP_MAC_OVERRIDE"),
        N(33, "CAP_MAC_ADMIN"), N(34, "CAP_SYSLOG"), N(35, "CAP_WAKE_ALARM"), N(36, "CAP_BLOCK_SUSPEND"), N(37, "CAP_AUDIT_READ"),
        N(38, "CAP_PERFMON"), N(39, "CAP_BPF"), N(40, "CAP_CHECKPOINT_RESTORE"),
    };

    public static readonly Named[] CapVersions =
    {
        N(0x19980330, "_LINUX_CAPABILITY_VERSION_1"), N(0x20071026, "_LINUX_CAPABILITY_VERSION_2"),
        N(0x20080522, "_LINUX_CAPABILITY_VERSION_3"),
    };

    public static readonly Named[] SeccompOps =
    {
        N(0, "SECCOMP_SET_MODE_STRICT"), N(1, "SECCOMP_SET_MODE_FILTER"), N(2, "SECCOMP_GET_ACTION_AVAIL"),
        N(3, "SECCOMP_GET_NOTIF_SIZES"),
    };

    public static readonly Named[] SeccompFilterFlags =
    {
        N(1, "SECCOMP_FILTER_FLAG_TSYNC"), N(2, "SECCOMP_FILTER_FLAG_LOG"), N(4, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"),
        N(8, "SECCOMP_FILTER_FLAG_NEW_LISTENER"), N(16, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"), N(32, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
    };

    public static readonly Named[] SeccompReturnActions =
    {
        N(0x80000000, "SECCOMP_RET_KILL_PROCESS"), N(0, "SECCOMP_RET_KILL_THREAD"), N(0x30000, "SECCOMP_RET_TRAP"),
        N(0x50000, "SECCOMP_RET_ERRNO"), N(0x7fc00000, "SECCOMP_RET_USER_NOTIF"), N(0x7ff00000, "SECCOMP_RET_TRACE"),
        N(0x7ffc0000, "SECCOMP_RET_LOG"), N(0x7fff0000, "SECCOMP_RET_ALLOW"),
    };

    public static readonly Named[] MembarrierCommands =
    {
        N(0x0, "MEMBARRIER_CMD_QUERY"), N(0x1, "MEMBARRIER_CMD_GLOBAL"), N(0x2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"),
        N(0x4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"), N(0x8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"),
        N(0x10, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"), N(0x20, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"),
        N(0x40, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"), N(0x80, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"),
        N(0x100, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"),
    };

    public static readonly Named[] MembarrierFlags = { N(1, "MEMBARRIER_CMD_FLAG_CPU") };

    public static readonly Named[] SyslogActions =
    {
        N(0, "SYSLOG_ACTION_CLOSE"), N(1, "SYSLOG_ACTION_OPEN"), N(2, "SYSLOG_ACTION_READ"), N(3, "SYSLOG_ACTION_READ_ALL"),
        N(4, "SYSLOG_ACTION_READ_CLEAR"), N(5, "SYSLOG_ACTION_CLEAR"), N(6, "SYSLOG_ACTION_CONSOLE_OFF"),
        N(7, "SYSLOG_ACTION_CONSOLE_ON"), N(8, "SYSLOG_ACTION_CONSOLE_LEVEL"), N(9, "SYSLOG_ACTION_SIZE_UNREAD"),
        N(10, "SYSLOG_ACTION_SIZE_BUFFER"),
    };

    public static readonly Named[] TimexModes =
    {
        // The single-shot modes include ADJ_OFFSET's bit: listed first so they match whole.
        N(0xa001, "ADJ_OFFSET_SS_READ"), N(0x8001, "ADJ_OFFSET_SINGLESHOT"),
        N(0x0001, "ADJ_OFFSET"), N(0x0002, "ADJ_FREQUENCY"), N(0x0004, "ADJ_MAXERROR"), N(0x0008, "ADJ_ESTERROR"),
        N(0x0010, "ADJ_STATUS"), N(0x0020, "ADJ_TIMECONST"), N(0x0080, "ADJ_TAI"), N(0x0100, "ADJ_SETOFFSET"),
        N(0x1000, "ADJ_MICRO"), N(0x2000, "ADJ_NANO"), N(0x4000, "ADJ_TICK"),
    };

    public static readonly Named[] TimexStatus =
    {
        N(0x0001, "STA_PLL"), N(0x0002, "STA_PPSFREQ"), N(0x0004, "STA_PPSTIME"), N(0x0008, "STA_FLL"), N(0x0010, "STA_INS"),
        N(0x0020, "STA_DEL"), N(0x0040, "STA_UNSYNC"), N(0x0080, "STA_FREQHOLD"), N(0x0100, "STA_PPSSIGNAL"),
        N(0x0200, "STA_PPSJITTER"), N(0x0400, "STA_PPSWANDER"), N(0x0800, "STA_PPSERROR"), N(0x1000, "STA_CLOCKERR"),
        N(0x2000, "STA_NANO"), N(0x4000, "STA_MODE"), N(0x8000, "STA_CLK"),
    };

    public static readonly Named[] ClockStates = { N(0, "TIME_OK"), N(1, "TIME_INS"), N(2, "TIME_DEL"), N(3, "TIME_OOP"), N(4, "TIME_WAIT"), N(5, "TIME_ERROR") };

    public static readonly Named[] LandlockCreateFlags = { N(1, "LANDLOCK_CREATE_RULESET_VERSION") };
}
