using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>struct sockaddr by family, as strace 6.1 prints it (the codecs of addresses, msghdr's
/// msg_name, socket options and control messages share it).</summary>
internal static class SockaddrText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    internal static void Sockaddr(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        int family = BinaryPrimitives.ReadUInt16LittleEndian(b);
        sb.Append("{sa_family=");
        FlagTables.Enum(sb, (ulong)family, SocketFamilies, "AF_???");
        switch (family)
        {
            case 1: // AF_UNIX
                if (b.Length > 2)
                {
                    ReadOnlySpan<byte> path = b[2..Math.Min(b.Length, 110)]; // sun_path[108]
                    sb.Append(", sun_path=");
                    if (path.Length > 0 && path[0] == 0)
                    {
                        sb.Append('@');
                        StraceText.Quote(sb, path[1..], false);
                    }
                    else
                    {
                        DecodeText.CString(sb, path);
                    }
                }
                break;
            case 2 when b.Length >= 16: // AF_INET: a whole sockaddr_in, else sa_data
                sb.Append(", sin_port=");
                int mark = DecodeStyle.Begin(sb);
                sb.Append("htons(").Append(BinaryPrimitives.ReadUInt16BigEndian(b[2..]).ToString(Inv)).Append(')');
                DecodeStyle.EndBytes(sb, mark, b.Slice(2, 2));
                sb.Append(", sin_addr=");
                InetAddrField(sb, b[4..]);
                break;
            case 10 when b.Length >= 24: // AF_INET6
                sb.Append(", sin6_port=");
                int mark6 = DecodeStyle.Begin(sb);
                sb.Append("htons(").Append(BinaryPrimitives.ReadUInt16BigEndian(b[2..]).ToString(Inv)).Append(')');
                DecodeStyle.EndBytes(sb, mark6, b.Slice(2, 2));
                sb.Append(", sin6_flowinfo=");
                mark6 = DecodeStyle.Begin(sb);
                sb.Append("htonl(").Append(BinaryPrimitives.ReadUInt32BigEndian(b[4..]).ToString(Inv)).Append(')');
                DecodeStyle.EndBytes(sb, mark6, b.Slice(4, 4));
                sb.Append(", ");
                Inet6AddrField(sb, b.Slice(8, 16), "sin6_addr");
                if (b.Length >= 28)
                {
                    // the interface by name only for link-local unicast and multicast addresses
                    uint scope = BinaryPrimitives.ReadUInt32LittleEndian(b[24..]);
                    sb.Append(", sin6_scope_id=");
                    if ((b[8] == 0xfe && (b[9] & 0xc0) == 0x80) || (b[8] == 0xff && (b[9] & 0x0f) == 0x02))
                        InterfaceIndex(sb, scope);
                    else
                        sb.Append(scope.ToString(Inv));
                }
                break;
            case 16 when b.Length >= 12: // AF_NETLINK
                ushort pad = BinaryPrimitives.ReadUInt16LittleEndian(b[2..]);
                if (pad != 0)
                    sb.Append(", nl_pad=0x").Append(pad.ToString("x", Inv));
                sb.Append(", nl_pid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[4..]).ToString(Inv)).Append(", nl_groups=");
                uint groups = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]);
                sb.Append(groups == 0 ? "00000000" : "0x" + groups.ToString("x6", Inv)); // C's %#08x
                break;
            case 3 when b.Length >= 16: // AF_AX25: sockaddr_ax25, then digipeaters (full_sockaddr_ax25)
                SockaddrAx25(sb, b);
                break;
            case 17 when b.Length >= 20: // AF_PACKET: sockaddr_ll
                SockaddrLl(sb, b);
                break;
            case 4 when b.Length >= 16: // AF_IPX
                sb.Append(", sipx_port=htons(").Append(BinaryPrimitives.ReadUInt16BigEndian(b[2..]).ToString(Inv))
                  .Append("), sipx_network=htonl(");
                uint network = BinaryPrimitives.ReadUInt32BigEndian(b[4..]);
                sb.Append(network == 0 ? "00000000" : "0x" + network.ToString("x6", Inv)).Append("), sipx_node=[");
                for (int k = 0; k < 6; k++)
                {
                    if (k > 0) sb.Append(", ");
                    StraceText.Hex(sb, b[8 + k]);
                }
                sb.Append("], sipx_type=");
                StraceText.Hex(sb, b[14]);
                if (b[15] != 0)
                {
                    sb.Append(", sipx_zero=");
                    StraceText.Hex(sb, b[15]);
                }
                break;
            case 36 when b.Length >= 20: // AF_IEEE802154: sockaddr_ieee802154
                Codecs.NetSockaddrFamilies.Ieee802154(sb, b);
                break;
            case 39 when b.Length >= 16: // AF_NFC: sockaddr_nfc, sockaddr_nfc_llcp
                Codecs.NetSockaddrFamilies.Nfc(sb, b);
                break;
            case 42 when b.Length >= 12: // AF_QIPCRTR: sockaddr_qrtr
                Codecs.NetSockaddrFamilies.Qrtr(sb, b);
                break;
            case 40 when b.Length >= 16: // AF_VSOCK: sockaddr_vm
                Codecs.NetSockaddrFamilies.Vsock(sb, b);
                break;
            case 45 when b.Length >= 12: // AF_MCTP: sockaddr_mctp
                Codecs.NetSockaddrFamilies.Mctp(sb, b);
                break;
            case 33 when b.Length >= 36: // AF_RXRPC: sockaddr_rxrpc
                Codecs.NetSockaddrFamilies.Rxrpc(sb, b);
                break;
            case 9 when b.Length >= 18: // AF_X25: x25_addr[16], a C string
                sb.Append(", sx25_addr={x25_addr=");
                ReadOnlySpan<byte> x25 = b.Slice(2, 16);
                int end = x25.IndexOf((byte)0);
                if (end >= 0) StraceText.Quote(sb, x25[..end], false);
                else StraceText.Quote(sb, x25[..15], true);
                sb.Append('}');
                break;
            default:
                sb.Append(", sa_data=");
                StraceText.Quote(sb, b[2..], false);
                break;
        }
        sb.Append('}');
    }

    /// <summary>sockaddr_ax25, and full_sockaddr_ax25's digipeaters as far as the length reaches
    /// (8 at most): "[...]" when none fit, ", ..." inside for ones cut off and after for bytes past them.</summary>
    internal static void SockaddrAx25(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        int ndigis = BinaryPrimitives.ReadInt32LittleEndian(b[12..]);
        if (ndigis == 0)
        {
            sb.Append(", sax25_call=");
            Ax25Address(sb, b.Slice(2, 7));
            sb.Append(", sax25_ndigis=0");
            return;
        }
        sb.Append(", fsa_ax25={sax25_call=");
        Ax25Address(sb, b.Slice(2, 7));
        sb.Append(", sax25_ndigis=").Append(ndigis.ToString(Inv)).Append("}, fsa_digipeater=[");
        int room = b.Length - 16;
        int wanted = (int)Math.Min((uint)ndigis, 8u);
        int shown = Math.Min(wanted, room / 7);
        for (int k = 0; k < shown; k++)
        {
            if (k > 0) sb.Append(", ");
            Ax25Address(sb, b.Slice(16 + 7 * k, 7));
        }
        if (shown < wanted) sb.Append(shown > 0 ? ", ..." : "...");
        sb.Append(']');
        if (room > 56 || room % 7 != 0) sb.Append(", ...");
    }

    /// <summary>An ax25_address: CALL-SSID when valid (letters and digits, then spaces; no other SSID
    /// bits), * for the null address, else the bytes with the text as a comment where printable.</summary>
    internal static void Ax25Address(StringBuilder sb, ReadOnlySpan<byte> a)
    {
        int ssid = (a[6] >> 1) & 0xf;
        bool allSpaces = true;
        for (int k = 0; k < 6; k++) allSpaces &= a[k] == (' ' << 1);
        if (allSpaces && a[6] == 0) { sb.Append('*'); return; }
        Span<char> text = stackalloc char[6];
        int len = 0;
        bool valid = (a[6] & ~0x1e) == 0, printable = true, trailing = false;
        for (int k = 0; k < 6; k++)
        {
            char ch = (char)(a[k] >> 1);
            if ((a[k] & 1) != 0) valid = false;
            if (ch < 0x20 || ch > 0x7e) printable = false;
            if (ch == ' ') trailing = true;
            else if (trailing || !(ch is (>= 'A' and <= 'Z') or (>= '0' and <= '9'))) valid = false;
            text[k] = ch;
            if (ch != ' ') len = k + 1;
        }
        string call = new string(text[..len]);
        if (valid && len > 0)
        {
            sb.Append(call).Append('-').Append(ssid.ToString(Inv));
            return;
        }
        sb.Append("{ax25_call=");
        StraceText.Quote(sb, a, false, hex: true);
        sb.Append('}');
        if (printable && !call.Contains("*/", StringComparison.Ordinal))
            sb.Append(" /* ").Append(call).Append('-').Append(ssid.ToString(Inv)).Append(" */");
    }

    /// <summary>struct sockaddr_ll's fields after the family; the address as its halen bytes (8 at most).</summary>
    internal static void SockaddrLl(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append(", sll_protocol=");
        int mark = DecodeStyle.Begin(sb);
        sb.Append("htons(");
        ushort protocol = BinaryPrimitives.ReadUInt16BigEndian(b[2..]);
        FlagTables.Enum(sb, protocol, EthernetProtocols, "ETH_P_???");
        sb.Append(')');
        DecodeStyle.EndBytes(sb, mark, b.Slice(2, 2));
        sb.Append(", sll_ifindex=");
        InterfaceIndex(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[4..]));
        sb.Append(", sll_hatype=");
        FlagTables.Enum(sb, BinaryPrimitives.ReadUInt16LittleEndian(b[8..]), HardwareTypes, "ARPHRD_???");
        sb.Append(", sll_pkttype=");
        FlagTables.Enum(sb, b[10], PacketTypes, "PACKET_???");
        int halen = b[11];
        sb.Append(", sll_halen=").Append(halen.ToString(Inv));
        if (halen > 0)
        {
            sb.Append(", sll_addr=[");
            for (int k = 0; k < Math.Min(halen, 8); k++)
            {
                if (k > 0) sb.Append(", ");
                StraceText.Hex(sb, b[12 + k]);
            }
            if (halen > 8) sb.Append(", ...");
            sb.Append(']');
        }
    }

    /// <summary>inet_addr("127.0.0.1") from four bytes in network order.</summary>
    internal static void InetAddr(StringBuilder sb, ReadOnlySpan<byte> a)
        => sb.Append("inet_addr(\"").Append(a[0]).Append('.').Append(a[1]).Append('.').Append(a[2]).Append('.').Append(a[3]).Append("\")");

    /// <summary>An interface index as strace shows it: if_nametoindex("lo") when the index names an
    /// interface (looked up when decoded, as strace does while tracing), else the number.</summary>
    /// <summary>An in_addr in a field: inet_addr("127.0.0.1"), or with -X its bytes ("\x7f\x00\x00\x01").</summary>
    internal static void InetAddrField(StringBuilder sb, ReadOnlySpan<byte> a)
    {
        int mark = DecodeStyle.Begin(sb);
        InetAddr(sb, a);
        DecodeStyle.EndBytes(sb, mark, a[..4]);
    }

    /// <summary>An in6_addr field: inet_pton(AF_INET6, "::1", &amp;name) (no label), or with -X
    /// name="\x00..." /* inet_pton(AF_INET6, "::1") */.</summary>
    internal static void Inet6AddrField(StringBuilder sb, ReadOnlySpan<byte> a, string name)
    {
        string address = new System.Net.IPAddress(a[..16]).ToString();
        if (DecodeStyle.Constants == ConstantStyle.Abbrev)
        {
            sb.Append("inet_pton(AF_INET6, \"").Append(address).Append("\", &").Append(name).Append(')');
            return;
        }
        sb.Append(name).Append('=');
        int mark = DecodeStyle.Begin(sb);
        sb.Append("inet_pton(AF_INET6, \"").Append(address).Append("\")");
        DecodeStyle.EndBytes(sb, mark, a[..16]);
    }

    internal static void InterfaceIndex(StringBuilder sb, uint index)
    {
        int mark = DecodeStyle.Begin(sb);
        InterfaceName(sb, index);
        DecodeStyle.End(sb, mark, index, DecodeStyle.Number.Unsigned);
    }

    private static void InterfaceName(StringBuilder sb, uint index)
    {
        string? name = index == 0 ? null : Native.Libc.InterfaceName(index);
        if (name is null)
            sb.Append(index.ToString(Inv));
        else
            sb.Append("if_nametoindex(\"").Append(name).Append("\")");
    }
}
