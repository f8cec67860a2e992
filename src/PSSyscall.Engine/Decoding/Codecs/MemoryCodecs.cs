using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>A NUMA node mask (get_mempolicy, set_mempolicy, mbind): 64-bit words in hex, as many
/// as the max-node argument's bits need (max-node is one more than the bits: 65 is one word).
/// Words past the readable memory end the list with "... /* address */".</summary>
internal sealed class NodeMaskCodec(Direction direction, int bitsArgument, int word = 8) : ArgCodec
{
    public override CapturePlan Plan { get; } = new(direction == Direction.In ? CaptureWhen.Entry : CaptureWhen.Exit,
        CaptureLength.ArgumentCount, word, bitsArgument, 1024, Unit: word * 8, CountBias: -1); // word: an unsigned long (4 on i386)

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        // A mask read short still shows its readable words (the driver would print the address).
        ulong v = c.Args[i];
        bool exitValid = !c.Failed && !c.Unfinished;
        if (v != 0 && Shown(ref c, i) && (direction == Direction.In || exitValid)
            && c.Data.TryGet(direction == Direction.In ? CaptureSlot.Entry(i) : CaptureSlot.Exit(i), out ReadOnlySpan<byte> b, out CaptureStatus st)
            && st == CaptureStatus.Truncated && b.Length >= word)
        {
            int words = b.Length / word;
            Words(ref c, b, sb, close: false, word);
            // strace reads the word at the limit too: a fault there still shows the address.
            if (words <= c.StringLimit)
            {
                sb.Append(", ... /* ");
                StraceText.Pointer(sb, v + (ulong)(words * word));
                sb.Append(" */");
            }
            sb.Append(']');
            return true;
        }
        return base.Print(ref c, i, sb);
    }

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length == 0 && status == CaptureStatus.Ok && c.Args[bitsArgument] == 0)
        {
            sb.Append("[]"); // max-node 0 (1 shows the address)
            return true;
        }
        if (b.Length < word)
            return false;
        Words(ref c, b, sb, close: true, word);
        return true;
    }

    private static void Words(ref DecodeContext c, ReadOnlySpan<byte> b, StringBuilder sb, bool close, int word)
    {
        sb.Append('[');
        for (int k = 0; k * word + word <= b.Length; k++)
        {
            if (k > 0) sb.Append(", ");
            if (k == c.StringLimit) { sb.Append("..."); break; }
            sb.Append(word == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(b[(k * 4)..]).ToString("x8", CultureInfo.InvariantCulture)
                                : BinaryPrimitives.ReadUInt64LittleEndian(b[(k * 8)..]).ToString("x16", CultureInfo.InvariantCulture));
        }
        if (close) sb.Append(']');
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
