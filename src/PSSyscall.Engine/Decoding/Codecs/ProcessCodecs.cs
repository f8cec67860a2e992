using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>struct sched_attr (sched_getattr, sched_setattr), its fields up to its own size field
/// (48 bytes before utilization clamping, 56 with it). sched_getattr's buffer size is the next
/// argument; sched_setattr's struct says its size itself.</summary>
internal sealed class SchedAttrCodec(Direction direction, int sizeArgument) : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override CapturePlan Plan { get; } = direction == Direction.In
        ? CapturePlan.AtEntry(56)
        : new(CaptureWhen.Exit, CaptureLength.ArgumentCount, 1, sizeArgument, 128);

    private const int MinSize = 48, Ver1Size = 56; // SCHED_ATTR_SIZE_VER0, SCHED_ATTR_SIZE_VER1
    private const ulong KeepPolicy = 0x8, KeepParams = 0x10;

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 4)
            return false;
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(b);
        sb.Append("{size=").Append(size.ToString(Inv));
        // Too small a size carries nothing else; fields the flags say to keep are left out.
        if ((size != 0 && size < MinSize) || b.Length < MinSize) // 0 is the first version's size
        {
            sb.Append('}');
            return true;
        }
        ulong flags = BinaryPrimitives.ReadUInt64LittleEndian(b[8..]);
        if ((flags & (KeepPolicy | KeepParams)) == 0)
        {
            sb.Append(", sched_policy=");
            FlagTables.Enum(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[4..]), SchedPolicies, "SCHED_???");
        }
        sb.Append(", sched_flags=");
        Flags(sb, flags, SchedAttrFlags, "SCHED_FLAG_???");
        if ((flags & KeepParams) == 0)
        {
            sb.Append(", sched_nice=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[16..]).ToString(Inv))
              .Append(", sched_priority=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[20..]).ToString(Inv))
              .Append(", sched_runtime=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[24..]).ToString(Inv))
              .Append(", sched_deadline=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[32..]).ToString(Inv))
              .Append(", sched_period=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[40..]).ToString(Inv));
        }
        if (size >= Ver1Size && b.Length >= Ver1Size)
        {
            sb.Append(", sched_util_min=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[48..]).ToString(Inv))
              .Append(", sched_util_max=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[52..]).ToString(Inv));
            if (size > Ver1Size)
                sb.Append(", ...");
        }
        sb.Append('}');
        return true;
    }
}

/// <summary>A personality: the persona by name, then its flags (PER_LINUX|ADDR_NO_RANDOMIZE);
/// 0xffffffff (the query) in hex. Serves the argument and, in parentheses, the result.</summary>
internal sealed class PersonalityCodec : ArgCodec
{
    protected override DecodeStyle.Number? ConstantNumber => DecodeStyle.Number.Hex;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        uint p = (uint)v;
        if (p == uint.MaxValue)
        {
            StraceText.Hex(sb, p);
            return true;
        }
        FlagTables.Enum(sb, p & 0xff, Personas, "PER_???");
        if ((p & ~0xffu) != 0)
        {
            sb.Append('|');
            Flags(sb, p & ~0xffu, PersonalityFlags, "PER_???");
        }
        return true;
    }
}

/// <summary>An I/O priority: IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4). Argument and result.</summary>
internal sealed class IoprioCodec : ArgCodec
{
    protected override DecodeStyle.Number? ConstantNumber => DecodeStyle.Number.Decimal;

    protected override bool ConstantPartsStyled => true;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        uint p = (uint)v;
        sb.Append("IOPRIO_PRIO_VALUE(");
        FlagTables.Enum(sb, p >> 13, IoprioClasses, "IOPRIO_CLASS_???");
        sb.Append(", ").Append((p & 0x1fff).ToString(CultureInfo.InvariantCulture)).Append(')');
        return true;
    }
}

/// <summary>capget/capset's header: {version=_LINUX_CAPABILITY_VERSION_3, pid=0}.</summary>
internal sealed class CapHeaderCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = CapturePlan.AtEntry(8);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 8)
            return false;
        sb.Append("{version=");
        FlagTables.Enum(sb, BinaryPrimitives.ReadUInt32LittleEndian(b), CapVersions, "_LINUX_CAPABILITY_VERSION_???");
        sb.Append(", pid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[4..]).ToString(CultureInfo.InvariantCulture)).Append('}');
        return true;
    }
}

/// <summary>capget/capset's data: two 32-bit halves of each set (versions 2 and 3), shown as
/// 1&lt;&lt;CAP_X|... per set.</summary>
internal sealed class CapDataCodec(Direction direction) : ArgCodec
{
    public override CapturePlan Plan { get; } = direction == Direction.In ? CapturePlan.AtEntry(24) : CapturePlan.AtExit(24);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 12)
            return false;
        bool two = b.Length >= 24;
        string[] names = { "effective", "permitted", "inheritable" };
        sb.Append('{');
        for (int k = 0; k < 3; k++)
        {
            if (k > 0) sb.Append(", ");
            ulong set = BinaryPrimitives.ReadUInt32LittleEndian(b[(k * 4)..]);
            if (two) set |= (ulong)BinaryPrimitives.ReadUInt32LittleEndian(b[(12 + k * 4)..]) << 32;
            sb.Append(names[k]).Append('=');
            CapSet(sb, set);
        }
        sb.Append('}');
        return true;
    }

    private static void CapSet(StringBuilder sb, ulong set)
    {
        if (set == 0)
        {
            sb.Append('0');
            return;
        }
        bool first = true;
        for (int bit = 0; bit < 64; bit++)
        {
            if ((set & (1UL << bit)) == 0)
                continue;
            if (!first) sb.Append('|');
            first = false;
            string? name = FlagTables.NameOf((ulong)bit, Capabilities);
            sb.Append("1<<").Append(name ?? bit.ToString(CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>seccomp's third argument, by operation: the action asked about for
/// SECCOMP_GET_ACTION_AVAIL ([SECCOMP_RET_KILL_PROCESS]); an address otherwise.</summary>
internal sealed class SeccompArgumentCodec : ArgCodec
{
    private const ulong GetActionAvail = 2;

    public override CapturePlan Plan { get; } = CapturePlan.AtEntry(4);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (c.Args[0] != GetActionAvail || b.Length < 4)
            return false;
        sb.Append('[');
        FlagTables.Enum(sb, BinaryPrimitives.ReadUInt32LittleEndian(b), SeccompReturnActions, "SECCOMP_RET_???");
        sb.Append(']');
        return true;
    }
}

/// <summary>An argument strace shows only when a flag of the previous one is set (membarrier's
/// cpu with MEMBARRIER_CMD_FLAG_CPU).</summary>
internal sealed class ShownWithFlagCodec(ulong flag) : ArgCodec
{
    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        if ((c.Args[i - 1] & flag) == 0)
            return false;
        DecodeText.Decimal(sb, v, c.Signature.Types![i]);
        return true;
    }
}

/// <summary>membarrier's result for MEMBARRIER_CMD_QUERY: the supported commands.</summary>
internal sealed class MembarrierQueryCodec : ArgCodec
{
    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        if (c.Args[0] != 0 || v == 0)
            return false;
        Flags(sb, v, MembarrierCommands, "MEMBARRIER_CMD_???");
        return true;
    }
}

/// <summary>syslog's action: its number, then its name in a comment (10 /* SYSLOG_ACTION_SIZE_BUFFER */).</summary>
internal sealed class SyslogActionCodec : ArgCodec
{
    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        sb.Append(((int)v).ToString(CultureInfo.InvariantCulture)).Append(" /* ");
        sb.Append(FlagTables.NameOf(v, SyslogActions) ?? "SYSLOG_ACTION_???").Append(" */");
        return true;
    }
}

/// <summary>syslog's buffer and length, shown only for the actions that use them (READ*, and
/// CONSOLE_LEVEL's level); the read text is the result's length, cut at the string limit.</summary>
internal sealed class SyslogBufferCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Exit, CaptureLength.ReturnCount, 1, StringLimited: true);

    public static bool Uses(ulong action) => action is 2 or 3 or 4;

    /// <summary>CONSOLE_LEVEL and actions strace does not know show all three arguments.</summary>
    public static bool AllArguments(ulong action) => (uint)action is 8 or > 10;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb) => false;

    public override bool Shown(ref DecodeContext c, int i) => Uses(c.Args[0]) || AllArguments(c.Args[0]);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (!Uses(c.Args[0]))
            return false; // an address only
        StraceText.Quote(sb, b, c.Return > c.StringLimit);
        return true;
    }
}

/// <summary>syslog's length: shown with the buffer (READ*), as a log level for CONSOLE_LEVEL, and
/// for actions strace does not know.</summary>
internal sealed class SyslogLengthCodec : ArgCodec
{
    private static readonly string[] LogLevels =
    {
        "LOGLEVEL_EMERG", "LOGLEVEL_ALERT", "LOGLEVEL_CRIT", "LOGLEVEL_ERR", "LOGLEVEL_WARNING", "LOGLEVEL_NOTICE",
        "LOGLEVEL_INFO", "LOGLEVEL_DEBUG",
    };

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        if (!SyslogBufferCodec.Uses(c.Args[0]) && !SyslogBufferCodec.AllArguments(c.Args[0]))
            return false;
        sb.Append(((int)v).ToString(CultureInfo.InvariantCulture));
        if ((uint)c.Args[0] == 8) // CONSOLE_LEVEL: a log level
            sb.Append(" /* ").Append((int)v switch
            {
                >= 0 and < 8 => LogLevels[(int)v],
                8 => "LOGLEVEL_DEBUG+1",
                _ => "LOGLEVEL_???",
            }).Append(" */");
        return true;
    }
}

/// <summary>struct timex (adjtimex, clock_adjtime): every field as the kernel left it (a failed
/// call shows the address).</summary>
internal sealed class TimexCodec : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override CapturePlan Plan { get; } = new(CaptureWhen.ExitAny, CaptureLength.Fixed, 208);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 168 || c.Failed)
            return false;
        ReadOnlySpan<byte> t = b;
        Span<long> longs = stackalloc long[21];
        for (int k = 0; k < 21; k++) longs[k] = BinaryPrimitives.ReadInt64LittleEndian(t[(k * 8)..]);
        sb.Append("{modes=");
        Flags(sb, BinaryPrimitives.ReadUInt32LittleEndian(t[0..]), TimexModes, "ADJ_???");
        sb.Append(", offset=").Append(longs[1].ToString(Inv)).Append(", freq=").Append(longs[2].ToString(Inv))
          .Append(", maxerror=").Append(longs[3].ToString(Inv)).Append(", esterror=").Append(longs[4].ToString(Inv)).Append(", status=");
        Flags(sb, BinaryPrimitives.ReadUInt32LittleEndian(t[40..]), TimexStatus, "STA_???");
        sb.Append(", constant=").Append(longs[6].ToString(Inv)).Append(", precision=").Append(longs[7].ToString(Inv))
          .Append(", tolerance=").Append(longs[8].ToString(Inv)).Append(", time=");
        DecodeText.Time(sb, b[72..], true);
        sb.Append(", tick=").Append(longs[11].ToString(Inv)).Append(", ppsfreq=").Append(longs[12].ToString(Inv))
          .Append(", jitter=").Append(longs[13].ToString(Inv)).Append(", shift=").Append(BinaryPrimitives.ReadInt32LittleEndian(t[112..]).ToString(Inv))
          .Append(", stabil=").Append(longs[15].ToString(Inv)).Append(", jitcnt=").Append(longs[16].ToString(Inv))
          .Append(", calcnt=").Append(longs[17].ToString(Inv)).Append(", errcnt=").Append(longs[18].ToString(Inv))
          .Append(", stbcnt=").Append(longs[19].ToString(Inv)).Append(", tai=").Append(BinaryPrimitives.ReadInt32LittleEndian(t[160..]).ToString(Inv)).Append('}');
        return true;
    }
}
