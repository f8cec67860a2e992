using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>socket's type: SOCK_STREAM, then SOCK_* flags (SOCK_CLOEXEC).</summary>
internal sealed class SocketTypeCodec : ArgCodec
{
    public override CType DefaultType => CType.Int;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        // With -X each part in its form: 0x1 /* SOCK_STREAM */|0x80000 /* SOCK_CLOEXEC */.
        FlagTables.Enum(sb, v & 0xf, SocketTypes, "SOCK_???");
        if ((v & ~0xfUL) != 0) { sb.Append('|'); Flags(sb, v & ~0xfUL, SocketTypeFlags, "SOCK_???"); }
        return true;
    }
}

/// <summary>socket's protocol, named by the family in argument 0 (IPPROTO_TCP, NETLINK_ROUTE).</summary>
internal sealed class SocketProtocolCodec : ArgCodec
{
    public override CType DefaultType => CType.ULong;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        switch (c.Args[0])
        {
            case 2 or 10: FlagTables.Enum(sb, v, IpProtocols, "IPPROTO_???", false); break;
            case 16: FlagTables.Enum(sb, v, NetlinkProtocols, "NETLINK_???", false); break;
            default: sb.Append(((int)v).ToString(CultureInfo.InvariantCulture)); break;
        }
        return true;
    }
}

/// <summary>A socket option level: SOL_SOCKET, SOL_TCP...</summary>
internal sealed class SocketLevelCodec : ArgCodec
{
    public override CType DefaultType => CType.Int;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        FlagTables.Enum(sb, (uint)v, SocketLevels, "SOL_??");
        return true;
    }
}

/// <summary>A socket option, named by the level in the argument before it; <paramref name="set"/>:
/// setsockopt, where some numbers have names of their own (SO_ATTACH_FILTER for SO_GET_FILTER).</summary>
internal sealed class SocketOptionCodec(bool set) : ArgCodec
{
    public override CType DefaultType => CType.Int;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        if ((int)c.Args[i - 1] is not (0 or 1 or 6 or 41 or 270 or 263 or 255))
        {
            sb.Append(((int)v).ToString(CultureInfo.InvariantCulture)); // a level strace does not know: the number
            return true;
        }
        int mark = DecodeStyle.Begin(sb);
        Name(ref c, i, v, sb);
        DecodeStyle.End(sb, mark, (uint)v);
        return true;
    }

    private void Name(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        switch ((int)c.Args[i - 1])
        {
            case 0 when set && FlagTables.NameOf((uint)v, SetIpOptions) is string setName: sb.Append(setName); break;
            case 1 when set && FlagTables.NameOf((uint)v, SetSocketOptions) is string setName: sb.Append(setName); break;
            case 41 when set && FlagTables.NameOf((uint)v, SetIpv6Options) is string setName: sb.Append(setName); break;
            case 0: FlagTables.Enum(sb, (uint)v, IpOptions, "IP_???"); break;
            case 1: FlagTables.Enum(sb, (uint)v, SocketOptions, "SO_???"); break;
            case 6: FlagTables.Enum(sb, (uint)v, TcpOptions, "TCP_???"); break;
            case 41: FlagTables.Enum(sb, (uint)v, Ipv6Options, "IPV6_???"); break;
            case 270: FlagTables.Enum(sb, (uint)v, NetlinkOptions, "NETLINK_???"); break;
            case 263: FlagTables.Enum(sb, (uint)v, NetSockaddrFamilies.PacketOptions, "PACKET_???"); break;
            case 255: FlagTables.Enum(sb, (uint)v, RawOptions, "ICMP_???"); break;
            default: sb.Append(((int)v).ToString(CultureInfo.InvariantCulture)); break;
        }
    }
}
