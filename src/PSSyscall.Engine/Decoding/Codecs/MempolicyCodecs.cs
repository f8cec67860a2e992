using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>A memory policy mode with its mode flags (set_mempolicy, mbind): MPOL_BIND|MPOL_F_STATIC_NODES.
/// The mode is named first; an unknown mode with flags comes after them in hex
/// (MPOL_F_STATIC_NODES|0xffff1fff); an unknown mode alone is 0x6 /* MPOL_??? */.</summary>
/// <remarks><paramref name="wide"/>: mbind's mode is an unsigned long, set_mempolicy's an int.</remarks>
internal sealed class MempolicyModeCodec(bool wide = false) : ArgCodec
{
    protected override DecodeStyle.Number? ConstantNumber => DecodeStyle.Number.Hex;

    /// <summary>MPOL_MODE_FLAGS (linux/mempolicy.h).</summary>
    private const uint ModeFlags = 0xe000;

    public override CType DefaultType => wide ? CType.ULong : CType.Int;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        Format(sb, wide ? v : (uint)v);
        return true;
    }

    public static void Format(StringBuilder sb, ulong v)
    {
        ulong flags = v & ModeFlags;
        ulong mode = v & ~(ulong)ModeFlags;
        string? name = FlagTables.NameOf(mode, FlagTables.MempolicyModes);
        if (name is not null)
        {
            sb.Append(name);
            if (flags != 0)
            {
                sb.Append('|');
                FlagTables.Flags(sb, flags, FlagTables.MempolicyModeFlags, "MPOL_???");
            }
        }
        else if (flags != 0)
        {
            FlagTables.Flags(sb, flags, FlagTables.MempolicyModeFlags, "MPOL_???");
            sb.Append("|0x").Append(mode.ToString("x"));
        }
        else
        {
            FlagTables.Enum(sb, v, FlagTables.MempolicyModes, "MPOL_???");
        }
    }
}

/// <summary>What one element of a <see cref="CountedArrayCodec"/> is.</summary>
internal enum ArrayElement : byte
{
    /// <summary>A pointer (8 bytes): 0x7f.. or NULL.</summary>
    Pointer,
    /// <summary>An int (4 bytes) in decimal.</summary>
    Int,
    /// <summary>An int that is a node or, negative, an errno (move_pages' status: 0, -EFAULT).</summary>
    IntOrErrno,
}

/// <summary>An array whose element count is another argument (move_pages' pages, nodes and status):
/// [a, b, c], "..." past the string limit, and where the memory ends before the count
/// "... /* address of the first unreadable element */"; a count of 0 shows [].</summary>
internal sealed class CountedArrayCodec(Direction direction, int countArgument, ArrayElement element) : ArgCodec
{
    private readonly int _size = element == ArrayElement.Pointer ? 8 : 4;

    public override CapturePlan Plan { get; } = new(direction == Direction.In ? CaptureWhen.Entry : CaptureWhen.Exit,
        CaptureLength.ArgumentCount, element == ArrayElement.Pointer ? 8 : 4, countArgument, 1024);

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        bool exitValid = !c.Failed && !c.Unfinished;
        if (v != 0 && Shown(ref c, i) && (direction == Direction.In || exitValid)
            && c.Data.TryGet(direction == Direction.In ? CaptureSlot.Entry(i) : CaptureSlot.Exit(i), out ReadOnlySpan<byte> b, out CaptureStatus st)
            && st == CaptureStatus.Truncated && b.Length >= _size)
        {
            int n = b.Length / _size;
            Elements(ref c, b, sb);
            if (n <= c.StringLimit) // strace reads the element at the limit too
            {
                sb.Append(", ... /* ");
                StraceText.Pointer(sb, v + (ulong)(n * _size));
                sb.Append(" */");
            }
            sb.Append(']');
            return true;
        }
        return base.Print(ref c, i, sb);
    }

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length == 0 && status == CaptureStatus.Ok)
        {
            sb.Append("[]");
            return true;
        }
        if (b.Length < _size)
            return false;
        Elements(ref c, b, sb);
        sb.Append(']');
        return true;
    }

    private void Elements(ref DecodeContext c, ReadOnlySpan<byte> b, StringBuilder sb)
    {
        sb.Append('[');
        for (int k = 0; (k + 1) * _size <= b.Length; k++)
        {
            if (k > 0) sb.Append(", ");
            if (k == c.StringLimit) { sb.Append("..."); break; }
            ReadOnlySpan<byte> e = b[(k * _size)..];
            switch (element)
            {
                case ArrayElement.Pointer:
                    ulong p = BinaryPrimitives.ReadUInt64LittleEndian(e);
                    if (p == 0) sb.Append("NULL"); else StraceText.Pointer(sb, p);
                    break;
                case ArrayElement.Int:
                    sb.Append(BinaryPrimitives.ReadInt32LittleEndian(e).ToString(CultureInfo.InvariantCulture));
                    break;
                default:
                    int s = BinaryPrimitives.ReadInt32LittleEndian(e);
                    string? name = s < 0 ? ErrnoNames.GetName(-s) : null;
                    if (name is null) { sb.Append(s.ToString(CultureInfo.InvariantCulture)); break; }
                    int mark = DecodeStyle.Begin(sb); // -X: -14 /* -EFAULT */
                    sb.Append('-').Append(name);
                    DecodeStyle.End(sb, mark, (ulong)(long)s, DecodeStyle.Number.Decimal);
                    break;
            }
        }
    }
}

/// <summary>strace's rule for an array whose memory ends before its count: the readable elements,
/// then "... /* address of the first unreadable one */" (or "..." when the string limit came first).
/// Codecs of counted arrays call <see cref="TryGetShort"/> before the driver (which would show a
/// short read as the address) and <see cref="CloseShort"/> after their elements.</summary>
internal static class ShortArray
{
    /// <summary>The bytes of argument <paramref name="i"/> when they were read short and hold at
    /// least one whole element.</summary>
    public static bool TryGetShort(ref DecodeContext c, int i, Direction direction, int elementSize, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (c.Args[i] == 0 || (direction == Direction.Out && (c.Failed || c.Unfinished)))
            return false;
        return c.Data.TryGet(direction == Direction.In ? CaptureSlot.Entry(i) : CaptureSlot.Exit(i), out bytes, out CaptureStatus st)
            && st == CaptureStatus.Truncated && bytes.Length >= elementSize;
    }

    /// <summary>Ends a short array of <paramref name="elements"/> whole elements (its '[' and
    /// elements already written, without the ']').</summary>
    public static void CloseShort(ref DecodeContext c, StringBuilder sb, ulong address, int elements, int elementSize)
    {
        if (elements <= c.StringLimit) // strace reads the element at the limit too
        {
            sb.Append(", ... /* ");
            StraceText.Pointer(sb, address + (ulong)(elements * elementSize));
            sb.Append(" */");
        }
        sb.Append(']');
    }
}
