namespace PSSyscall.Engine.Decoding;

// File tables (values: linux/inotify.h, linux/fs.h, linux/falloc.h; checked against the headers
// by FlagTableHeaderTests).
internal static partial class FlagTables
{
    public static readonly Named[] InotifyInitFlags = { N(0x800, "IN_NONBLOCK"), N(0x80000, "IN_CLOEXEC") };

    public static readonly Named[] InotifyMask =
    {
        N(0x1, "IN_ACCESS"), N(0x2, "IN_MODIFY"), N(0x4, "IN_ATTRIB"), N(0x8, "IN_CLOSE_WRITE"), N(0x10, "IN_CLOSE_NOWRITE"),
        N(0x20, "IN_OPEN"), N(0x40, "IN_MOVED_FROM"), N(0x80, "IN_MOVED_TO"), N(0x100, "IN_CREATE"), N(0x200, "IN_DELETE"),
        N(0x400, "IN_DELETE_SELF"), N(0x800, "IN_MOVE_SELF"), N(0x2000, "IN_UNMOUNT"), N(0x4000, "IN_Q_OVERFLOW"),
        N(0x8000, "IN_IGNORED"), N(0x1000000, "IN_ONLYDIR"), N(0x2000000, "IN_DONT_FOLLOW"), N(0x4000000, "IN_EXCL_UNLINK"),
        N(0x10000000, "IN_MASK_CREATE"), N(0x20000000, "IN_MASK_ADD"), N(0x40000000, "IN_ISDIR"), N(0x80000000, "IN_ONESHOT"),
    };

    /// <summary>faccessat2's flags (0x200 is AT_EACCESS here, not AT_REMOVEDIR).</summary>
    public static readonly Named[] FaccessatFlags = { N(0x100, "AT_SYMLINK_NOFOLLOW"), N(0x200, "AT_EACCESS"), N(0x1000, "AT_EMPTY_PATH") };

    /// <summary>fsmount's attr_flags as strace 6.1 knows them: without MOUNT_ATTR_IDMAP and
    /// MOUNT_ATTR_NOSYMFOLLOW (which mount_setattr's table has).</summary>
    public static readonly Named[] FsmountAttrFlags =
    {
        N(0x1, "MOUNT_ATTR_RDONLY"), N(0x2, "MOUNT_ATTR_NOSUID"), N(0x4, "MOUNT_ATTR_NODEV"), N(0x8, "MOUNT_ATTR_NOEXEC"),
        N(0x10, "MOUNT_ATTR_NOATIME"), N(0x20, "MOUNT_ATTR_STRICTATIME"), N(0x80, "MOUNT_ATTR_NODIRATIME"),
    };

    public static readonly Named[] RwfFlags = { N(1, "RWF_HIPRI"), N(2, "RWF_DSYNC"), N(4, "RWF_SYNC"), N(8, "RWF_NOWAIT"), N(0x10, "RWF_APPEND") };

    public static readonly Named[] FallocateModes =
    {
        N(0x1, "FALLOC_FL_KEEP_SIZE"), N(0x2, "FALLOC_FL_PUNCH_HOLE"), N(0x4, "FALLOC_FL_NO_HIDE_STALE"),
        N(0x8, "FALLOC_FL_COLLAPSE_RANGE"), N(0x10, "FALLOC_FL_ZERO_RANGE"), N(0x20, "FALLOC_FL_INSERT_RANGE"),
        N(0x40, "FALLOC_FL_UNSHARE_RANGE"),
    };

    public static readonly Named[] SyncFileRangeFlags =
    {
        N(1, "SYNC_FILE_RANGE_WAIT_BEFORE"), N(2, "SYNC_FILE_RANGE_WRITE"), N(4, "SYNC_FILE_RANGE_WAIT_AFTER"),
    };
}

// Pipes, signalfd, openat2, memory locking and policies (linux/fcntl.h' splice flags,
// linux/signalfd.h, linux/openat2.h, linux/mman.h, linux/mempolicy.h).
internal static partial class FlagTables
{
    public static readonly Named[] SpliceFlags = { N(1, "SPLICE_F_MOVE"), N(2, "SPLICE_F_NONBLOCK"), N(4, "SPLICE_F_MORE"), N(8, "SPLICE_F_GIFT") };

    public static readonly Named[] SignalfdFlags = { N(0x80000, "SFD_CLOEXEC"), N(0x800, "SFD_NONBLOCK") };

    public static readonly Named[] ResolveFlags =
    {
        N(0x01, "RESOLVE_NO_XDEV"), N(0x02, "RESOLVE_NO_MAGICLINKS"), N(0x04, "RESOLVE_NO_SYMLINKS"), N(0x08, "RESOLVE_BENEATH"),
        N(0x10, "RESOLVE_IN_ROOT"), N(0x20, "RESOLVE_CACHED"),
    };

    public static readonly Named[] Mlock2Flags = { N(1, "MLOCK_ONFAULT") };

    public static readonly Named[] GetMempolicyFlags = { N(1, "MPOL_F_NODE"), N(2, "MPOL_F_ADDR"), N(4, "MPOL_F_MEMS_ALLOWED") };

    public static readonly Named[] MbindFlags = { N(1, "MPOL_MF_STRICT"), N(2, "MPOL_MF_MOVE"), N(4, "MPOL_MF_MOVE_ALL") };
}

// statfs's filesystem magic numbers (linux/magic.h) and mount flags (ST_*, include/linux/statfs.h).
internal static partial class FlagTables
{
    public static readonly Named[] FilesystemMagics =
    {
        N(0xef53, "EXT2_SUPER_MAGIC"), N(0x9fa0, "PROC_SUPER_MAGIC"), N(0x01021994, "TMPFS_MAGIC"), N(0x62656572, "SYSFS_MAGIC"),
        N(0x1cd1, "DEVPTS_SUPER_MAGIC"), N(0x63677270, "CGROUP2_SUPER_MAGIC"), N(0x27e0eb, "CGROUP_SUPER_MAGIC"),
        N(0x9123683e, "BTRFS_SUPER_MAGIC"), N(0x58465342, "XFS_SUPER_MAGIC"), N(0x794c7630, "OVERLAYFS_SUPER_MAGIC"),
        N(0x6969, "NFS_SUPER_MAGIC"), N(0x73717368, "SQUASHFS_MAGIC"), N(0x64626720, "DEBUGFS_MAGIC"), N(0x74726163, "TRACEFS_MAGIC"),
        N(0x73636673, "SECURITYFS_MAGIC"), N(0xf97cff8c, "SELINUX_MAGIC"), N(0xcafe4a11, "BPF_FS_MAGIC"),
        N(0x958458f6, "HUGETLBFS_MAGIC"), N(0x50495045, "PIPEFS_MAGIC"), N(0x534f434b, "SOCKFS_MAGIC"),
        N(0x09041934, "ANON_INODE_FS_MAGIC"), N(0x65735546, "FUSE_SUPER_MAGIC"), N(0x858458f6, "RAMFS_MAGIC"),
        N(0x9660, "ISOFS_SUPER_MAGIC"), N(0x4d44, "MSDOS_SUPER_MAGIC"), N(0x6e736673, "NSFS_MAGIC"), N(0x2011bab0, "EXFAT_SUPER_MAGIC"),
        N(0xf2f52010, "F2FS_SUPER_MAGIC"), N(0x5a4f4653, "ZONEFS_MAGIC"),
        N(0x6165676c, "PSTOREFS_MAGIC"), N(0xde5e81e4, "EFIVARFS_MAGIC"),
        N(0xff534d42, "CIFS_SUPER_MAGIC"), N(0xfe534d42, "SMB2_SUPER_MAGIC"), N(0x01021997, "V9FS_MAGIC"), N(0x3434, "NILFS_SUPER_MAGIC"),
    };

    public static readonly Named[] StatfsFlags =
    {
        N(0x0001, "ST_RDONLY"), N(0x0002, "ST_NOSUID"), N(0x0004, "ST_NODEV"), N(0x0008, "ST_NOEXEC"), N(0x0010, "ST_SYNCHRONOUS"),
        N(0x0020, "ST_VALID"), N(0x0040, "ST_MANDLOCK"), N(0x0400, "ST_NOATIME"), N(0x0800, "ST_NODIRATIME"),
        N(0x1000, "ST_RELATIME"), N(0x2000, "ST_NOSYMFOLLOW"),
    };
}

// Advice and memfd flags (linux/fadvise.h, linux/memfd.h).
internal static partial class FlagTables
{
    public static readonly Named[] FadviseAdvice =
    {
        N(0, "POSIX_FADV_NORMAL"), N(1, "POSIX_FADV_RANDOM"), N(2, "POSIX_FADV_SEQUENTIAL"), N(3, "POSIX_FADV_WILLNEED"),
        N(4, "POSIX_FADV_DONTNEED"), N(5, "POSIX_FADV_NOREUSE"),
    };

    public static readonly Named[] MemfdFlags =
    {
        // strace 6.1's set: MFD_NOEXEC_SEAL and MFD_EXEC (Linux 6.3) show as unknown bits.
        N(1, "MFD_CLOEXEC"), N(2, "MFD_ALLOW_SEALING"), N(4, "MFD_HUGETLB"),
    };
}
