using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>A NUMA node mask (get_mempolicy, set_mempolicy, mbind): 64-bit words in hex, as many
/// as the max-node argument's bits need.</summary>
internal sealed class NodeMaskCodec(Direction direction, int bitsArgument) : ArgCodec
{
    public override CapturePlan Plan { get; } = new(direction == Direction.In ? CaptureWhen.Entry : CaptureWhen.Exit,
        CaptureLength.ArgumentCount, 8, bitsArgument, 1024, Unit: 64);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        sb.Append('[');
        for (int k = 0; k * 8 + 8 <= b.Length; k++)
        {
            if (k > 0) sb.Append(", ");
            if (k == c.StringLimit) { sb.Append("..."); break; }
            sb.Append(BinaryPrimitives.ReadUInt64LittleEndian(b[(k * 8)..]).ToString("x16", CultureInfo.InvariantCulture));
        }
        sb.Append(']');
        return true;
    }
}

/// <summary>mincore's residency vector: one byte per page of the length argument, [1, 0].</summary>
internal sealed class ResidencyVectorCodec(int lengthArgument) : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Exit, CaptureLength.ArgumentCount, 1, lengthArgument, 4096, Unit: 4096);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        sb.Append('[');
        for (int k = 0; k < b.Length; k++)
        {
            if (k > 0) sb.Append(", ");
            if (k == c.StringLimit) { sb.Append("..."); break; }
            sb.Append(b[k].ToString(CultureInfo.InvariantCulture));
        }
        sb.Append(']');
        return true;
    }
}

/// <summary>A pointer to one 64-bit value in brackets: an offset ([0], splice, copy_file_range)
/// or an address ([0x7f...], io_setup's context).</summary>
internal sealed class PointedLongCodec(Direction direction, bool hex) : ArgCodec
{
    public override CapturePlan Plan { get; } = direction == Direction.In ? CapturePlan.AtEntry(8) : CapturePlan.AtExit(8);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 8)
            return false;
        long v = BinaryPrimitives.ReadInt64LittleEndian(b);
        sb.Append('[');
        if (hex) StraceText.Hex(sb, (ulong)v); else sb.Append(v.ToString(CultureInfo.InvariantCulture));
        sb.Append(']');
        return true;
    }
}
