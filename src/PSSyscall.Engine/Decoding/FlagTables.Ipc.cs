namespace PSSyscall.Engine.Decoding;

// SysV IPC tables (values: linux/ipc.h, linux/shm.h, linux/msg.h, linux/sem.h; checked against
// the headers by FlagTableHeaderTests).
internal static partial class FlagTables
{
    public static readonly Named[] IpcGetFlags = { N(0x200, "IPC_CREAT"), N(0x400, "IPC_EXCL"), N(0x800, "IPC_NOWAIT") };

    /// <summary>shmget's: 04000 is SHM_HUGETLB there, not IPC_NOWAIT.</summary>
    public static readonly Named[] ShmgetFlags = { N(0x200, "IPC_CREAT"), N(0x400, "IPC_EXCL"), N(0x800, "SHM_HUGETLB"), N(0x1000, "SHM_NORESERVE") };

    public static readonly Named[] MsgFlagsIpc = { N(0x800, "IPC_NOWAIT"), N(0x1000, "MSG_NOERROR"), N(0x2000, "MSG_EXCEPT"), N(0x4000, "MSG_COPY") };

    public static readonly Named[] ShmatFlags = { N(0x1000, "SHM_RDONLY"), N(0x2000, "SHM_RND"), N(0x4000, "SHM_REMAP"), N(0x8000, "SHM_EXEC") };

    public static readonly Named[] ShmCommands =
    {
        N(0, "IPC_RMID"), N(1, "IPC_SET"), N(2, "IPC_STAT"), N(3, "IPC_INFO"), N(11, "SHM_LOCK"), N(12, "SHM_UNLOCK"),
        N(13, "SHM_STAT"), N(14, "SHM_INFO"), N(15, "SHM_STAT_ANY"),
    };

    public static readonly Named[] MsgCommands =
    {
        N(0, "IPC_RMID"), N(1, "IPC_SET"), N(2, "IPC_STAT"), N(3, "IPC_INFO"), N(11, "MSG_STAT"), N(12, "MSG_INFO"),
        N(13, "MSG_STAT_ANY"),
    };

    public static readonly Named[] SemCommands =
    {
        N(0, "IPC_RMID"), N(1, "IPC_SET"), N(2, "IPC_STAT"), N(3, "IPC_INFO"), N(11, "GETPID"), N(12, "GETVAL"),
        N(13, "GETALL"), N(14, "GETNCNT"), N(15, "GETZCNT"), N(16, "SETVAL"), N(17, "SETALL"), N(18, "SEM_STAT"),
        N(19, "SEM_INFO"), N(20, "SEM_STAT_ANY"),
    };
}
