using System.Text;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>
/// An array of fixed-size elements counted by another argument or the result, printed as strace
/// prints such arrays: the elements up to the string limit, and when the memory ends before the
/// count, the readable ones then <c>... /* address */</c> (<see cref="ShortArray"/>). Subclasses
/// say how one run of elements is written.
/// </summary>
internal abstract class ElementArrayCodec(Direction direction, int elementSize) : ArgCodec
{
    protected Direction Direction { get; } = direction;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        if (!ShortArray.TryGetShort(ref c, i, Direction, elementSize, out ReadOnlySpan<byte> b))
            return base.Print(ref c, i, sb);
        Elements(c.StringLimit, b, sb);
        ShortArray.CloseShort(ref c, sb, c.Args[i], b.Length / elementSize, elementSize);
        return true;
    }

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        Elements(c.StringLimit, b, sb);
        sb.Append(']');
        return true;
    }

    /// <summary>'[' and the whole elements in <paramref name="b"/>, "..." at the string limit; no ']'.</summary>
    protected abstract void Elements(int limit, ReadOnlySpan<byte> b, StringBuilder sb);
}
