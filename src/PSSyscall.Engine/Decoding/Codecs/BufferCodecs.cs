using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>A data buffer, quoted and cut at the string limit with "...": what the call reads
/// (its length the next argument) or what it wrote (its length the result), in strace's escapes
/// or, for getrandom's bytes, all in \x form.</summary>
internal sealed class BufferCodec(Direction direction, int lengthArgument, bool hex = false) : ArgCodec
{
    public override CapturePlan Plan { get; } = direction == Direction.In
        ? new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 1, lengthArgument, StringLimited: true)
        : new(CaptureWhen.Exit, CaptureLength.ReturnCount, 1, lengthArgument, StringLimited: true);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        ulong length = direction == Direction.In ? c.Args[lengthArgument] : (ulong)Math.Max(0, c.Return);
        if (direction == Direction.Out && lengthArgument >= 0)
            length = Math.Min(length, c.Args[lengthArgument]); // what the buffer holds of a longer result
        StraceText.Quote(sb, b, length > (ulong)c.StringLimit, hex);
        return true;
    }
}

/// <summary>A socklen_t the call reads and writes back: [16], or [128 => 16] when it changed.</summary>
internal sealed class SocklenCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.EntryAndExit, CaptureLength.Fixed, 4);

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (v == 0)
        {
            sb.Append("NULL");
            return true;
        }
        if (!c.Data.TryGetFull(CaptureSlot.Entry(i), 4, out ReadOnlySpan<byte> b))
        {
            StraceText.Pointer(sb, v);
            return true;
        }
        int inLen = BinaryPrimitives.ReadInt32LittleEndian(b);
        sb.Append('[').Append(inLen.ToString(CultureInfo.InvariantCulture));
        if (!c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(i), 4, out b))
        {
            int outLen = BinaryPrimitives.ReadInt32LittleEndian(b);
            if (outLen != inLen) sb.Append(" => ").Append(outLen.ToString(CultureInfo.InvariantCulture));
        }
        sb.Append(']');
        return true;
    }
}

/// <summary>One struct epoll_event the call reads (epoll_ctl).</summary>
internal sealed class EpollEventCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = CapturePlan.AtEntry(12);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 12)
            return false;
        DecodeText.EpollEvent(sb, b);
        return true;
    }
}

/// <summary>The events epoll_wait returned: as many struct epoll_event as the result says, cut at
/// the string limit with "...".</summary>
internal sealed class EpollEventsCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Exit, CaptureLength.ReturnCount, 12, Max: 12 * 1024);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        sb.Append('[');
        for (int k = 0; k * 12 + 12 <= b.Length; k++)
        {
            if (k > 0) sb.Append(", ");
            if (k == c.StringLimit) { sb.Append("..."); break; }
            DecodeText.EpollEvent(sb, b.Slice(k * 12, 12));
        }
        sb.Append(']');
        return true;
    }
}

/// <summary>A socket address: given to the call (its length the next argument), or written by it
/// (its length in the socklen_t the next argument points to, which the kernel set). The kernel
/// copies at most the buffer's size (the length going in), however long the address it reports,
/// so strace shows only what was copied.</summary>
internal sealed class SockaddrCodec(Direction direction, int lengthArgument) : ArgCodec
{
    private const int MaxSockaddr = 128;

    public override CapturePlan Plan { get; } = direction == Direction.In
        ? new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 1, lengthArgument, MaxSockaddr)
        : new(CaptureWhen.Exit, CaptureLength.ArgumentPointee, 1, lengthArgument, MaxSockaddr);

    // The kernel's length may pass the caller's room; strace reads only the room's worth.
    protected override bool ShortReadMayDo => direction == Direction.Out;

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (direction == Direction.Out && c.Data.TryGetFull(CaptureSlot.Entry(lengthArgument), 4, out ReadOnlySpan<byte> room))
        {
            int shown = Math.Min(Math.Max(BinaryPrimitives.ReadInt32LittleEndian(room), 0), MaxSockaddr);
            if (status == CaptureStatus.Truncated && b.Length < shown)
                return false; // the room itself could not be read
            b = b[..Math.Min(shown, b.Length)];
        }
        else if (status == CaptureStatus.Truncated)
            return false;
        if (b.Length < 2)
            return false;
        SockaddrText.Sockaddr(sb, b);
        return true;
    }
}
