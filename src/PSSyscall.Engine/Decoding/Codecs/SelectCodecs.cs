using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>An fd_set of nfds (argument 0) bits, read in whole longs at entry (its descriptors
/// annotated) and again at exit when something was ready, for the result.</summary>
internal sealed class FdSetCodec : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override CapturePlan EntryPlan { get; } = new(CaptureWhen.Entry, Argument: 0, Shape: CaptureShape.FdSet);

    public override CapturePlan ExitPlan { get; } = new(CaptureWhen.Exit, Argument: 0, Shape: CaptureShape.FdSet, PositiveResult: true);

    public override CType DefaultType => CType.Pointer;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (v == 0) { sb.Append("NULL"); return true; }
        // strace shows the address unless all of nfds' bits (in whole longs) could be read
        if ((int)c.Args[0] >= 0 && c.Data.TryGet(CaptureSlot.Entry(i), out ReadOnlySpan<byte> b, out CaptureStatus st) && st == CaptureStatus.Ok && b.Length > 0)
            FdSet(ref c, sb, b, annotate: true);
        else
            StraceText.Pointer(sb, v);
        return true;
    }

    /// <summary>[3&lt;pipe:[1]&gt; 4&lt;pipe:[1]&gt;]: the descriptors below nfds whose bits are set.</summary>
    internal static void FdSet(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> set, bool annotate)
    {
        int bits = (int)Math.Min(c.Args[0], (ulong)set.Length * 8);
        sb.Append('[');
        bool first = true;
        for (int fd = 0; fd < bits; fd++)
        {
            if ((set[fd / 8] & (1 << (fd % 8))) == 0)
                continue;
            if (!first) sb.Append(' ');
            first = false;
            if (annotate) DecodeText.ArrayFd(ref c, sb, fd); else sb.Append(fd.ToString(Inv));
        }
        sb.Append(']');
    }

    internal static bool AnyFdSet(ReadOnlySpan<byte> set, ulong nfds)
    {
        int bits = (int)Math.Min(nfds, (ulong)set.Length * 8);
        for (int fd = 0; fd < bits; fd++)
            if ((set[fd / 8] & (1 << (fd % 8))) != 0)
                return true;
        return false;
    }
}

/// <summary>select's timeval and pselect6's or ppoll's timespec: read at entry for the argument,
/// and at exit when something was ready for the result's "left".</summary>
internal sealed class TimeoutLeftCodec(bool timeval) : ArgCodec
{
    public override CapturePlan EntryPlan { get; } = CapturePlan.AtEntry(16);

    public override CapturePlan ExitPlan { get; } = new(CaptureWhen.Exit, CaptureLength.Fixed, 16, PositiveResult: true);

    public override CType DefaultType => CType.Pointer;

    public bool Timeval => timeval;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (v == 0) { sb.Append("NULL"); return true; }
        if (c.Data.TryGetFull(CaptureSlot.Entry(i), 16, out ReadOnlySpan<byte> b)) DecodeText.Time(sb, b, timeval); else StraceText.Pointer(sb, v);
        return true;
    }
}

/// <summary>pselect6's sixth argument, {const sigset_t *ss; size_t ss_len}: {sigmask=[...], sigsetsize=8}.</summary>
internal sealed class PselectSigmaskCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.Fixed, 16, Shape: CaptureShape.SigsetPointer);

    public override CType DefaultType => CType.Pointer;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (v == 0) { sb.Append("NULL"); return true; }
        if (!c.Data.TryGetFull(CaptureSlot.Entry(i), 16, out ReadOnlySpan<byte> b)) { StraceText.Pointer(sb, v); return true; }
        ulong set = BinaryPrimitives.ReadUInt64LittleEndian(b);
        sb.Append("{sigmask=");
        if (set != 0 && c.Data.TryGetFull(CaptureSlot.Extra, 8, out ReadOnlySpan<byte> mask)) DecodeText.Sigset(sb, mask); else StraceText.Pointer(sb, set);
        sb.Append(", sigsetsize=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[8..]).ToString(CultureInfo.InvariantCulture)).Append('}');
        return true;
    }
}

/// <summary>select's and pselect6's result: " (Timeout)", or the ready sets as written back and the
/// time left, " (in [3], out [4], left {tv_sec=0, tv_usec=0})".</summary>
internal sealed class SelectResultCodec(int timeoutArgument, bool timeval) : ArgCodec
{
    public override void PrintResult(ref DecodeContext c, long ret, StringBuilder sb)
    {
        if (ret == 0)
        {
            sb.Append(" (Timeout)");
            return;
        }
        sb.Append(" (");
        bool any = false;
        for (int i = 1; i <= 3; i++)
        {
            if (!c.Data.TryGetFull(CaptureSlot.Exit(i), 1, out ReadOnlySpan<byte> set) || !FdSetCodec.AnyFdSet(set, c.Args[0]))
                continue;
            if (any) sb.Append(", ");
            any = true;
            sb.Append(i switch { 1 => "in ", 2 => "out ", _ => "exc " });
            FdSetCodec.FdSet(ref c, sb, set, annotate: false);
        }
        if (c.Data.TryGetFull(CaptureSlot.Exit(timeoutArgument), 16, out ReadOnlySpan<byte> left))
        {
            if (any) sb.Append(", ");
            sb.Append("left ");
            DecodeText.Time(sb, left, timeval);
        }
        sb.Append(')'); // "()" when nothing was ready to show, as strace prints it
    }
}
