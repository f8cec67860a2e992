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

    public static readonly Named[] KcmpTypes =
    {
        N(0, "KCMP_FILE"), N(1, "KCMP_VM"), N(2, "KCMP_FILES"), N(3, "KCMP_FS"), N(4, "KCMP_SIGHAND"), N(5, "KCMP_IO"),
        N(6, "KCMP_SYSVSEM"), N(7, "KCMP_EPOLL_TFD"),
    };

    public static readonly Named[] PkeyAccess = { N(1, "PKEY_DISABLE_ACCESS"), N(2, "PKEY_DISABLE_WRITE") };

    public static readonly Named[] PidfdFlags = { N(0x800, "PIDFD_NONBLOCK") };

    public static readonly Named[] UserfaultfdFlags = { N(1, "UFFD_USER_MODE_ONLY"), N(0x800, "O_NONBLOCK"), N(0x80000, "O_CLOEXEC") };
}
