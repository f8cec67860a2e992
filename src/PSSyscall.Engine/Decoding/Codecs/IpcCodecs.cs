using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>A SysV message (msgsnd, msgrcv): {mtype=1, mtext="hello\0"}, its text as long as the
/// size argument (the next one) says, cut at the string limit.</summary>
internal sealed class MessageBufferCodec(Direction direction, int sizeArgument) : ArgCodec
{
    public override CapturePlan Plan { get; } = new(direction == Direction.In ? CaptureWhen.Entry : CaptureWhen.Exit,
        CaptureLength.ArgumentCount, 1, sizeArgument, 0, 8);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 8)
            return false;
        sb.Append("{mtype=").Append(BinaryPrimitives.ReadInt64LittleEndian(b).ToString(CultureInfo.InvariantCulture)).Append(", mtext=");
        ReadOnlySpan<byte> text = b[8..];
        bool cut = text.Length > c.StringLimit;
        StraceText.Quote(sb, cut ? text[..c.StringLimit] : text, cut);
        sb.Append('}');
        return true;
    }
}

/// <summary>semop's operations: [{sem_num=0, sem_op=1, sem_flg=SEM_UNDO}], count in the next argument.</summary>
internal sealed class SemaphoreOpsCodec(int countArgument) : ElementArrayCodec(Direction.In, 6)
{
    private static readonly Named[] Flags = { new(0x1000, "SEM_UNDO"), new(0x800, "IPC_NOWAIT") };

    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 6, countArgument);

    protected override void Elements(int limit, ReadOnlySpan<byte> b, StringBuilder sb)
    {
        sb.Append('[');
        for (int k = 0; k * 6 + 6 <= b.Length; k++)
        {
            if (k > 0) sb.Append(", ");
            if (k == limit) { sb.Append("..."); break; }
            ReadOnlySpan<byte> e = b[(k * 6)..];
            sb.Append("{sem_num=").Append(BinaryPrimitives.ReadUInt16LittleEndian(e)).Append(", sem_op=")
              .Append(BinaryPrimitives.ReadInt16LittleEndian(e[2..])).Append(", sem_flg=");
            FlagTables.Flags(sb, BinaryPrimitives.ReadUInt16LittleEndian(e[4..]), Flags, "SEM_???");
            sb.Append('}');
        }
    }
}

/// <summary>struct mq_attr: {mq_flags=O_NONBLOCK, mq_maxmsg=4, mq_msgsize=16, mq_curmsgs=0}.</summary>
internal sealed class MqAttrCodec(Direction direction) : ArgCodec
{
    private static readonly Named[] Flags = { new(0x800, "O_NONBLOCK") };

    public override CapturePlan Plan { get; } = direction == Direction.In ? CapturePlan.AtEntry(32) : CapturePlan.AtExit(32);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 32)
            return false;
        var inv = CultureInfo.InvariantCulture;
        sb.Append("{mq_flags=");
        FlagTables.Flags(sb, BinaryPrimitives.ReadUInt64LittleEndian(b), Flags, "O_???");
        sb.Append(", mq_maxmsg=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[8..]).ToString(inv))
          .Append(", mq_msgsize=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[16..]).ToString(inv))
          .Append(", mq_curmsgs=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[24..]).ToString(inv)).Append('}');
        return true;
    }
}

/// <summary>An iovec array in another process (process_vm_*'s remote side): only the addresses and
/// lengths, since the memory is not the tracee's. Count in the next argument.</summary>
internal sealed class RemoteIovecCodec(int countArgument) : ElementArrayCodec(Direction.In, 16)
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 16, countArgument);

    protected override void Elements(int limit, ReadOnlySpan<byte> b, StringBuilder sb)
    {
        sb.Append('[');
        for (int k = 0; k * 16 + 16 <= b.Length; k++)
        {
            if (k > 0) sb.Append(", ");
            if (k == limit) { sb.Append("..."); break; }
            sb.Append("{iov_base=");
            StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[(k * 16)..]));
            sb.Append(", iov_len=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[(k * 16 + 8)..]).ToString(CultureInfo.InvariantCulture)).Append('}');
        }
    }
}

/// <summary>shmctl's struct shmid_ds, shown for the commands that fill it (IPC_STAT, SHM_STAT,
/// SHM_STAT_ANY); other commands show the address (or NULL).</summary>
internal sealed class ShmidDsCodec : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const ulong Ipc64 = 0x100; // the old-ABI marker some libcs add to the command

    public override CapturePlan Plan { get; } = CapturePlan.AtExit(112);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        ulong cmd = c.Args[i - 1] & ~Ipc64;
        if (cmd == 1 && b.Length >= 24) // IPC_SET: what the kernel reads
        {
            sb.Append("{shm_perm=");
            IpcPermSet(sb, b);
            sb.Append('}');
            return true;
        }
        if (cmd == 3 && b.Length >= 40) // IPC_INFO: struct shminfo
        {
            sb.Append("{shmmax=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b).ToString(Inv))
              .Append(", shmmin=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[8..]).ToString(Inv))
              .Append(", shmmni=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[16..]).ToString(Inv))
              .Append(", shmseg=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[24..]).ToString(Inv))
              .Append(", shmall=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[32..]).ToString(Inv)).Append('}');
            return true;
        }
        if (cmd == 14 && b.Length >= 48) // SHM_INFO: struct shm_info
        {
            sb.Append("{used_ids=").Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(Inv))
              .Append(", shm_tot=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[8..]).ToString(Inv))
              .Append(", shm_rss=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[16..]).ToString(Inv))
              .Append(", shm_swp=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[24..]).ToString(Inv))
              .Append(", swap_attempts=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[32..]).ToString(Inv))
              .Append(", swap_successes=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[40..]).ToString(Inv)).Append('}');
            return true;
        }
        if (cmd is not (2 or 13 or 15) || b.Length < 112)
            return false;
        sb.Append("{shm_perm=");
        IpcPerm(sb, b);
        sb.Append(", shm_segsz=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[48..]).ToString(Inv))
          .Append(", shm_cpid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[80..]).ToString(Inv))
          .Append(", shm_lpid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[84..]).ToString(Inv))
          .Append(", shm_nattch=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[88..]).ToString(Inv))
          .Append(", shm_atime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[56..]).ToString(Inv))
          .Append(", shm_dtime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[64..]).ToString(Inv))
          .Append(", shm_ctime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[72..]).ToString(Inv)).Append('}');
        return true;
    }

    /// <summary>The ipc64_perm fields IPC_SET reads: {uid=0, gid=0, mode=0600}.</summary>
    internal static void IpcPermSet(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append("{uid=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[4..]).ToString(Inv))
          .Append(", gid=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[8..]).ToString(Inv)).Append(", mode=");
        StraceText.Octal(sb, BinaryPrimitives.ReadUInt16LittleEndian(b[20..]) & 0x1ffu);
        sb.Append('}');
    }

    /// <summary>Named ints in order (msginfo, seminfo).</summary>
    internal static void Ints(StringBuilder sb, ReadOnlySpan<byte> b, string[] names)
    {
        sb.Append('{');
        for (int k = 0; k < names.Length; k++)
        {
            if (k > 0) sb.Append(", ");
            sb.Append(names[k]).Append('=').Append(BinaryPrimitives.ReadInt32LittleEndian(b[(k * 4)..]).ToString(Inv));
        }
    }

    /// <summary>struct ipc64_perm: {uid=0, gid=0, mode=0600, key=0, cuid=0, cgid=0}.</summary>
    internal static void IpcPerm(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append("{uid=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[4..]).ToString(Inv))
          .Append(", gid=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[8..]).ToString(Inv)).Append(", mode=");
        StraceText.Octal(sb, BinaryPrimitives.ReadUInt16LittleEndian(b[20..]) & 0x1ffu);
        sb.Append(", key=").Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(Inv))
          .Append(", cuid=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[12..]).ToString(Inv))
          .Append(", cgid=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[16..]).ToString(Inv)).Append('}');
    }
}

/// <summary>msgctl's struct msqid_ds, shown for IPC_STAT, MSG_STAT and MSG_STAT_ANY.</summary>
internal sealed class MsqidDsCodec : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly string[] MsginfoNames = { "msgpool", "msgmap", "msgmax", "msgmnb", "msgmni", "msgssz", "msgtql" };

    public override CapturePlan Plan { get; } = CapturePlan.AtExit(120);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        ulong cmd = c.Args[i - 1] & ~0x100UL;
        if (cmd == 1 && b.Length >= 96) // IPC_SET: the permissions and msg_qbytes
        {
            sb.Append("{msg_perm=");
            ShmidDsCodec.IpcPermSet(sb, b);
            sb.Append(", msg_qbytes=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[88..]).ToString(Inv)).Append('}');
            return true;
        }
        if (cmd is 3 or 12 && b.Length >= 30) // IPC_INFO, MSG_INFO: struct msginfo
        {
            ShmidDsCodec.Ints(sb, b, MsginfoNames);
            sb.Append(", msgseg=").Append(BinaryPrimitives.ReadUInt16LittleEndian(b[28..]).ToString(Inv)).Append('}');
            return true;
        }
        if (cmd is not (2 or 11 or 13) || b.Length < 104)
            return false;
        sb.Append("{msg_perm=");
        ShmidDsCodec.IpcPerm(sb, b);
        sb.Append(", msg_stime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[48..]).ToString(Inv))
          .Append(", msg_rtime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[56..]).ToString(Inv))
          .Append(", msg_ctime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[64..]).ToString(Inv))
          .Append(", msg_qnum=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[80..]).ToString(Inv))
          .Append(", msg_qbytes=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[88..]).ToString(Inv))
          .Append(", msg_lspid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[96..]).ToString(Inv))
          .Append(", msg_lrpid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[100..]).ToString(Inv)).Append('}');
        return true;
    }
}

/// <summary>semctl's fourth argument: struct semid_ds for IPC_STAT, SEM_STAT and SEM_STAT_ANY; the
/// union's register otherwise (an address, or SETVAL's value), as strace shows it.</summary>
internal sealed class SemidDsCodec : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly string[] SeminfoNames =
        { "semmap", "semmni", "semmns", "semmnu", "semmsl", "semopm", "semume", "semusz", "semvmx", "semaem" };

    public override CapturePlan Plan { get; } = CapturePlan.AtExit(104);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        ulong cmd = c.Args[i - 1] & ~0x100UL;
        if (cmd == 1 && b.Length >= 24) // IPC_SET
        {
            sb.Append("{sem_perm=");
            ShmidDsCodec.IpcPermSet(sb, b);
            sb.Append('}');
            return true;
        }
        if (cmd is 3 or 19 && b.Length >= 40) // IPC_INFO, SEM_INFO: struct seminfo
        {
            ShmidDsCodec.Ints(sb, b, SeminfoNames);
            sb.Append('}');
            return true;
        }
        if (cmd is not (2 or 18 or 20) || b.Length < 88)
            return false;
        sb.Append("{sem_perm=");
        ShmidDsCodec.IpcPerm(sb, b);
        sb.Append(", sem_otime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[48..]).ToString(Inv))
          .Append(", sem_ctime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[64..]).ToString(Inv))
          .Append(", sem_nsems=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[80..]).ToString(Inv)).Append('}');
        return true;
    }
}
