using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>A descriptor: 3&lt;/etc/passwd&gt; (strace -y), its link read at entry.</summary>
internal sealed class FdCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, Shape: CaptureShape.FdLink);

    public override CType DefaultType => CType.Int;

    public override ArgKind Role => ArgKind.Fd;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        DecodeText.Fd(ref c, sb, (int)c.Args[i], CaptureSlot.FdLink(i));
        return true;
    }
}

/// <summary>A directory descriptor of the *at calls: AT_FDCWD&lt;/cwd&gt; or a descriptor;
/// <paramref name="noFd"/>: -1 is FAN_NOFD (fanotify_mark).</summary>
internal sealed class DirFdCodec(bool noFd = false) : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, Shape: CaptureShape.DirFdLink);

    public override CType DefaultType => CType.Int;

    public override ArgKind Role => ArgKind.DirFd;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        int v = (int)c.Args[i];
        if (v == -1 && noFd)
        {
            int mark = DecodeStyle.Begin(sb);
            sb.Append("FAN_NOFD");
            DecodeStyle.End(sb, mark, unchecked((ulong)-1L), DecodeStyle.Number.Decimal);
        }
        else if (v == -100)
        {
            int mark = DecodeStyle.Begin(sb);
            sb.Append("AT_FDCWD");
            DecodeStyle.End(sb, mark, unchecked((ulong)-100L), DecodeStyle.Number.Decimal);
            if (c.Data.TryGetFull(CaptureSlot.FdLink(i), 1, out ReadOnlySpan<byte> b)) StraceText.Link(sb, b);
        }
        else
        {
            DecodeText.Fd(ref c, sb, v, CaptureSlot.FdLink(i));
        }
        return true;
    }
}

/// <summary>int[2] of new descriptors written by pipe, pipe2 and socketpair: [3&lt;pipe:[1]&gt;, 4&lt;pipe:[1]&gt;].</summary>
internal sealed class FdPairCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Exit, CaptureLength.Fixed, 8, Shape: CaptureShape.FdPair);

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (!c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(i), 8, out ReadOnlySpan<byte> b))
        {
            sb.Append('[');
            DecodeText.Fd(ref c, sb, System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(b), CaptureSlot.PairFdLink0);
            sb.Append(", ");
            DecodeText.Fd(ref c, sb, System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(b[4..]), CaptureSlot.PairFdLink1);
            sb.Append(']');
        }
        else
        {
            StraceText.Pointer(sb, v);
        }
        return true;
    }
}
