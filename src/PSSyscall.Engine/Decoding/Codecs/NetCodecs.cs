using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>sendfile's loff_t offset, read and advanced by the call: [0] => [35499] when it sent
/// something, else [N] as given (unsigned, as strace prints it).</summary>
internal sealed class SendfileOffsetCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.EntryAndExit, CaptureLength.Fixed, 8);

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (v == 0)
        {
            sb.Append("NULL");
            return true;
        }
        if (!c.Data.TryGetFull(CaptureSlot.Entry(i), 8, out ReadOnlySpan<byte> b))
        {
            StraceText.Pointer(sb, v);
            return true;
        }
        sb.Append('[').Append(BinaryPrimitives.ReadUInt64LittleEndian(b).ToString(CultureInfo.InvariantCulture)).Append(']');
        if (!c.Failed && !c.Unfinished && c.Return > 0 && c.Data.TryGetFull(CaptureSlot.Exit(i), 8, out b))
            sb.Append(" => [").Append(BinaryPrimitives.ReadUInt64LittleEndian(b).ToString(CultureInfo.InvariantCulture)).Append(']');
        return true;
    }
}

/// <summary>An argument strace 6.1 shows as its address when the call failed (epoll_pwait2's
/// timeout and sigmask), otherwise as <paramref name="inner"/> shows it.</summary>
internal sealed class AddressWhenFailedCodec(ArgCodec inner) : ArgCodec
{
    public override CapturePlan Plan => inner.Plan;

    public override CType DefaultType => inner.DefaultType;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        if (c.Failed && c.Args[i] != 0)
        {
            StraceText.Pointer(sb, c.Args[i]);
            return true;
        }
        return inner.Print(ref c, i, sb);
    }
}

/// <summary>epoll_ctl's event: its address for EPOLL_CTL_DEL, which ignores it.</summary>
internal sealed class EpollCtlEventCodec : ArgCodec
{
    private readonly EpollEventCodec _event = new();

    public override CapturePlan Plan => _event.Plan;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        if ((int)c.Args[1] == 2 && c.Args[i] != 0) // EPOLL_CTL_DEL
        {
            StraceText.Pointer(sb, c.Args[i]);
            return true;
        }
        return _event.Print(ref c, i, sb);
    }
}
