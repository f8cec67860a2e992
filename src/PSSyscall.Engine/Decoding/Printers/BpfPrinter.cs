using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>
/// bpf(cmd, attr, size): union bpf_attr by command, as strace reads it: size bytes (no more than a
/// page), zero-padded to the command's structure; a NULL, unreadable or empty attr, or one larger
/// than a page, is its address. Bytes past the fields the command uses, when any is non-zero,
/// end the structure with "...". Commands not decoded yet show the address.
/// </summary>
internal sealed class BpfPrinter : SyscallPrinter
{
    // Before Instance: static fields initialize in order, and Instance's captures use it.
    private static readonly CapturePlan Attr = new(CaptureWhen.Entry, CaptureLength.ArgumentCount, Bytes: 1, Argument: 2, Max: 4096);

    public static readonly BpfPrinter Instance = new();

    private const ulong MapLookupElem = 1, MapUpdateElem = 2, MapDeleteElem = 3, MapGetNextKey = 4, ProgAttach = 8, ProgDetach = 9;
    private const ulong ProgTestRun = 10, ObjGetInfoByFd = 15, ProgQuery = 16, RawTracepointOpen = 17, TaskFdQuery = 20, MapLookupAndDeleteElem = 21;
    private const ulong MapFreeze = 22, MapLookupBatch = 24, MapLookupAndDeleteBatch = 25, MapUpdateBatch = 26, MapDeleteBatch = 27, LinkUpdate = 29;
    private const ulong ProgGetNextId = 11, MapGetNextId = 12, ProgGetFdById = 13, MapGetFdById = 14;
    private const ulong BtfGetFdById = 19, BtfGetNextId = 23, LinkCreate = 28, LinkGetFdById = 30, LinkGetNextId = 31;
    private const int PageSize = 4096;

    private static readonly Named[] FileModeFlags = { new(0x8, "BPF_F_RDONLY"), new(0x10, "BPF_F_WRONLY") };
    private static readonly Named[] ElemFlags = { new(0, "BPF_ANY"), new(1, "BPF_NOEXIST"), new(2, "BPF_EXIST"), new(4, "BPF_F_LOCK") };
    private static readonly Named[] LookupFlags = { new(4, "BPF_F_LOCK") };
    private static readonly Named[] AttachFlags = { new(1, "BPF_F_ALLOW_OVERRIDE"), new(2, "BPF_F_ALLOW_MULTI"), new(4, "BPF_F_REPLACE") };
    private static readonly Named[] LinkUpdateFlags = { new(4, "BPF_F_REPLACE") };
    private static readonly Named[] TestRunFlags = { new(1, "BPF_F_TEST_RUN_ON_CPU"), new(2, "BPF_F_TEST_XDP_LIVE_FRAMES") };
    private static readonly Named[] QueryFlags = { new(1, "BPF_F_QUERY_EFFECTIVE") };
    private static readonly Named[] FdTypes =
    {
        new(0, "BPF_FD_TYPE_RAW_TRACEPOINT"), new(1, "BPF_FD_TYPE_TRACEPOINT"), new(2, "BPF_FD_TYPE_KPROBE"),
        new(3, "BPF_FD_TYPE_KRETPROBE"), new(4, "BPF_FD_TYPE_UPROBE"), new(5, "BPF_FD_TYPE_URETPROBE"),
    };
    private static readonly Named[] KprobeMultiFlags = { new(0x1, "BPF_F_KPROBE_MULTI_RETURN") };

    /// <summary>enum bpf_attach_type as strace 6.1 knows it (0..43).</summary>
    internal static readonly string[] AttachTypes =
    {
        "BPF_CGROUP_INET_INGRESS", "BPF_CGROUP_INET_EGRESS", "BPF_CGROUP_INET_SOCK_CREATE", "BPF_CGROUP_SOCK_OPS",
        "BPF_SK_SKB_STREAM_PARSER", "BPF_SK_SKB_STREAM_VERDICT", "BPF_CGROUP_DEVICE", "BPF_SK_MSG_VERDICT",
        "BPF_CGROUP_INET4_BIND", "BPF_CGROUP_INET6_BIND", "BPF_CGROUP_INET4_CONNECT", "BPF_CGROUP_INET6_CONNECT",
        "BPF_CGROUP_INET4_POST_BIND", "BPF_CGROUP_INET6_POST_BIND", "BPF_CGROUP_UDP4_SENDMSG", "BPF_CGROUP_UDP6_SENDMSG",
        "BPF_LIRC_MODE2", "BPF_FLOW_DISSECTOR", "BPF_CGROUP_SYSCTL", "BPF_CGROUP_UDP4_RECVMSG", "BPF_CGROUP_UDP6_RECVMSG",
        "BPF_CGROUP_GETSOCKOPT", "BPF_CGROUP_SETSOCKOPT", "BPF_TRACE_RAW_TP", "BPF_TRACE_FENTRY", "BPF_TRACE_FEXIT",
        "BPF_MODIFY_RETURN", "BPF_LSM_MAC", "BPF_TRACE_ITER", "BPF_CGROUP_INET4_GETPEERNAME", "BPF_CGROUP_INET6_GETPEERNAME",
        "BPF_CGROUP_INET4_GETSOCKNAME", "BPF_CGROUP_INET6_GETSOCKNAME", "BPF_XDP_DEVMAP", "BPF_CGROUP_INET_SOCK_RELEASE",
        "BPF_XDP_CPUMAP", "BPF_SK_LOOKUP", "BPF_XDP", "BPF_SK_SKB_VERDICT", "BPF_SK_REUSEPORT_SELECT",
        "BPF_SK_REUSEPORT_SELECT_OR_MIGRATE", "BPF_PERF_EVENT", "BPF_TRACE_KPROBE_MULTI", "BPF_LSM_CGROUP",
    };

    /// <summary>i386: the same bytes (union bpf_attr is made of fixed-width fields).</summary>
    public override ConditionalPlan[]? CompatCaptures => Captures;

    public override ConditionalPlan[] Captures { get; } =
    {
        new(0, new[] { ProgGetNextId, MapGetNextId, ProgGetFdById, MapGetFdById, BtfGetFdById, BtfGetNextId, LinkGetFdById, LinkGetNextId }, 1, Attr),
        new(0, new[] { LinkCreate }, 1, Attr, FdOffsets: new[] { 0, 4 }),
        // map_fd first; PROG_ATTACH's target, program and replaced program; LINK_UPDATE's link and programs.
        new(0, new[] { MapLookupElem, MapUpdateElem, MapDeleteElem, MapGetNextKey, MapLookupAndDeleteElem, MapFreeze, ObjGetInfoByFd }, 1, Attr, FdOffsets: new[] { 0 }),
        new(0, new[] { ProgAttach, ProgDetach, LinkUpdate }, 1, Attr, FdOffsets: new[] { 0, 4, 12, 16 }),
        new(0, new[] { ProgQuery, ProgTestRun }, 1, Attr, FdOffsets: new[] { 0 }),
        new(0, new[] { RawTracepointOpen }, 1, Attr, FdOffsets: new[] { 8 }),
        new(0, new[] { TaskFdQuery }, 1, Attr, FdOffsets: new[] { 4 }),
        new(0, new[] { MapLookupBatch, MapLookupAndDeleteBatch, MapUpdateBatch, MapDeleteBatch }, 1, Attr, FdOffsets: new[] { 36 }),
    };

    public override void PrintArguments(ref DecodeContext c, StringBuilder sb)
    {
        ulong cmd = (uint)c.Args[0];
        ulong addr = c.Args[1];
        uint size = (uint)c.Args[2];
        FlagTables.Enum(sb, cmd, BpfCommands, "BPF_???");
        sb.Append(", ");
        if (!(size > 0 && size <= PageSize && c.Data.TryGet(CaptureSlot.Entry(1), out ReadOnlySpan<byte> b, out CaptureStatus st)
              && st == CaptureStatus.Ok && b.Length >= size && PrintAttr(ref c, sb, cmd, b[..(int)size])))
            StraceText.Pointer(sb, addr);
        sb.Append(", ").Append(size.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The attr of a decoded command from its captured bytes; false for other commands.</summary>
    internal static bool PrintAttr(ref DecodeContext c, StringBuilder sb, ulong cmd, ReadOnlySpan<byte> captured)
    {
        Span<byte> b = stackalloc byte[80];
        b.Clear();
        captured[..Math.Min(captured.Length, b.Length)].CopyTo(b);
        int size = captured.Length;
        int end;
        sb.Append('{');
        switch (cmd)
        {
            case ProgGetNextId or MapGetNextId or BtfGetNextId or LinkGetNextId:
                IdAndNext(sb, b, "start_id", size);
                end = 12;
                break;
            case ProgGetFdById:
                IdAndNext(sb, b, "prog_id", size);
                end = 12;
                break;
            case MapGetFdById:
                IdAndNext(sb, b, "map_id", size);
                end = 12;
                break;
            case BtfGetFdById:
                sb.Append("btf_id=").Append(U32(b, 0));
                end = 4;
                break;
            case LinkGetFdById:
                sb.Append("link_id=").Append(U32(b, 0));
                end = 4;
                break;
            case LinkCreate:
                end = LinkCreateAttr(ref c, sb, b, size);
                break;
            case MapLookupElem or MapLookupAndDeleteElem or MapUpdateElem:
                MapFd(ref c, sb, b, 0, "map_fd=");
                Ptr(sb, ", key=", b, 8);
                Ptr(sb, ", value=", b, 16);
                if (cmd == MapUpdateElem)
                {
                    sb.Append(", flags=");
                    FlagTables.Enum(sb, U64(b, 24), ElemFlags, "BPF_???");
                }
                else if (size > 24)
                {
                    sb.Append(", flags=");
                    Flags(sb, U64(b, 24), LookupFlags, "BPF_F_???");
                }
                end = 32;
                break;
            case ProgTestRun:
                sb.Append("test={");
                MapFd(ref c, sb, b, 0, "prog_fd=");
                sb.Append(", retval=").Append(U32(b, 4)).Append(", data_size_in=").Append(U32(b, 8))
                  .Append(", data_size_out=").Append(U32(b, 12));
                Ptr(sb, ", data_in=", b, 16);
                Ptr(sb, ", data_out=", b, 24);
                sb.Append(", repeat=").Append(U32(b, 32)).Append(", duration=").Append(U32(b, 36));
                if (size > 40)
                {
                    sb.Append(", ctx_size_in=").Append(U32(b, 40)).Append(", ctx_size_out=").Append(U32(b, 44));
                    Ptr(sb, ", ctx_in=", b, 48);
                    Ptr(sb, ", ctx_out=", b, 56);
                }
                if (size > 64)
                {
                    sb.Append(", flags=");
                    Flags(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[64..]), TestRunFlags, "BPF_F_???");
                    sb.Append(", cpu=").Append(U32(b, 68));
                }
                if (size > 72)
                    sb.Append(", batch_size=").Append(U32(b, 72));
                sb.Append('}');
                end = 76;
                break;
            case MapDeleteElem:
                MapFd(ref c, sb, b, 0, "map_fd=");
                Ptr(sb, ", key=", b, 8);
                end = 16;
                break;
            case MapGetNextKey:
                MapFd(ref c, sb, b, 0, "map_fd=");
                Ptr(sb, ", key=", b, 8);
                Ptr(sb, ", next_key=", b, 16);
                end = 24;
                break;
            case MapFreeze:
                MapFd(ref c, sb, b, 0, "map_fd=");
                end = 4;
                break;
            case ProgAttach:
                MapFd(ref c, sb, b, 0, "target_fd=");
                MapFd(ref c, sb, b, 1, ", attach_bpf_fd=");
                sb.Append(", attach_type=");
                AttachType(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[8..]));
                sb.Append(", attach_flags=");
                Flags(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[12..]), AttachFlags, "BPF_F_???");
                if (size > 16)
                    MapFd(ref c, sb, b, 3, ", replace_bpf_fd=");
                end = 20;
                break;
            case ProgDetach:
                MapFd(ref c, sb, b, 0, "target_fd=");
                sb.Append(", attach_type=");
                AttachType(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[8..]));
                end = 12;
                break;
            case LinkUpdate:
                sb.Append("link_update={");
                MapFd(ref c, sb, b, 0, "link_fd=");
                MapFd(ref c, sb, b, 1, ", new_prog_fd=");
                uint luFlags = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]);
                sb.Append(", flags=");
                Flags(sb, luFlags, LinkUpdateFlags, "BPF_F_???");
                if ((luFlags & 4) != 0)
                    MapFd(ref c, sb, b, 2, ", old_prog_fd=");
                sb.Append('}');
                end = 16;
                break;
            case ObjGetInfoByFd:
                sb.Append("info={");
                MapFd(ref c, sb, b, 0, "bpf_fd=");
                sb.Append(", info_len=").Append(U32(b, 4));
                Ptr(sb, ", info=", b, 8);
                sb.Append('}');
                end = 16;
                break;
            case ProgQuery:
                sb.Append("query={");
                MapFd(ref c, sb, b, 0, "target_fd=");
                sb.Append(", attach_type=");
                AttachType(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[4..]));
                sb.Append(", query_flags=");
                Flags(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[8..]), QueryFlags, "BPF_F_QUERY_???");
                sb.Append(", attach_flags=");
                Flags(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[12..]), AttachFlags, "BPF_F_???");
                // prog_ids holds prog_cnt ids: none to show when the count is 0.
                if (U64(b, 16) != 0 && BinaryPrimitives.ReadUInt32LittleEndian(b[24..]) == 0)
                    sb.Append(", prog_ids=[]");
                else
                    Ptr(sb, ", prog_ids=", b, 16);
                sb.Append(", prog_cnt=").Append(U32(b, 24)).Append('}');
                end = 28;
                break;
            case RawTracepointOpen:
                sb.Append("raw_tracepoint={");
                Ptr(sb, "name=", b, 0);
                MapFd(ref c, sb, b, 0, ", prog_fd=", 8);
                sb.Append('}');
                end = 12;
                break;
            case TaskFdQuery:
                sb.Append("task_fd_query={pid=").Append(U32(b, 0));
                MapFd(ref c, sb, b, 0, ", fd=", 4);
                sb.Append(", flags=").Append(U32(b, 8)).Append(", buf_len=").Append(U32(b, 12));
                Ptr(sb, ", buf=", b, 16);
                sb.Append(", prog_id=").Append(U32(b, 24)).Append(", fd_type=");
                FlagTables.Enum(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[28..]), FdTypes, "BPF_FD_TYPE_???");
                sb.Append(", probe_offset=");
                StraceText.Hex(sb, U64(b, 32));
                sb.Append(", probe_addr=");
                StraceText.Hex(sb, U64(b, 40));
                sb.Append('}');
                end = 48;
                break;
            case MapLookupBatch or MapLookupAndDeleteBatch or MapUpdateBatch or MapDeleteBatch:
                sb.Append("batch={");
                bool lookup = cmd is MapLookupBatch or MapLookupAndDeleteBatch;
                if (lookup)
                {
                    Ptr(sb, "in_batch=", b, 0);
                    Ptr(sb, ", out_batch=", b, 8);
                    sb.Append(", ");
                }
                Ptr(sb, "keys=", b, 16);
                if (cmd != MapDeleteBatch)
                    Ptr(sb, ", values=", b, 24);
                sb.Append(", count=").Append(U32(b, 32));
                MapFd(ref c, sb, b, 0, ", map_fd=", 36);
                sb.Append(", elem_flags=");
                FlagTables.Enum(sb, U64(b, 40), ElemFlags, "BPF_???");
                sb.Append(", flags=");
                StraceText.Hex(sb, U64(b, 48));
                sb.Append('}');
                end = 56;
                break;
            default:
                sb.Length--;
                return false;
        }
        if (size > end && captured[end..].IndexOfAnyExcept((byte)0) >= 0)
            sb.Append(", ...");
        sb.Append('}');
        return true;
    }

    private static ulong U64(ReadOnlySpan<byte> b, int off) => BinaryPrimitives.ReadUInt64LittleEndian(b[off..]);

    private static void Ptr(StringBuilder sb, string name, ReadOnlySpan<byte> b, int off)
    {
        sb.Append(name);
        StraceText.Pointer(sb, U64(b, off));
    }

    /// <summary>A descriptor field: the int at the offset (by default the link slot's offset in the
    /// command's FdOffsets, <paramref name="slot"/>), annotated with its captured link.</summary>
    private static void MapFd(ref DecodeContext c, StringBuilder sb, scoped ReadOnlySpan<byte> b, int slot, string name, int offset = -1)
    {
        if (offset < 0)
            offset = slot switch { 0 => 0, 1 => 4, 2 => 12, _ => 16 };
        sb.Append(name);
        DecodeText.Fd(ref c, sb, BinaryPrimitives.ReadInt32LittleEndian(b[offset..]), CaptureSlot.ArrayFdLink(slot));
    }

    private static void AttachType(StringBuilder sb, uint t)
    {
        if (t < AttachTypes.Length)
            sb.Append(AttachTypes[t]);
        else
            sb.Append("0x").Append(t.ToString("x", CultureInfo.InvariantCulture)).Append(" /* BPF_??? */");
    }

    private static string U32(ReadOnlySpan<byte> b, int off) => BinaryPrimitives.ReadUInt32LittleEndian(b[off..]).ToString(CultureInfo.InvariantCulture);

    /// <summary>{id, next_id[, open_flags]}: the flags only when the size reaches them.</summary>
    private static void IdAndNext(StringBuilder sb, ReadOnlySpan<byte> b, string id, int size)
    {
        sb.Append(id).Append('=').Append(U32(b, 0)).Append(", next_id=").Append(U32(b, 4));
        if (size > 8)
        {
            sb.Append(", open_flags=");
            Flags(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[8..]), FileModeFlags, "BPF_F_???");
        }
    }

    /// <summary>link_create={prog_fd, target_fd, attach_type, flags[, the attach type's part]}; returns
    /// where the fields it uses end.</summary>
    private static int LinkCreateAttr(ref DecodeContext c, StringBuilder sb, scoped ReadOnlySpan<byte> b, int size)
    {
        var inv = CultureInfo.InvariantCulture;
        uint attachType = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]);
        sb.Append("link_create={prog_fd=");
        DecodeText.Fd(ref c, sb, BinaryPrimitives.ReadInt32LittleEndian(b), CaptureSlot.ArrayFdLink(0));
        sb.Append(", target_fd=");
        DecodeText.Fd(ref c, sb, BinaryPrimitives.ReadInt32LittleEndian(b[4..]), CaptureSlot.ArrayFdLink(1));
        sb.Append(", attach_type=");
        if (attachType < AttachTypes.Length)
            sb.Append(AttachTypes[attachType]);
        else
            sb.Append("0x").Append(attachType.ToString("x", inv)).Append(" /* BPF_??? */");
        sb.Append(", flags=");
        StraceText.Hex(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[12..]));
        int end = 16;
        if (size > 16)
        {
            switch (attachType)
            {
                case 0:
                    uint btf = BinaryPrimitives.ReadUInt32LittleEndian(b[16..]);
                    if (btf != 0)
                        sb.Append(", target_btf_id=").Append(btf.ToString(inv));
                    end = 20;
                    break;
                case 28: // BPF_TRACE_ITER
                    sb.Append(", iter_info=");
                    StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[16..]));
                    sb.Append(", iter_info_len=").Append(U32(b, 24));
                    end = 28;
                    break;
                case 41: // BPF_PERF_EVENT
                    sb.Append(", perf_event={bpf_cookie=");
                    StraceText.Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[16..]));
                    sb.Append('}');
                    end = 24;
                    break;
                case 42: // BPF_TRACE_KPROBE_MULTI
                    sb.Append(", kprobe_multi={flags=");
                    Flags(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[16..]), KprobeMultiFlags, "BPF_F_???");
                    sb.Append(", cnt=").Append(U32(b, 20)).Append(", syms=");
                    StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[24..]));
                    sb.Append(", addrs=");
                    StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[32..]));
                    sb.Append(", cookies=");
                    StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[40..]));
                    sb.Append('}');
                    end = 48;
                    break;
            }
        }
        sb.Append('}');
        return end;
    }
}
