using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>The 0x89 socket ioctls (linux/sockios.h, asm-generic/sockios.h): the owner and
/// process group as [int], bridge names as strings, struct ifreq for the requests whose field is
/// a number, a name or the flags; the rest as NULL or their address.</summary>
internal sealed class IoctlSockPrinter : IoctlFamily
{
    private const ulong FioSetOwn = 0x8901, SiocSPgrp = 0x8902, FioGetOwn = 0x8903, SiocGPgrp = 0x8904, SiocAtMark = 0x8905;
    private const ulong SetFlags = 0x8914, SetMetric = 0x891e, SetMtu = 0x8922, SetName = 0x8923, SetSlave = 0x8930, SetTxqlen = 0x8943;
    private const ulong BrAddBr = 0x89a0, BrDelBr = 0x89a1;
    private const ulong SetAddr = 0x8916, SetDstAddr = 0x8918, SetBrdAddr = 0x891a, SetNetmask = 0x891c;
    private const ulong SetMap = 0x8971, GetIndex = 0x8933, GetName = 0x8910;
    private const ulong SetHwAddr = 0x8924, AddMulti = 0x8931, DelMulti = 0x8932, SetHwBroadcast = 0x8937;
    private const int IfreqSize = 40; // sizeof(struct ifreq): strace reads it whole

    /// <summary>The asm-generic/sockios.h requests, which the name table lacks.</summary>
    private static readonly (ulong Request, string Name)[] Names =
    {
        (FioSetOwn, "FIOSETOWN"), (SiocSPgrp, "SIOCSPGRP"), (FioGetOwn, "FIOGETOWN"), (SiocGPgrp, "SIOCGPGRP"),
        (SiocAtMark, "SIOCATMARK"), (0x8906, "SIOCGSTAMP_OLD"), (0x8907, "SIOCGSTAMPNS_OLD"),
        (0x80108906, "SIOCGSTAMP_NEW"), (0x80108907, "SIOCGSTAMPNS_NEW"),
    };

    private static readonly Named[] IfFlags =
    {
        new(0x1, "IFF_UP"), new(0x2, "IFF_BROADCAST"), new(0x4, "IFF_DEBUG"), new(0x8, "IFF_LOOPBACK"),
        new(0x10, "IFF_POINTOPOINT"), new(0x20, "IFF_NOTRAILERS"), new(0x40, "IFF_RUNNING"), new(0x80, "IFF_NOARP"),
        new(0x100, "IFF_PROMISC"), new(0x200, "IFF_ALLMULTI"), new(0x400, "IFF_MASTER"), new(0x800, "IFF_SLAVE"),
        new(0x1000, "IFF_MULTICAST"), new(0x2000, "IFF_PORTSEL"), new(0x4000, "IFF_AUTOMEDIA"), new(0x8000, "IFF_DYNAMIC"),
    };

    public static readonly IoctlSockPrinter Instance = new();

    public override ConditionalPlan[] Captures { get; } =
    {
        new(1, new[] { FioSetOwn, SiocSPgrp }, 2, CapturePlan.AtEntry(4)),
        new(1, new[] { FioGetOwn, SiocGPgrp, SiocAtMark }, 2, CapturePlan.AtExit(4)),
        new(1, new[] { SetFlags, SetMetric, SetMtu, SetName, SetSlave, SetTxqlen, SetAddr, SetDstAddr, SetBrdAddr, SetNetmask, SetHwAddr, AddMulti, DelMulti, SetHwBroadcast, SetMap }, 2, CapturePlan.AtEntry(IfreqSize)),
        new(1, new[] { GetIndex, GetName }, 2, CapturePlan.AtEntry(IfreqSize)),
        new(1, new[] { GetIndex, GetName }, 2, CapturePlan.AtExit(IfreqSize)),
        new(1, new[] { BrAddBr, BrDelBr }, 2, CapturePlan.AtEntry(16)),
    };

    private static bool IsSock(ulong request) => ((request & 0xffff_ff00) == 0x8900 && request < 0x89e0) || request is 0x80108906 or 0x80108907;

    public override bool TryAppendName(StringBuilder sb, ulong request)
    {
        foreach (var (r, name) in Names)
        {
            if (r == request)
            {
                sb.Append(name);
                return true;
            }
        }
        return false;
    }

    public override bool TryPrintArgument(ref DecodeContext c, StringBuilder sb, ulong request)
    {
        if (!IsSock(request))
            return false;
        var inv = CultureInfo.InvariantCulture;
        ulong v = c.Args[2];
        ReadOnlySpan<byte> b;
        sb.Append(", ");
        switch (request)
        {
            case FioSetOwn or SiocSPgrp:
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 4, out b))
                {
                    sb.Append('[').Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(inv)).Append(']');
                    return true;
                }
                break;
            case FioGetOwn or SiocGPgrp or SiocAtMark:
                if (!c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(2), 4, out b))
                {
                    sb.Append('[').Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(inv)).Append(']');
                    return true;
                }
                break;
            case BrAddBr or BrDelBr:
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 16, out b)) // IFNAMSIZ bytes, "..." without a NUL
                {
                    int nul = b.IndexOf((byte)0);
                    if (nul >= 0) StraceText.Quote(sb, b[..nul], false);
                    else StraceText.Quote(sb, b[..16], true);
                    return true;
                }
                break;
            case GetIndex or GetName:
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), IfreqSize, out b))
                {
                    ReadOnlySpan<byte> o = default;
                    bool done = !c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(2), IfreqSize, out o);
                    if (request == GetIndex)
                    {
                        sb.Append("{ifr_name=");
                        ArrayString(sb, b[..16]);
                        if (done)
                            sb.Append(", ifr_ifindex=").Append(BinaryPrimitives.ReadInt32LittleEndian(o[16..]).ToString(inv));
                    }
                    else
                    {
                        sb.Append("{ifr_ifindex=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[16..]).ToString(inv));
                        if (done)
                        {
                            sb.Append(", ifr_name=");
                            ArrayString(sb, o[..16]);
                        }
                    }
                    sb.Append('}');
                    return true;
                }
                break;
            case SetFlags or SetMetric or SetMtu or SetName or SetSlave or SetTxqlen or SetMap or SetAddr or SetDstAddr or SetBrdAddr or SetNetmask:
            case SetHwAddr or AddMulti or DelMulti or SetHwBroadcast when IsEther(ref c):
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), IfreqSize, out b))
                {
                    sb.Append("{ifr_name=");
                    ArrayString(sb, b[..16]);
                    switch (request)
                    {
                        case SetFlags:
                            sb.Append(", ifr_flags=");
                            FlagTables.Flags(sb, BinaryPrimitives.ReadUInt16LittleEndian(b[16..]), IfFlags, "IFF_???");
                            break;
                        case SetAddr or SetDstAddr or SetBrdAddr or SetNetmask:
                            sb.Append(request switch { SetAddr => ", ifr_addr=", SetDstAddr => ", ifr_dstaddr=", SetBrdAddr => ", ifr_broadaddr=", _ => ", ifr_netmask=" });
                            SockaddrText.Sockaddr(sb, b[16..32]);
                            break;
                        case SetHwAddr or AddMulti or DelMulti or SetHwBroadcast:
                            sb.Append(", ifr_hwaddr={sa_family=ARPHRD_ETHER, sa_data=");
                            for (int i = 0; i < 6; i++)
                            {
                                if (i > 0) sb.Append(':');
                                sb.Append(b[18 + i].ToString("x2", inv));
                            }
                            sb.Append('}');
                            break;
                        case SetMap:
                            sb.Append(", ifr_map={mem_start=");
                            StraceText.Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[16..]));
                            sb.Append(", mem_end=");
                            StraceText.Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[24..]));
                            sb.Append(", base_addr=");
                            StraceText.Hex(sb, BinaryPrimitives.ReadUInt16LittleEndian(b[32..]));
                            sb.Append(", irq=");
                            StraceText.Hex(sb, b[34]);
                            sb.Append(", dma=");
                            StraceText.Hex(sb, b[35]);
                            sb.Append(", port=");
                            StraceText.Hex(sb, b[36]);
                            sb.Append('}');
                            break;
                        case SetName or SetSlave:
                            sb.Append(request == SetName ? ", ifr_newname=" : ", ifr_slave=");
                            ArrayString(sb, b[16..32]);
                            break;
                        default:
                            sb.Append(request switch { SetMetric => ", ifr_metric=", SetMtu => ", ifr_mtu=", _ => ", ifr_qlen=" })
                              .Append(BinaryPrimitives.ReadInt32LittleEndian(b[16..]).ToString(inv));
                            break;
                    }
                    sb.Append('}');
                    return true;
                }
                break;
        }
        StraceText.Pointer(sb, v);
        return true;
    }

    /// <summary>Whether ifr_hwaddr's family is ARPHRD_ETHER, the one hardware address shown here.</summary>
    private static bool IsEther(ref DecodeContext c)
        => c.Data.TryGetFull(CaptureSlot.Entry(2), IfreqSize, out ReadOnlySpan<byte> b) && BinaryPrimitives.ReadUInt16LittleEndian(b[16..]) == 1;

    /// <summary>A char array as a quoted C string: to its NUL, "..." when none before the last byte.</summary>
    private static void ArrayString(StringBuilder sb, ReadOnlySpan<byte> array)
    {
        int nul = array.IndexOf((byte)0);
        if (nul >= 0)
            StraceText.Quote(sb, array[..nul], false);
        else
            StraceText.Quote(sb, array[..^1], true);
    }
}
