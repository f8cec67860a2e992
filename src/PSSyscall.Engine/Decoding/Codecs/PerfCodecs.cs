using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>
/// perf_event_open's struct perf_event_attr, abbreviated as strace shows it without -v: the fields
/// before wakeup_events (type, size, config by type, the period or frequency, sample_type,
/// read_format, the set bit fields, precise_ip with its meaning, reserved bits), then "...".
/// A structure whose size field is below PERF_ATTR_SIZE_VER0 (and not 0) is shown as its address.
/// </summary>
internal sealed class PerfEventAttrCodec : ArgCodec
{
    /// <summary>offsetof(struct perf_event_attr, wakeup_events): what the abbreviated form reads.</summary>
    internal const int AbbrevSize = 48;

    private const uint SizeVer0 = 64;

    public override CapturePlan Plan { get; } = CapturePlan.AtEntry(AbbrevSize);

    private static readonly Named[] Types =
    {
        new(0, "PERF_TYPE_HARDWARE"), new(1, "PERF_TYPE_SOFTWARE"), new(2, "PERF_TYPE_TRACEPOINT"),
        new(3, "PERF_TYPE_HW_CACHE"), new(4, "PERF_TYPE_RAW"), new(5, "PERF_TYPE_BREAKPOINT"),
    };

    // strace 6.1 knows the sizes up to version 7 (128 bytes).
    private static readonly Named[] AttrSizes =
    {
        new(64, "PERF_ATTR_SIZE_VER0"), new(72, "PERF_ATTR_SIZE_VER1"), new(80, "PERF_ATTR_SIZE_VER2"),
        new(96, "PERF_ATTR_SIZE_VER3"), new(104, "PERF_ATTR_SIZE_VER4"), new(112, "PERF_ATTR_SIZE_VER5"),
        new(120, "PERF_ATTR_SIZE_VER6"), new(128, "PERF_ATTR_SIZE_VER7"),
    };

    private static readonly Named[] HwIds =
    {
        new(0, "PERF_COUNT_HW_CPU_CYCLES"), new(1, "PERF_COUNT_HW_INSTRUCTIONS"), new(2, "PERF_COUNT_HW_CACHE_REFERENCES"),
        new(3, "PERF_COUNT_HW_CACHE_MISSES"), new(4, "PERF_COUNT_HW_BRANCH_INSTRUCTIONS"), new(5, "PERF_COUNT_HW_BRANCH_MISSES"),
        new(6, "PERF_COUNT_HW_BUS_CYCLES"), new(7, "PERF_COUNT_HW_STALLED_CYCLES_FRONTEND"),
        new(8, "PERF_COUNT_HW_STALLED_CYCLES_BACKEND"), new(9, "PERF_COUNT_HW_REF_CPU_CYCLES"),
    };

    private static readonly Named[] SwIds =
    {
        new(0, "PERF_COUNT_SW_CPU_CLOCK"), new(1, "PERF_COUNT_SW_TASK_CLOCK"), new(2, "PERF_COUNT_SW_PAGE_FAULTS"),
        new(3, "PERF_COUNT_SW_CONTEXT_SWITCHES"), new(4, "PERF_COUNT_SW_CPU_MIGRATIONS"), new(5, "PERF_COUNT_SW_PAGE_FAULTS_MIN"),
        new(6, "PERF_COUNT_SW_PAGE_FAULTS_MAJ"), new(7, "PERF_COUNT_SW_ALIGNMENT_FAULTS"), new(8, "PERF_COUNT_SW_EMULATION_FAULTS"),
        new(9, "PERF_COUNT_SW_DUMMY"), new(10, "PERF_COUNT_SW_BPF_OUTPUT"), new(11, "PERF_COUNT_SW_CGROUP_SWITCHES"),
    };

    private static readonly Named[] CacheIds =
    {
        new(0, "PERF_COUNT_HW_CACHE_L1D"), new(1, "PERF_COUNT_HW_CACHE_L1I"), new(2, "PERF_COUNT_HW_CACHE_LL"),
        new(3, "PERF_COUNT_HW_CACHE_DTLB"), new(4, "PERF_COUNT_HW_CACHE_ITLB"), new(5, "PERF_COUNT_HW_CACHE_BPU"),
        new(6, "PERF_COUNT_HW_CACHE_NODE"),
    };

    private static readonly Named[] CacheOps =
    {
        new(0, "PERF_COUNT_HW_CACHE_OP_READ"), new(1, "PERF_COUNT_HW_CACHE_OP_WRITE"), new(2, "PERF_COUNT_HW_CACHE_OP_PREFETCH"),
    };

    private static readonly Named[] CacheResults = { new(0, "PERF_COUNT_HW_CACHE_RESULT_ACCESS"), new(1, "PERF_COUNT_HW_CACHE_RESULT_MISS") };

    private static readonly Named[] SampleTypes =
    {
        new(0x1, "PERF_SAMPLE_IP"), new(0x2, "PERF_SAMPLE_TID"), new(0x4, "PERF_SAMPLE_TIME"), new(0x8, "PERF_SAMPLE_ADDR"),
        new(0x10, "PERF_SAMPLE_READ"), new(0x20, "PERF_SAMPLE_CALLCHAIN"), new(0x40, "PERF_SAMPLE_ID"), new(0x80, "PERF_SAMPLE_CPU"),
        new(0x100, "PERF_SAMPLE_PERIOD"), new(0x200, "PERF_SAMPLE_STREAM_ID"), new(0x400, "PERF_SAMPLE_RAW"),
        new(0x800, "PERF_SAMPLE_BRANCH_STACK"), new(0x1000, "PERF_SAMPLE_REGS_USER"), new(0x2000, "PERF_SAMPLE_STACK_USER"),
        new(0x4000, "PERF_SAMPLE_WEIGHT"), new(0x8000, "PERF_SAMPLE_DATA_SRC"), new(0x10000, "PERF_SAMPLE_IDENTIFIER"),
        new(0x20000, "PERF_SAMPLE_TRANSACTION"), new(0x40000, "PERF_SAMPLE_REGS_INTR"), new(0x80000, "PERF_SAMPLE_PHYS_ADDR"),
        new(0x100000, "PERF_SAMPLE_AUX"), new(0x200000, "PERF_SAMPLE_CGROUP"), new(0x400000, "PERF_SAMPLE_DATA_PAGE_SIZE"),
        new(0x800000, "PERF_SAMPLE_CODE_PAGE_SIZE"), new(0x1000000, "PERF_SAMPLE_WEIGHT_STRUCT"),
    };

    private static readonly Named[] ReadFormats =
    {
        new(0x1, "PERF_FORMAT_TOTAL_TIME_ENABLED"), new(0x2, "PERF_FORMAT_TOTAL_TIME_RUNNING"), new(0x4, "PERF_FORMAT_ID"),
        new(0x8, "PERF_FORMAT_GROUP"), new(0x10, "PERF_FORMAT_LOST"),
    };

    /// <summary>The one-bit fields of the flags word, by bit (precise_ip, bits 15..16, apart).</summary>
    private static readonly (int Bit, string Name)[] FlagBits =
    {
        (0, "disabled"), (1, "inherit"), (2, "pinned"), (3, "exclusive"), (4, "exclude_user"), (5, "exclude_kernel"),
        (6, "exclude_hv"), (7, "exclude_idle"), (8, "mmap"), (9, "comm"), (10, "freq"), (11, "inherit_stat"),
        (12, "enable_on_exec"), (13, "task"), (14, "watermark"), (-1, "precise_ip"), (17, "mmap_data"), (18, "sample_id_all"),
        (19, "exclude_host"), (20, "exclude_guest"), (21, "exclude_callchain_kernel"), (22, "exclude_callchain_user"),
        (23, "mmap2"), (24, "comm_exec"), (25, "use_clockid"), (26, "context_switch"), (27, "write_backward"),
        (28, "namespaces"), (29, "ksymbol"), (30, "bpf_event"), (31, "aux_output"), (32, "cgroup"), (33, "text_poke"),
        (34, "build_id"), (35, "inherit_thread"), (36, "remove_on_exec"), (37, "sigtrap"),
    };

    private static readonly string[] PreciseIp = { "arbitrary skid", "constant skid", "requested to have 0 skid", "must have 0 skid" };

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < AbbrevSize)
            return false;
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
        if (size != 0 && size < SizeVer0)
            return false;
        Print(sb, b);
        return true;
    }

    internal static void Print(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        var inv = CultureInfo.InvariantCulture;
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(b);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
        ulong config = BinaryPrimitives.ReadUInt64LittleEndian(b[8..]);
        ulong period = BinaryPrimitives.ReadUInt64LittleEndian(b[16..]);
        ulong sampleType = BinaryPrimitives.ReadUInt64LittleEndian(b[24..]);
        ulong readFormat = BinaryPrimitives.ReadUInt64LittleEndian(b[32..]);
        ulong flags = BinaryPrimitives.ReadUInt64LittleEndian(b[40..]);

        sb.Append("{type=");
        FlagTables.Enum(sb, type, Types, "PERF_TYPE_???");
        sb.Append(", size=");
        FlagTables.Enum(sb, size, AttrSizes, "PERF_ATTR_SIZE_???");
        sb.Append(", config=");
        Config(sb, type, config);
        sb.Append((flags & (1UL << 10)) != 0 ? ", sample_freq=" : ", sample_period=").Append(period.ToString(inv));
        sb.Append(", sample_type=");
        Flags(sb, sampleType, SampleTypes, "PERF_SAMPLE_???");
        sb.Append(", read_format=");
        Flags(sb, readFormat, ReadFormats, "PERF_FORMAT_???");
        foreach (var (bit, name) in FlagBits)
        {
            if (bit < 0)
            {
                int ip = (int)((flags >> 15) & 3);
                sb.Append(", precise_ip=").Append(ip.ToString(inv)).Append(" /* ").Append(PreciseIp[ip]).Append(" */");
            }
            else if ((flags & (1UL << bit)) != 0)
            {
                sb.Append(", ").Append(name).Append("=1");
            }
        }
        ulong reserved = flags >> 38;
        if (reserved != 0)
            sb.Append(", __reserved_1=0x").Append(reserved.ToString("x", inv)).Append(" /* Bits 63..38 */");
        sb.Append(", ...}");
    }

    /// <summary>config by type: a hardware event (and high bits), a software event, a tracepoint
    /// id, a cache event (id, operation, result and high bits), else a number in hex.</summary>
    private static void Config(StringBuilder sb, uint type, ulong config)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (type)
        {
            case 0: // PERF_TYPE_HARDWARE
                if (config >> 32 != 0)
                    sb.Append("0x").Append((config >> 32).ToString("x", inv)).Append("<<32|");
                FlagTables.Enum(sb, config & 0xffffffff, HwIds, "PERF_COUNT_HW_???");
                break;
            case 1: // PERF_TYPE_SOFTWARE
                FlagTables.Enum(sb, config, SwIds, "PERF_COUNT_SW_???");
                break;
            case 2: // PERF_TYPE_TRACEPOINT
                sb.Append(config.ToString(inv));
                break;
            case 3: // PERF_TYPE_HW_CACHE
                if (config >> 32 != 0)
                    sb.Append("0x").Append((config >> 32).ToString("x", inv)).Append("<<32|");
                if (((config >> 24) & 0xff) != 0)
                    sb.Append("0x").Append(((config >> 24) & 0xff).ToString("x", inv)).Append("<<24|");
                FlagTables.Enum(sb, (config >> 16) & 0xff, CacheResults, "PERF_COUNT_HW_CACHE_RESULT_???");
                sb.Append("<<16|");
                FlagTables.Enum(sb, (config >> 8) & 0xff, CacheOps, "PERF_COUNT_HW_CACHE_OP_???");
                sb.Append("<<8|");
                FlagTables.Enum(sb, config & 0xff, CacheIds, "PERF_COUNT_HW_CACHE_???");
                break;
            default:
                StraceText.Hex(sb, config);
                break;
        }
    }
}
