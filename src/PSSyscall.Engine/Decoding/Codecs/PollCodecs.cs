using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>struct pollfd[nfds] (nfds in the next argument): read at entry with its descriptors'
/// links, and again at exit when something was ready, for the result's revents.</summary>
internal sealed class PollFdsCodec(int countArgument) : ArgCodec
{
    private const int MaxElements = 1024;

    public override CapturePlan EntryPlan { get; } = new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 8, Argument: countArgument, Max: MaxElements * 8, Shape: CaptureShape.PollFds);

    public override CapturePlan ExitPlan { get; } = new(CaptureWhen.Exit, CaptureLength.ArgumentCount, 8, Argument: countArgument, Max: MaxElements * 8, PositiveResult: true);

    public override CType DefaultType => CType.Pointer;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (v == 0) { sb.Append("NULL"); return true; }
        if (c.Data.TryGetFull(CaptureSlot.Entry(i), 0, out ReadOnlySpan<byte> b)) PollIn(ref c, sb, b); else StraceText.Pointer(sb, v);
        return true;
    }

    private static void PollIn(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append('[');
        int n = b.Length / 8;
        for (int k = 0; k < n; k++)
        {
            if (k > 0) sb.Append(", ");
            if (k == c.StringLimit) { sb.Append("..."); break; }
            int fd = BinaryPrimitives.ReadInt32LittleEndian(b[(k * 8)..]);
            short events = BinaryPrimitives.ReadInt16LittleEndian(b[(k * 8 + 4)..]);
            sb.Append("{fd=");
            if (k < 64) DecodeText.Fd(ref c, sb, fd, CaptureSlot.ArrayFdLink(k)); else sb.Append(fd);
            sb.Append(", events=");
            Flags(sb, (ushort)events, PollEvents, "POLL???");
            sb.Append('}');
        }
        sb.Append(']');
    }
}

/// <summary>poll's and ppoll's result: " (Timeout)", or the ready descriptors' revents and ppoll's
/// time left, " ([{fd=3, revents=POLLIN}], left {tv_sec=0, tv_nsec=0})".</summary>
internal sealed class PollResultCodec(int fdsArgument, int timeoutArgument) : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override void PrintResult(ref DecodeContext c, long ret, StringBuilder sb)
    {
        if (ret == 0)
        {
            sb.Append(" (Timeout)");
        }
        else if (c.Data.TryGetFull(CaptureSlot.Exit(fdsArgument), 8, out ReadOnlySpan<byte> b))
        {
            sb.Append(" (");
            PollOut(ref c, sb, b);
            if (timeoutArgument >= 0 && c.Data.TryGetFull(CaptureSlot.Exit(timeoutArgument), 16, out b))
            {
                sb.Append(", left ");
                DecodeText.Time(sb, b, false);
            }
            sb.Append(')');
        }
    }

    /// <summary>The descriptors with events: [{fd=3, revents=POLLIN}].</summary>
    internal static void PollOut(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append('[');
        bool first = true;
        int shown = 0;
        for (int k = 0; k < b.Length / 8; k++)
        {
            short revents = BinaryPrimitives.ReadInt16LittleEndian(b[(k * 8 + 6)..]);
            if (revents == 0) continue;
            if (!first) sb.Append(", ");
            first = false;
            if (shown++ == c.StringLimit) { sb.Append("..."); break; }
            sb.Append("{fd=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[(k * 8)..]).ToString(Inv)).Append(", revents=");
            Flags(sb, (ushort)revents, PollEvents, "POLL???");
            sb.Append('}');
        }
        sb.Append(']');
    }
}
