namespace PSSyscall.Engine.Decoding;

// Kernel interfaces: keys (linux/keyctl.h), fanotify (linux/fanotify.h), the mount API
// (linux/mount.h), Landlock (linux/landlock.h), ptrace (linux/ptrace.h), swap and modules.
// Checked against the headers by FlagTableHeaderTests.
internal static partial class FlagTables
{
    public static readonly Named[] KeySpecials =
    {
        N(unchecked((uint)-1), "KEY_SPEC_THREAD_KEYRING"), N(unchecked((uint)-2), "KEY_SPEC_PROCESS_KEYRING"),
        N(unchecked((uint)-3), "KEY_SPEC_SESSION_KEYRING"), N(unchecked((uint)-4), "KEY_SPEC_USER_KEYRING"),
        N(unchecked((uint)-5), "KEY_SPEC_USER_SESSION_KEYRING"), N(unchecked((uint)-6), "KEY_SPEC_GROUP_KEYRING"),
        N(unchecked((uint)-7), "KEY_SPEC_REQKEY_AUTH_KEY"), N(unchecked((uint)-8), "KEY_SPEC_REQUESTOR_KEYRING"),
    };

    public static readonly Named[] KeyctlCommands =
    {
        N(0, "KEYCTL_GET_KEYRING_ID"), N(1, "KEYCTL_JOIN_SESSION_KEYRING"), N(2, "KEYCTL_UPDATE"), N(3, "KEYCTL_REVOKE"),
        N(4, "KEYCTL_CHOWN"), N(5, "KEYCTL_SETPERM"), N(6, "KEYCTL_DESCRIBE"), N(7, "KEYCTL_CLEAR"), N(8, "KEYCTL_LINK"),
        N(9, "KEYCTL_UNLINK"), N(10, "KEYCTL_SEARCH"), N(11, "KEYCTL_READ"), N(12, "KEYCTL_INSTANTIATE"),
        N(13, "KEYCTL_NEGATE"), N(14, "KEYCTL_SET_REQKEY_KEYRING"), N(15, "KEYCTL_SET_TIMEOUT"),
        N(16, "KEYCTL_ASSUME_AUTHORITY"), N(17, "KEYCTL_GET_SECURITY"), N(18, "KEYCTL_SESSION_TO_PARENT"),
        N(19, "KEYCTL_REJECT"), N(20, "KEYCTL_INSTANTIATE_IOV"), N(21, "KEYCTL_INVALIDATE"), N(22, "KEYCTL_GET_PERSISTENT"),
        N(23, "KEYCTL_DH_COMPUTE"), N(24, "KEYCTL_PKEY_QUERY"), N(25, "KEYCTL_PKEY_ENCRYPT"), N(26, "KEYCTL_PKEY_DECRYPT"),
        N(27, "KEYCTL_PKEY_SIGN"), N(28, "KEYCTL_PKEY_VERIFY"), N(29, "KEYCTL_RESTRICT_KEYRING"), N(30, "KEYCTL_MOVE"),
        N(31, "KEYCTL_CAPABILITIES"), N(32, "KEYCTL_WATCH_KEY"),
    };

    public static readonly Named[] FanotifyClasses = { N(0x0, "FAN_CLASS_NOTIF"), N(0x4, "FAN_CLASS_CONTENT"), N(0x8, "FAN_CLASS_PRE_CONTENT") };

    public static readonly Named[] FanotifyInitFlags =
    {
        N(0x1, "FAN_CLOEXEC"), N(0x2, "FAN_NONBLOCK"), N(0x10, "FAN_UNLIMITED_QUEUE"), N(0x20, "FAN_UNLIMITED_MARKS"),
        N(0x40, "FAN_ENABLE_AUDIT"), N(0x80, "FAN_REPORT_PIDFD"), N(0x100, "FAN_REPORT_TID"), N(0x200, "FAN_REPORT_FID"),
        N(0x400, "FAN_REPORT_DIR_FID"), N(0x800, "FAN_REPORT_NAME"), N(0x1000, "FAN_REPORT_TARGET_FID"),
    };

    public static readonly Named[] FanotifyMarkFlags =
    {
        N(0x1, "FAN_MARK_ADD"), N(0x2, "FAN_MARK_REMOVE"), N(0x4, "FAN_MARK_DONT_FOLLOW"), N(0x8, "FAN_MARK_ONLYDIR"),
        N(0x10, "FAN_MARK_MOUNT"), N(0x20, "FAN_MARK_IGNORED_MASK"), N(0x40, "FAN_MARK_IGNORED_SURV_MODIFY"),
        N(0x80, "FAN_MARK_FLUSH"), N(0x100, "FAN_MARK_FILESYSTEM"), N(0x200, "FAN_MARK_EVICTABLE"), N(0x400, "FAN_MARK_IGNORE"),
    };

    public static readonly Named[] FanotifyEvents =
    {
        N(0x1, "FAN_ACCESS"), N(0x2, "FAN_MODIFY"), N(0x4, "FAN_ATTRIB"), N(0x8, "FAN_CLOSE_WRITE"), N(0x10, "FAN_CLOSE_NOWRITE"),
        N(0x20, "FAN_OPEN"), N(0x40, "FAN_MOVED_FROM"), N(0x80, "FAN_MOVED_TO"), N(0x100, "FAN_CREATE"), N(0x200, "FAN_DELETE"),
        N(0x400, "FAN_DELETE_SELF"), N(0x800, "FAN_MOVE_SELF"), N(0x1000, "FAN_OPEN_EXEC"), N(0x4000, "FAN_Q_OVERFLOW"),
        N(0x8000, "FAN_FS_ERROR"), N(0x10000, "FAN_OPEN_PERM"), N(0x20000, "FAN_ACCESS_PERM"), N(0x40000, "FAN_OPEN_EXEC_PERM"),
        // strace 6.1's order and FAN_DIR_MODIFY (a value Linux 5.7 had, no longer in the headers).
        N(0x80000, "FAN_DIR_MODIFY"), N(0x40000000, "FAN_ONDIR"), N(0x8000000, "FAN_EVENT_ON_CHILD"), N(0x10000000, "FAN_RENAME"),
    };

    public static readonly Named[] FsopenFlags = { N(1, "FSOPEN_CLOEXEC") };

    public static readonly Named[] FsconfigCommands =
    {
        N(0, "FSCONFIG_SET_FLAG"), N(1, "FSCONFIG_SET_STRING"), N(2, "FSCONFIG_SET_BINARY"), N(3, "FSCONFIG_SET_PATH"),
        N(4, "FSCONFIG_SET_PATH_EMPTY"), N(5, "FSCONFIG_SET_FD"), N(6, "FSCONFIG_CMD_CREATE"), N(7, "FSCONFIG_CMD_RECONFIGURE"),
        N(8, "FSCONFIG_CMD_CREATE_EXCL"),
    };

    public static readonly Named[] FsmountFlags = { N(1, "FSMOUNT_CLOEXEC") };

    public static readonly Named[] MountAttrFlags =
    {
        N(0x1, "MOUNT_ATTR_RDONLY"), N(0x2, "MOUNT_ATTR_NOSUID"), N(0x4, "MOUNT_ATTR_NODEV"), N(0x8, "MOUNT_ATTR_NOEXEC"),
        N(0x10, "MOUNT_ATTR_NOATIME"), N(0x20, "MOUNT_ATTR_STRICTATIME"), N(0x80, "MOUNT_ATTR_NODIRATIME"),
        N(0x100000, "MOUNT_ATTR_IDMAP"), N(0x200000, "MOUNT_ATTR_NOSYMFOLLOW"),
    };

    public static readonly Named[] MountPropagation = { N(1 << 17, "MS_UNBINDABLE"), N(1 << 18, "MS_PRIVATE"), N(1 << 19, "MS_SLAVE"), N(1 << 20, "MS_SHARED") };

    public static readonly Named[] FspickFlags = { N(1, "FSPICK_CLOEXEC"), N(2, "FSPICK_SYMLINK_NOFOLLOW"), N(4, "FSPICK_NO_AUTOMOUNT"), N(8, "FSPICK_EMPTY_PATH") };

    public static readonly Named[] OpenTreeFlags =
    {
        N(0x1, "OPEN_TREE_CLONE"), N(0x80000, "OPEN_TREE_CLOEXEC"), N(0x100, "AT_SYMLINK_NOFOLLOW"), N(0x800, "AT_NO_AUTOMOUNT"),
        N(0x1000, "AT_EMPTY_PATH"), N(0x8000, "AT_RECURSIVE"),
    };

    public static readonly Named[] MoveMountFlags =
    {
        N(0x1, "MOVE_MOUNT_F_SYMLINKS"), N(0x2, "MOVE_MOUNT_F_AUTOMOUNTS"), N(0x4, "MOVE_MOUNT_F_EMPTY_PATH"),
        N(0x10, "MOVE_MOUNT_T_SYMLINKS"), N(0x20, "MOVE_MOUNT_T_AUTOMOUNTS"), N(0x40, "MOVE_MOUNT_T_EMPTY_PATH"),
        N(0x100, "MOVE_MOUNT_SET_GROUP"), N(0x200, "MOVE_MOUNT_BENEATH"),
    };

    public static readonly Named[] LandlockAccessFs =
    {
        N(0x1, "LANDLOCK_ACCESS_FS_EXECUTE"), N(0x2, "LANDLOCK_ACCESS_FS_WRITE_FILE"), N(0x4, "LANDLOCK_ACCESS_FS_READ_FILE"),
        N(0x8, "LANDLOCK_ACCESS_FS_READ_DIR"), N(0x10, "LANDLOCK_ACCESS_FS_REMOVE_DIR"), N(0x20, "LANDLOCK_ACCESS_FS_REMOVE_FILE"),
        N(0x40, "LANDLOCK_ACCESS_FS_MAKE_CHAR"), N(0x80, "LANDLOCK_ACCESS_FS_MAKE_DIR"), N(0x100, "LANDLOCK_ACCESS_FS_MAKE_REG"),
        N(0x200, "LANDLOCK_ACCESS_FS_MAKE_SOCK"), N(0x400, "LANDLOCK_ACCESS_FS_MAKE_FIFO"), N(0x800, "LANDLOCK_ACCESS_FS_MAKE_BLOCK"),
        N(0x1000, "LANDLOCK_ACCESS_FS_MAKE_SYM"), N(0x2000, "LANDLOCK_ACCESS_FS_REFER"), N(0x4000, "LANDLOCK_ACCESS_FS_TRUNCATE"),
        N(0x8000, "LANDLOCK_ACCESS_FS_IOCTL_DEV"),
    };

    public static readonly Named[] LandlockAccessNet = { N(0x1, "LANDLOCK_ACCESS_NET_BIND_TCP"), N(0x2, "LANDLOCK_ACCESS_NET_CONNECT_TCP") };

    public static readonly Named[] LandlockRuleTypes = { N(1, "LANDLOCK_RULE_PATH_BENEATH"), N(2, "LANDLOCK_RULE_NET_PORT") };

    public static readonly Named[] PtraceRequests =
    {
        N(0, "PTRACE_TRACEME"), N(1, "PTRACE_PEEKTEXT"), N(2, "PTRACE_PEEKDATA"), N(3, "PTRACE_PEEKUSER"), N(4, "PTRACE_POKETEXT"),
        N(5, "PTRACE_POKEDATA"), N(6, "PTRACE_POKEUSER"), N(7, "PTRACE_CONT"), N(8, "PTRACE_KILL"), N(9, "PTRACE_SINGLESTEP"),
        N(12, "PTRACE_GETREGS"), N(13, "PTRACE_SETREGS"), N(14, "PTRACE_GETFPREGS"), N(15, "PTRACE_SETFPREGS"), N(16, "PTRACE_ATTACH"),
        N(17, "PTRACE_DETACH"), N(18, "PTRACE_GETFPXREGS"), N(19, "PTRACE_SETFPXREGS"), N(24, "PTRACE_SYSCALL"),
        N(25, "PTRACE_GET_THREAD_AREA"), N(26, "PTRACE_SET_THREAD_AREA"), N(30, "PTRACE_ARCH_PRCTL"), N(31, "PTRACE_SYSEMU"),
        N(32, "PTRACE_SYSEMU_SINGLESTEP"), N(33, "PTRACE_SINGLEBLOCK"), N(0x4200, "PTRACE_SETOPTIONS"),
        N(0x4201, "PTRACE_GETEVENTMSG"), N(0x4202, "PTRACE_GETSIGINFO"), N(0x4203, "PTRACE_SETSIGINFO"), N(0x4204, "PTRACE_GETREGSET"),
        N(0x4205, "PTRACE_SETREGSET"), N(0x4206, "PTRACE_SEIZE"), N(0x4207, "PTRACE_INTERRUPT"), N(0x4208, "PTRACE_LISTEN"),
        N(0x4209, "PTRACE_PEEKSIGINFO"), N(0x420a, "PTRACE_GETSIGMASK"), N(0x420b, "PTRACE_SETSIGMASK"),
        N(0x420c, "PTRACE_SECCOMP_GET_FILTER"), N(0x420d, "PTRACE_SECCOMP_GET_METADATA"), N(0x420e, "PTRACE_GET_SYSCALL_INFO"),
        N(0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"),
    };

    public static readonly Named[] PtraceOptions =
    {
        N(0x1, "PTRACE_O_TRACESYSGOOD"), N(0x2, "PTRACE_O_TRACEFORK"), N(0x4, "PTRACE_O_TRACEVFORK"), N(0x8, "PTRACE_O_TRACECLONE"),
        N(0x10, "PTRACE_O_TRACEEXEC"), N(0x20, "PTRACE_O_TRACEVFORKDONE"), N(0x40, "PTRACE_O_TRACEEXIT"), N(0x80, "PTRACE_O_TRACESECCOMP"),
        N(0x100000, "PTRACE_O_EXITKILL"), N(0x200000, "PTRACE_O_SUSPEND_SECCOMP"),
    };

    public static readonly Named[] SwapFlags = { N(0x8000, "SWAP_FLAG_PREFER"), N(0x10000, "SWAP_FLAG_DISCARD"), N(0x20000, "SWAP_FLAG_DISCARD_ONCE"), N(0x40000, "SWAP_FLAG_DISCARD_PAGES") };

    // delete_module takes these two open flags, in strace's order.
    public static readonly Named[] DeleteModuleFlags = { N(0x800, "O_NONBLOCK"), N(0x200, "O_TRUNC") };

    public static readonly Named[] ModuleInitFlags = { N(1, "MODULE_INIT_IGNORE_MODVERSIONS"), N(2, "MODULE_INIT_IGNORE_VERMAGIC"), N(4, "MODULE_INIT_COMPRESSED_FILE") };

    public static readonly Named[] RebootMagic1 = { N(0xfee1dead, "LINUX_REBOOT_MAGIC1") };

    public static readonly Named[] RebootMagic2 =
    {
        N(672274793, "LINUX_REBOOT_MAGIC2"), N(85072278, "LINUX_REBOOT_MAGIC2A"), N(369367448, "LINUX_REBOOT_MAGIC2B"),
        N(537993216, "LINUX_REBOOT_MAGIC2C"),
    };

    public static readonly Named[] RebootCommands =
    {
        N(0x00000000, "LINUX_REBOOT_CMD_CAD_OFF"), N(0x89abcdef, "LINUX_REBOOT_CMD_CAD_ON"), N(0xcdef0123, "LINUX_REBOOT_CMD_HALT"),
        N(0x45584543, "LINUX_REBOOT_CMD_KEXEC"), N(0x4321fedc, "LINUX_REBOOT_CMD_POWER_OFF"), N(0x01234567, "LINUX_REBOOT_CMD_RESTART"),
        N(0xa1b2c3d4, "LINUX_REBOOT_CMD_RESTART2"), N(0xd000fce2, "LINUX_REBOOT_CMD_SW_SUSPEND"),
    };

    public static readonly Named[] BpfCommands =
    {
        N(0, "BPF_MAP_CREATE"), N(1, "BPF_MAP_LOOKUP_ELEM"), N(2, "BPF_MAP_UPDATE_ELEM"), N(3, "BPF_MAP_DELETE_ELEM"),
        N(4, "BPF_MAP_GET_NEXT_KEY"), N(5, "BPF_PROG_LOAD"), N(6, "BPF_OBJ_PIN"), N(7, "BPF_OBJ_GET"), N(8, "BPF_PROG_ATTACH"),
        N(9, "BPF_PROG_DETACH"), N(10, "BPF_PROG_TEST_RUN"), N(11, "BPF_PROG_GET_NEXT_ID"), N(12, "BPF_MAP_GET_NEXT_ID"),
        N(13, "BPF_PROG_GET_FD_BY_ID"), N(14, "BPF_MAP_GET_FD_BY_ID"), N(15, "BPF_OBJ_GET_INFO_BY_FD"), N(16, "BPF_PROG_QUERY"),
        N(17, "BPF_RAW_TRACEPOINT_OPEN"), N(18, "BPF_BTF_LOAD"), N(19, "BPF_BTF_GET_FD_BY_ID"), N(20, "BPF_TASK_FD_QUERY"),
        N(21, "BPF_MAP_LOOKUP_AND_DELETE_ELEM"), N(22, "BPF_MAP_FREEZE"), N(23, "BPF_BTF_GET_NEXT_ID"),
        N(24, "BPF_MAP_LOOKUP_BATCH"), N(25, "BPF_MAP_LOOKUP_AND_DELETE_BATCH"), N(26, "BPF_MAP_UPDATE_BATCH"),
        N(27, "BPF_MAP_DELETE_BATCH"), N(28, "BPF_LINK_CREATE"), N(29, "BPF_LINK_UPDATE"), N(30, "BPF_LINK_GET_FD_BY_ID"),
        N(31, "BPF_LINK_GET_NEXT_ID"), N(32, "BPF_ENABLE_STATS"), N(33, "BPF_ITER_CREATE"), N(34, "BPF_LINK_DETACH"),
        N(35, "BPF_PROG_BIND_MAP"),
    };

    public static readonly Named[] IoUringEnterFlags =
    {
        N(1, "IORING_ENTER_GETEVENTS"), N(2, "IORING_ENTER_SQ_WAKEUP"), N(4, "IORING_ENTER_SQ_WAIT"), N(8, "IORING_ENTER_EXT_ARG"),
        N(16, "IORING_ENTER_REGISTERED_RING"),
    };

    public static readonly Named[] PerfEventOpenFlags =
    {
        N(1, "PERF_FLAG_FD_NO_GROUP"), N(2, "PERF_FLAG_FD_OUTPUT"), N(4, "PERF_FLAG_PID_CGROUP"), N(8, "PERF_FLAG_FD_CLOEXEC"),
    };

    public static readonly Named[] IoUringRegisterOps =
    {
        N(0, "IORING_REGISTER_BUFFERS"), N(1, "IORING_UNREGISTER_BUFFERS"), N(2, "IORING_REGISTER_FILES"),
        N(3, "IORING_UNREGISTER_FILES"), N(4, "IORING_REGISTER_EVENTFD"), N(5, "IORING_UNREGISTER_EVENTFD"),
        N(6, "IORING_REGISTER_FILES_UPDATE"), N(7, "IORING_REGISTER_EVENTFD_ASYNC"), N(8, "IORING_REGISTER_PROBE"),
        N(9, "IORING_REGISTER_PERSONALITY"), N(10, "IORING_UNREGISTER_PERSONALITY"), N(11, "IORING_REGISTER_RESTRICTIONS"),
        N(12, "IORING_REGISTER_ENABLE_RINGS"), N(13, "IORING_REGISTER_FILES2"), N(14, "IORING_REGISTER_FILES_UPDATE2"),
        N(15, "IORING_REGISTER_BUFFERS2"), N(16, "IORING_REGISTER_BUFFERS_UPDATE"), N(17, "IORING_REGISTER_IOWQ_AFF"),
        N(18, "IORING_UNREGISTER_IOWQ_AFF"), N(19, "IORING_REGISTER_IOWQ_MAX_WORKERS"), N(20, "IORING_REGISTER_RING_FDS"),
        N(21, "IORING_UNREGISTER_RING_FDS"), N(22, "IORING_REGISTER_PBUF_RING"), N(23, "IORING_UNREGISTER_PBUF_RING"),
        N(24, "IORING_REGISTER_SYNC_CANCEL"), N(25, "IORING_REGISTER_FILE_ALLOC_RANGE"),
    };

    public static readonly Named[] KexecArchs =
    {
        N(0 << 16, "KEXEC_ARCH_DEFAULT"), N(3 << 16, "KEXEC_ARCH_386"), N(4 << 16, "KEXEC_ARCH_68K"), N(15 << 16, "KEXEC_ARCH_PARISC"),
        N(62 << 16, "KEXEC_ARCH_X86_64"), N(20 << 16, "KEXEC_ARCH_PPC"), N(21 << 16, "KEXEC_ARCH_PPC64"), N(50 << 16, "KEXEC_ARCH_IA_64"),
        N(40 << 16, "KEXEC_ARCH_ARM"), N(22 << 16, "KEXEC_ARCH_S390"), N(42 << 16, "KEXEC_ARCH_SH"), N(10 << 16, "KEXEC_ARCH_MIPS_LE"),
        N(8 << 16, "KEXEC_ARCH_MIPS"), N(183 << 16, "KEXEC_ARCH_AARCH64"), N(243 << 16, "KEXEC_ARCH_RISCV"), N(258 << 16, "KEXEC_ARCH_LOONGARCH"),
    };

    // strace 6.1's set (no KEXEC_FILE_DEBUG).
    public static readonly Named[] KexecFileFlags = { N(1, "KEXEC_FILE_UNLOAD"), N(2, "KEXEC_FILE_ON_CRASH"), N(4, "KEXEC_FILE_NO_INITRAMFS") };

    public static readonly Named[] KexecFlags = { N(1, "KEXEC_ON_CRASH"), N(2, "KEXEC_PRESERVE_CONTEXT"), N(4, "KEXEC_UPDATE_ELFCOREHDR") };

    public static readonly Named[] QuotaCommands =
    {
        N(0x800001, "Q_SYNC"), N(0x800002, "Q_QUOTAON"), N(0x800003, "Q_QUOTAOFF"), N(0x800004, "Q_GETFMT"), N(0x800005, "Q_GETINFO"),
        N(0x800006, "Q_SETINFO"), N(0x800007, "Q_GETQUOTA"), N(0x800008, "Q_SETQUOTA"), N(0x800009, "Q_GETNEXTQUOTA"),
        N(0x5801, "Q_XQUOTAON"), N(0x5802, "Q_XQUOTAOFF"), N(0x5803, "Q_XGETQUOTA"), N(0x5804, "Q_XSETQLIM"), N(0x5805, "Q_XGETQSTAT"),
        N(0x5806, "Q_XQUOTARM"), N(0x5807, "Q_XQUOTASYNC"), N(0x5808, "Q_XGETQSTATV"), N(0x5809, "Q_XGETNEXTQUOTA"),
    };

    public static readonly Named[] QuotaTypes = { N(0, "USRQUOTA"), N(1, "GRPQUOTA"), N(2, "PRJQUOTA") };
}

