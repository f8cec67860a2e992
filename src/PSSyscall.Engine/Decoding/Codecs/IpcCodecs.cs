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
internal sealed class SemaphoreOpsCodec(int countArgument) : ArgCodec
{
    private static readonly Named[] Flags = { new(0x800, "IPC_NOWAIT"), new(0x1000, "SEM_UNDO") };

    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 6, countArgument);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        sb.Append('[');
        for (int k = 0; k * 6 + 6 <= b.Length; k++)
        {
            if (k > 0) sb.Append(", ");
            if (k == c.StringLimit) { sb.Append("..."); break; }
            ReadOnlySpan<byte> e = b[(k * 6)..];
            sb.Append("{sem_num=").Append(BinaryPrimitives.ReadUInt16LittleEndian(e)).Append(", sem_op=")
              .Append(BinaryPrimitives.ReadInt16LittleEndian(e[2..])).Append(", sem_flg=");
            FlagTables.Flags(sb, BinaryPrimitives.ReadUInt16LittleEndian(e[4..]), Flags, "SEM_???");
            sb.Append('}');
        }
        sb.Append(']');
        return true;
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
internal sealed class RemoteIovecCodec(int countArgument) : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 16, countArgument);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        sb.Append('[');
        for (int k = 0; k * 16 + 16 <= b.Length; k++)
        {
            if (k > 0) sb.Append(", ");
            if (k == c.StringLimit) { sb.Append("..."); break; }
            sb.Append("{iov_base=");
            StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[(k * 16)..]));
            sb.Append(", iov_len=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[(k * 16 + 8)..]).ToString(CultureInfo.InvariantCulture)).Append('}');
        }
        sb.Append(']');
        return true;
    }
}
