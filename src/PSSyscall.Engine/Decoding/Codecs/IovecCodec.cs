using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>struct iovec[count], the count in the next argument: [{iov_base="...", iov_len=5}].
/// In (writev): read at entry. Out (readv): read at exit whatever the result, the data up to the
/// bytes the call returned (a failed call shows the buffers as addresses).</summary>
internal sealed class IovecCodec(Direction direction, int countArgument) : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override CapturePlan Plan { get; } = new(direction == Direction.In ? CaptureWhen.Entry : CaptureWhen.ExitAny,
        CaptureLength.ArgumentCount, 16, Argument: countArgument, Shape: CaptureShape.Iovec);

    public override CType DefaultType => CType.Pointer;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        int slot = direction == Direction.In ? CaptureSlot.Entry(i) : CaptureSlot.Exit(i);
        if ((direction == Direction.In || !c.Unfinished) && c.Data.TryGetFull(slot, 4, out ReadOnlySpan<byte> b))
            Iovec(ref c, sb, b, c.Args[countArgument], v);
        else
            StraceText.Pointer(sb, v);
        return true;
    }

    internal static void Iovec(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> blob, ulong count, ulong address)
    {
        int n = BinaryPrimitives.ReadInt32LittleEndian(blob);
        bool cut = n < 0; // the array unreadable after n elements
        if (cut) n = ~n;
        int off = 4;
        sb.Append('[');
        for (int e = 0; e < n; e++)
        {
            if (e > 0) sb.Append(", ");
            if (e == c.StringLimit) { sb.Append("..."); break; }
            ulong bas = BinaryPrimitives.ReadUInt64LittleEndian(blob[off..]);
            ulong len = BinaryPrimitives.ReadUInt64LittleEndian(blob[(off + 8)..]);
            var st = (CaptureStatus)blob[off + 16];
            int got = BinaryPrimitives.ReadInt32LittleEndian(blob[(off + 17)..]);
            ReadOnlySpan<byte> data = blob.Slice(off + 21, got);
            off += 21 + got;
            sb.Append("{iov_base=");
            if (st == CaptureStatus.Fault) StraceText.Pointer(sb, bas);
            else StraceText.Quote(sb, data, st == CaptureStatus.Truncated); // past a read's end: ""
            sb.Append(", iov_len=").Append(len.ToString(Inv)).Append('}');
        }
        if (cut && n <= c.StringLimit) // a failed fetch shows before the limit's "..."
        {
            sb.Append(", ... /* ");
            StraceText.Pointer(sb, address + (ulong)n * 16);
            sb.Append(" */");
        }
        else if (n < c.StringLimit && (ulong)n < count)
            sb.Append(", ...");
        sb.Append(']');
    }
}
