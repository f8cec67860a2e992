using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>The 0x12 block device ioctls (linux/fs.h, blkpg.h, blktrace_api.h): getters as [value]
/// written back, setters by value or as [int], the [start, length] ranges, struct
/// blkpg_ioctl_arg (its data as a pointer) and struct blk_user_trace_setup.</summary>
internal sealed class IoctlBlockPrinter : IoctlFamily
{
    private const ulong RoSet = 0x125d, RoGet = 0x125e, RrPart = 0x125f, GetSize = 0x1260, FlsBuf = 0x1261;
    private const ulong RaSet = 0x1262, RaGet = 0x1263, FraSet = 0x1264, FraGet = 0x1265, SectGet = 0x1267, SszGet = 0x1268;
    private const ulong Pg = 0x1269, BszGet = 0x80081270, BszSet = 0x40081271, GetSize64 = 0x80081272, TraceSetup = 0xc0481273;
    private const ulong TraceStart = 0x1274, TraceStop = 0x1275, TraceTeardown = 0x1276, Discard = 0x1277;
    private const ulong IoMin = 0x1278, IoOpt = 0x1279, AlignOff = 0x127a, PbszGet = 0x127b, DiscardZeroes = 0x127c;
    private const ulong SecDiscard = 0x127d, Rotational = 0x127e, ZeroOut = 0x127f, GetDiskSeq = 0x80081280;

    /// <summary>Getters: the request, the size written and whether it is signed.</summary>
    private static readonly (ulong Request, int Size, bool Signed)[] Getters =
    {
        (RoGet, 4, true), (GetSize, 8, false), (RaGet, 8, false), (FraGet, 8, false), (SectGet, 2, false),
        (SszGet, 4, true), (BszGet, 4, true), (GetSize64, 8, false), (IoMin, 4, false), (IoOpt, 4, false),
        (AlignOff, 4, true), (PbszGet, 4, false), (DiscardZeroes, 4, false), (Rotational, 2, false), (GetDiskSeq, 8, false),
    };

    private static readonly Named[] PgOps =
    {
        new(1, "BLKPG_ADD_PARTITION"), new(2, "BLKPG_DEL_PARTITION"), new(3, "BLKPG_RESIZE_PARTITION"),
    };

    public static readonly IoctlBlockPrinter Instance = new();

    public override ConditionalPlan[] Captures { get; } =
        Getters.Select(g => new ConditionalPlan(1, new[] { g.Request }, 2, CapturePlan.AtExit(g.Size)))
            .Concat(new ConditionalPlan[]
            {
                new(1, new[] { RoSet, BszSet }, 2, CapturePlan.AtEntry(4)),
                new(1, new[] { Discard, SecDiscard, ZeroOut }, 2, CapturePlan.AtEntry(16)),
                new(1, new[] { Pg }, 2, CapturePlan.AtEntry(24)),
                new(1, new[] { TraceSetup }, 2, CapturePlan.AtEntry(72)),
            }).ToArray();

    public override bool TryPrintArgument(ref DecodeContext c, StringBuilder sb, ulong request)
    {
        var inv = CultureInfo.InvariantCulture;
        ulong v = c.Args[2];
        ReadOnlySpan<byte> b;
        switch (request)
        {
            case RrPart or FlsBuf or TraceStart or TraceStop or TraceTeardown:
                return true;
            case RaSet or FraSet:
                sb.Append(", ").Append(v.ToString(inv));
                return true;
            case RoSet or BszSet:
                sb.Append(", ");
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 4, out b))
                    sb.Append('[').Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(inv)).Append(']');
                else
                    StraceText.Pointer(sb, v);
                return true;
            case Discard or SecDiscard or ZeroOut:
                sb.Append(", ");
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 16, out b))
                    sb.Append('[').Append(BinaryPrimitives.ReadUInt64LittleEndian(b).ToString(inv)).Append(", ")
                      .Append(BinaryPrimitives.ReadUInt64LittleEndian(b[8..]).ToString(inv)).Append(']');
                else
                    StraceText.Pointer(sb, v);
                return true;
            case Pg:
                sb.Append(", ");
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 24, out b))
                {
                    sb.Append("{op=");
                    FlagTables.Enum(sb, BinaryPrimitives.ReadUInt32LittleEndian(b), PgOps, "BLKPG_???");
                    sb.Append(", flags=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[4..]).ToString(inv))
                      .Append(", datalen=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[8..]).ToString(inv)).Append(", data=");
                    StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[16..]));
                    sb.Append('}');
                }
                else
                    StraceText.Pointer(sb, v);
                return true;
            case TraceSetup:
                sb.Append(", ");
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 72, out b))
                {
                    sb.Append("{act_mask=").Append(BinaryPrimitives.ReadUInt16LittleEndian(b[32..]).ToString(inv))
                      .Append(", buf_size=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[36..]).ToString(inv))
                      .Append(", buf_nr=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[40..]).ToString(inv))
                      .Append(", start_lba=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[48..]).ToString(inv))
                      .Append(", end_lba=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[56..]).ToString(inv))
                      .Append(", pid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[64..]).ToString(inv)).Append('}');
                }
                else
                    StraceText.Pointer(sb, v);
                return true;
        }
        foreach (var (req, size, signed) in Getters)
        {
            if (req != request)
                continue;
            sb.Append(", ");
            if (!c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(2), size, out b))
            {
                sb.Append('[');
                if (size == 2) sb.Append(BinaryPrimitives.ReadUInt16LittleEndian(b).ToString(inv));
                else if (size == 4 && signed) sb.Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(inv));
                else if (size == 4) sb.Append(BinaryPrimitives.ReadUInt32LittleEndian(b).ToString(inv));
                else sb.Append(BinaryPrimitives.ReadUInt64LittleEndian(b).ToString(inv));
                sb.Append(']');
            }
            else
                StraceText.Pointer(sb, v);
            return true;
        }
        return false;
    }
}
