using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>The '$' perf event ioctls (linux/perf_event.h): flags, ints and unsigned longs by value,
/// the period as [u64], the filter as a string, the id written back, QUERY_BPF's ids_len and
/// MODIFY_ATTRIBUTES' struct perf_event_attr as perf_event_open shows it.</summary>
internal sealed class IoctlPerfPrinter : IoctlFamily
{
    private const ulong Enable = 0x2400, Disable = 0x2401, Refresh = 0x2402, Reset = 0x2403;
    private const ulong Period = 0x40082404, SetOutput = 0x2405, SetFilter = 0x40082406, Id = 0x80082407;
    private const ulong SetBpf = 0x40042408, PauseOutput = 0x40042409, QueryBpf = 0xc008240a, ModifyAttributes = 0x4008240b;

    private static readonly Named[] IocFlags = { new(1, "PERF_IOC_FLAG_GROUP") };

    public static readonly IoctlPerfPrinter Instance = new();

    public override ConditionalPlan[] Captures { get; } =
    {
        new(1, new[] { Period }, 2, CapturePlan.AtEntry(8)),
        new(1, new[] { Id }, 2, CapturePlan.AtExit(8)),
        new(1, new[] { QueryBpf }, 2, CapturePlan.AtEntry(4)),
        new(1, new[] { ModifyAttributes }, 2, CapturePlan.AtEntry(PerfEventAttrCodec.AbbrevSize)),
        new(1, new[] { SetFilter }, 2, new CapturePlan(CaptureWhen.Entry, CaptureLength.CString)),
    };

    public override bool TryPrintArgument(ref DecodeContext c, StringBuilder sb, ulong request)
    {
        ulong v = c.Args[2];
        ReadOnlySpan<byte> b;
        switch (request)
        {
            case Enable or Disable or Reset:
                sb.Append(", ");
                FlagTables.Flags(sb, v, IocFlags, "PERF_IOC_FLAG_???");
                return true;
            case Refresh or SetOutput or SetBpf:
                sb.Append(", ").Append(((int)v).ToString(CultureInfo.InvariantCulture));
                return true;
            case PauseOutput:
                sb.Append(", ").Append(v.ToString(CultureInfo.InvariantCulture));
                return true;
            case Period:
                sb.Append(", ");
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 8, out b))
                    sb.Append('[').Append(BinaryPrimitives.ReadUInt64LittleEndian(b).ToString(CultureInfo.InvariantCulture)).Append(']');
                else
                    StraceText.Pointer(sb, v);
                return true;
            case Id:
                sb.Append(", ");
                if (!c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(2), 8, out b))
                    sb.Append('[').Append(BinaryPrimitives.ReadUInt64LittleEndian(b).ToString(CultureInfo.InvariantCulture)).Append(']');
                else
                    StraceText.Pointer(sb, v);
                return true;
            case QueryBpf:
                sb.Append(", ");
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 4, out b))
                    sb.Append("{ids_len=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b).ToString(CultureInfo.InvariantCulture)).Append(", ...}");
                else
                    StraceText.Pointer(sb, v);
                return true;
            case ModifyAttributes:
                sb.Append(", ");
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), PerfEventAttrCodec.AbbrevSize, out b))
                    PerfEventAttrCodec.Print(sb, b);
                else
                    StraceText.Pointer(sb, v);
                return true;
            case SetFilter:
                sb.Append(", ");
                if (v != 0 && c.Data.TryGet(CaptureSlot.Entry(2), out b, out CaptureStatus st) && st != CaptureStatus.Fault)
                    StraceText.Quote(sb, b, st == CaptureStatus.Truncated);
                else
                    StraceText.Pointer(sb, v);
                return true;
            default:
                return false;
        }
    }
}
