using System.Buffers.Binary;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>A pointer to one 32-bit value, shown in brackets ([0], [-1], [MPOL_DEFAULT]): read at
/// entry or written by the call, by direction.</summary>
internal sealed class PointedIntCodec(Direction direction, CType type, Named[]? table = null, string? unknown = null) : ArgCodec
{
    public override CapturePlan Plan { get; } = direction == Direction.In ? CapturePlan.AtEntry(4) : CapturePlan.AtExit(4);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 4)
            return false;
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(b);
        sb.Append('[');
        if (table is not null) FlagTables.Enum(sb, v, table, unknown!);
        else DecodeText.Decimal(sb, v, type);
        sb.Append(']');
        return true;
    }
}

/// <summary>An array of 32-bit ids (gid_t lists): its element count is another argument (input)
/// or the return value (output). Elements past the string limit show as "...".</summary>
internal sealed class IdArrayCodec(Direction direction, int countArgument) : ElementArrayCodec(direction, 4)
{
    public override CapturePlan Plan { get; } = direction == Direction.In
        ? new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 4, countArgument)
        : new(CaptureWhen.Exit, CaptureLength.ReturnCount, 4);

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        // More ids than NGROUPS_MAX: strace does not read them.
        if (Direction == Direction.In && c.Args[countArgument] > 65536 && c.Args[i] != 0)
        {
            StraceText.Pointer(sb, c.Args[i]);
            return true;
        }
        return base.Print(ref c, i, sb);
    }

    protected override void Elements(int limit, ReadOnlySpan<byte> b, StringBuilder sb)
    {
        sb.Append('[');
        for (int k = 0; k * 4 + 4 <= b.Length; k++)
        {
            if (k > 0) sb.Append(", ");
            if (k == limit) { sb.Append("..."); break; }
            DecodeText.Decimal(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[(k * 4)..]), CType.Uid);
        }
    }
}

/// <summary>A CPU set (sched_{get,set}affinity): the numbers of the set bits, [0 1]. Its size in
/// bytes is an argument (input) or the return value (output).</summary>
internal sealed class CpuSetCodec(Direction direction, int sizeArgument) : ArgCodec
{
    public override CapturePlan Plan { get; } = direction == Direction.In
        ? new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 1, sizeArgument, 1024)
        : new(CaptureWhen.Exit, CaptureLength.ReturnCount, 1, -1, 1024);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        sb.Append('[');
        bool first = true;
        for (int bit = 0; bit < b.Length * 8; bit++)
        {
            if ((b[bit / 8] & (1 << (bit % 8))) == 0)
                continue;
            if (!first) sb.Append(' ');
            first = false;
            sb.Append(bit);
        }
        sb.Append(']');
        return true;
    }
}

/// <summary>A path the call writes (getcwd): copied up to its NUL, never cut by the string limit,
/// since strace never cuts paths.</summary>
internal sealed class PathOutCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Exit, CaptureLength.CString, Max: 4096);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        StraceText.Quote(sb, b, false);
        return true;
    }
}

/// <summary>wait4's status: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], shown when a child was reaped.</summary>
internal sealed class WaitStatusCodec : ArgCodec
{
    private static readonly System.Globalization.CultureInfo Inv = System.Globalization.CultureInfo.InvariantCulture;

    public override CapturePlan Plan { get; } = CapturePlan.AtExit(4);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (c.Return <= 0 || b.Length < 4)
            return false;
        WaitStatus(sb, BinaryPrimitives.ReadInt32LittleEndian(b));
        return true;
    }

    private static void WaitStatus(StringBuilder sb, int s)
    {
        sb.Append("[{");
        if ((s & 0x7f) == 0)
            sb.Append("WIFEXITED(s) && WEXITSTATUS(s) == ").Append(((s >> 8) & 0xff).ToString(Inv));
        else if ((s & 0xff) == 0x7f)
            sb.Append("WIFSTOPPED(s) && WSTOPSIG(s) == ").Append(SignalNames.GetName((s >> 8) & 0xff));
        else if (s == 0xffff)
            sb.Append("WIFCONTINUED(s)");
        else
        {
            sb.Append("WIFSIGNALED(s) && WTERMSIG(s) == ").Append(SignalNames.GetName(s & 0x7f));
            if ((s & 0x80) != 0) sb.Append(" && WCOREDUMP(s)");
        }
        sb.Append("}]");
    }
}
