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

    private const ulong ProgGetNextId = 11, MapGetNextId = 12, ProgGetFdById = 13, MapGetFdById = 14;
    private const ulong BtfGetFdById = 19, BtfGetNextId = 23, LinkCreate = 28, LinkGetFdById = 30, LinkGetNextId = 31;
    private const int PageSize = 4096;

    private static readonly Named[] FileModeFlags = { new(0x8, "BPF_F_RDONLY"), new(0x10, "BPF_F_WRONLY") };
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

    public override ConditionalPlan[] Captures { get; } =
    {
        new(0, new[] { ProgGetNextId, MapGetNextId, ProgGetFdById, MapGetFdById, BtfGetFdById, BtfGetNextId, LinkGetFdById, LinkGetNextId }, 1, Attr),
        new(0, new[] { LinkCreate }, 1, Attr, FdOffsets: new[] { 0, 4 }),
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
        Span<byte> b = stackalloc byte[64];
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
            default:
                sb.Length--;
                return false;
        }
        if (size > end && captured[end..].IndexOfAnyExcept((byte)0) >= 0)
            sb.Append(", ...");
        sb.Append('}');
        return true;
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
        SyscallDecoder.Fd(ref c, sb, BinaryPrimitives.ReadInt32LittleEndian(b), CaptureSlot.ArrayFdLink(0));
        sb.Append(", target_fd=");
        SyscallDecoder.Fd(ref c, sb, BinaryPrimitives.ReadInt32LittleEndian(b[4..]), CaptureSlot.ArrayFdLink(1));
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
