using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>The sockaddr bodies of the rarer address families (after "sa_family=X"), as strace 6.1
/// prints them.</summary>
internal static class NetSockaddrFamilies
{
    private static readonly Named[] RxrpcServices =
    {
        new(1, "CM_SERVICE"), new(2500, "YFS_FS_SERVICE"), new(2501, "YFS_CM_SERVICE"), new(2503, "YFS_VL_SERVICE"),
    };

    /// <summary>sockaddr_rxrpc (36 bytes): service (hex with its name as a comment), transport type,
    /// transport length, and the transport address as far as transport_len reaches (28 at most):
    /// sin/sin6 as such, any other family as its raw bytes.</summary>
    public static void Rxrpc(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        ushort service = BinaryPrimitives.ReadUInt16LittleEndian(b[2..]);
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(b[4..]);
        ushort tlen = BinaryPrimitives.ReadUInt16LittleEndian(b[6..]);
        sb.Append(", srx_service=");
        StraceText.Hex(sb, service);
        if (DecodeStyle.Constants != ConstantStyle.Raw) // -X raw: the number alone
            sb.Append(" /* ").Append(FlagTables.NameOf(service, RxrpcServices) ?? "???_SERVICE").Append(" */");
        sb.Append(", transport_type=");
        FlagTables.Enum(sb, type, FlagTables.SocketTypes, "SOCK_???");
        sb.Append(", transport_len=").Append(tlen.ToString(CultureInfo.InvariantCulture)).Append(", transport=");
        ReadOnlySpan<byte> t = b.Slice(8, Math.Min((int)tlen, 28));
        ushort family = BinaryPrimitives.ReadUInt16LittleEndian(b[8..]);
        if ((family == 2 || family == 10) && t.Length >= 2)
        {
            string name = family == 2 ? "sin" : "sin6";
            sb.Append('{').Append(name).Append('=');
            int at = sb.Length;
            SockaddrText.Sockaddr(sb, t);
            sb.Replace("{sa_family=", "{" + name + "_family=", at, 11);
            sb.Replace("sa_data=", "", at, sb.Length - at);
            sb.Append('}');
            return;
        }
        sb.Append("{family=");
        FlagTables.Enum(sb, family, FlagTables.SocketFamilies, "AF_???");
        if (t.Length > 2)
        {
            sb.Append(", ");
            StraceText.Quote(sb, t[2..], false);
        }
        sb.Append('}');
    }
    public static readonly Named[] PacketOptions =
    {
        new(1, "PACKET_ADD_MEMBERSHIP"), new(2, "PACKET_DROP_MEMBERSHIP"), new(3, "PACKET_RECV_OUTPUT"), new(5, "PACKET_RX_RING"),
        new(6, "PACKET_STATISTICS"), new(7, "PACKET_COPY_THRESH"), new(8, "PACKET_AUXDATA"), new(9, "PACKET_ORIGDEV"),
        new(10, "PACKET_VERSION"), new(11, "PACKET_HDRLEN"), new(12, "PACKET_RESERVE"), new(13, "PACKET_TX_RING"),
        new(14, "PACKET_LOSS"), new(15, "PACKET_VNET_HDR"), new(16, "PACKET_TX_TIMESTAMP"), new(17, "PACKET_TIMESTAMP"),
        new(18, "PACKET_FANOUT"), new(19, "PACKET_TX_HAS_OFF"), new(20, "PACKET_QDISC_BYPASS"), new(21, "PACKET_ROLLOVER_STATS"),
        new(22, "PACKET_FANOUT_DATA"), new(23, "PACKET_IGNORE_OUTGOING"),
    };

    private static readonly Named[] PacketMreqTypes =
        { new(0, "PACKET_MR_MULTICAST"), new(1, "PACKET_MR_PROMISC"), new(2, "PACKET_MR_ALLMULTI"), new(3, "PACKET_MR_UNICAST") };

    /// <summary>struct packet_mreq (16 bytes, read whole or shown as its address): the address as
    /// mr_alen hex bytes (8 at most).</summary>
    public static void PacketMreq(StringBuilder sb, ReadOnlySpan<byte> b, int length, ulong addr)
    {
        if (length < 16 || b.Length < Math.Min(length, 256)) // strace reads optlen bytes or shows the address
        {
            StraceText.Pointer(sb, addr);
            return;
        }
        sb.Append("{mr_ifindex=");
        SockaddrText.InterfaceIndex(sb, BinaryPrimitives.ReadUInt32LittleEndian(b));
        sb.Append(", mr_type=");
        FlagTables.Enum(sb, BinaryPrimitives.ReadUInt16LittleEndian(b[4..]), PacketMreqTypes, "PACKET_MR_???");
        ushort alen = BinaryPrimitives.ReadUInt16LittleEndian(b[6..]);
        sb.Append(", mr_alen=").Append(alen.ToString(CultureInfo.InvariantCulture)).Append(", mr_address=");
        HardwareAddress(sb, b.Slice(8, Math.Min((int)alen, 8)));
        sb.Append('}');
    }
    /// <summary>A hardware address as aa:bb:cc, or with -X its bytes ("\xaa\xbb\xcc" /* aa:bb:cc */).</summary>
    private static void HardwareAddress(StringBuilder sb, ReadOnlySpan<byte> a)
    {
        int mark = DecodeStyle.Begin(sb);
        for (int k = 0; k < a.Length; k++)
        {
            if (k > 0) sb.Append(':');
            sb.Append(a[k].ToString("x2", CultureInfo.InvariantCulture));
        }
        DecodeStyle.EndBytes(sb, mark, a);
    }

    private static readonly Named[] Ieee802154AddrTypes =
        { new(0, "IEEE802154_ADDR_NONE"), new(2, "IEEE802154_ADDR_SHORT"), new(3, "IEEE802154_ADDR_LONG") };

    /// <summary>sockaddr_ieee802154: addr={addr_type, pan_id, then short_addr or hwaddr by the type
    /// (nothing for IEEE802154_ADDR_NONE)}; numbers in hex with their names as comments.</summary>
    public static void Ieee802154(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
        ushort pan = BinaryPrimitives.ReadUInt16LittleEndian(b[8..]);
        sb.Append(", addr={addr_type=");
        StraceText.Hex(sb, type);
        sb.Append(" /* ").Append(FlagTables.NameOf(type, Ieee802154AddrTypes) ?? "IEEE802154_ADDR_???").Append(" */, pan_id=");
        StraceText.Hex(sb, pan);
        if (pan == 0xffff) sb.Append(" /* IEEE802154_PANID_BROADCAST */");
        if (type == 2)
        {
            ushort shortAddr = BinaryPrimitives.ReadUInt16LittleEndian(b[10..]);
            sb.Append(", short_addr=");
            StraceText.Hex(sb, shortAddr);
            if (shortAddr == 0xfffe) sb.Append(" /* IEEE802154_ADDR_UNDEF */");
            else if (shortAddr == 0xffff) sb.Append(" /* IEEE802154_ADDR_BROADCAST */");
        }
        else if (type != 0)
        {
            sb.Append(", hwaddr=");
            HardwareAddress(sb, b.Slice(10, 8));
        }
        sb.Append('}');
    }
    private static readonly Named[] NfcProtocols =
    {
        new(1, "NFC_PROTO_JEWEL"), new(2, "NFC_PROTO_MIFARE"), new(3, "NFC_PROTO_FELICA"), new(4, "NFC_PROTO_ISO14443"),
        new(5, "NFC_PROTO_NFC_DEP"), new(6, "NFC_PROTO_ISO14443_B"), new(7, "NFC_PROTO_ISO15693"),
    };

    private static void LlcpSap(StringBuilder sb, byte sap)
    {
        StraceText.Hex(sb, sap);
        if (sap == 1) sb.Append(" /* LLCP_SAP_SDP */");
        else if (sap == 0xff) sb.Append(" /* LLCP_SAP_MAX */");
    }

    /// <summary>sockaddr_nfc (16 bytes; ", ..." for more short of a whole sockaddr_nfc_llcp) and
    /// sockaddr_nfc_llcp (96 bytes: the SAPs and service_name_len bytes of the name, 63 at most).</summary>
    public static void Nfc(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append(", dev_idx=");
        SockaddrText.InterfaceIndex(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[4..]));
        sb.Append(", target_idx=");
        StraceText.Hex(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[8..]));
        sb.Append(", nfc_protocol=");
        FlagTables.Enum(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[12..]), NfcProtocols, "NFC_PROTO_???");
        if (b.Length < 96)
        {
            if (b.Length > 16) sb.Append(", ...");
            return;
        }
        sb.Append(", dsap=");
        LlcpSap(sb, b[16]);
        sb.Append(", ssap=");
        LlcpSap(sb, b[17]);
        ulong nameLength = BinaryPrimitives.ReadUInt64LittleEndian(b[88..]);
        sb.Append(", service_name=");
        StraceText.Quote(sb, b.Slice(18, (int)Math.Min(nameLength, 63UL)), false);
        sb.Append(", service_name_len=").Append(nameLength.ToString(CultureInfo.InvariantCulture));
    }
    private static void HexNamed(StringBuilder sb, uint v, uint special, string name)
    {
        if (v == special) DecodeText.Code(sb, name, v);
        else StraceText.Hex(sb, v);
    }

    /// <summary>sockaddr_qrtr: {sq_node=..., sq_port=...} with the broadcast node and control port by name.</summary>
    public static void Qrtr(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append(", sq_node=");
        HexNamed(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[4..]), 0xffffffff, "QRTR_NODE_BCAST");
        sb.Append(", sq_port=");
        HexNamed(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[8..]), 0xfffffffe, "QRTR_PORT_CTRL");
    }

    private static readonly Named[] VsockCids =
        { new(0xffffffff, "VMADDR_CID_ANY"), new(0, "VMADDR_CID_HYPERVISOR"), new(1, "VMADDR_CID_LOCAL"), new(2, "VMADDR_CID_HOST") };
    private static readonly Named[] VsockFlags = { new(1, "VMADDR_FLAG_TO_HOST") };

    /// <summary>sockaddr_vm: svm_reserved1 and svm_zero only when not zero.</summary>
    public static void Vsock(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        ushort reserved = BinaryPrimitives.ReadUInt16LittleEndian(b[2..]);
        if (reserved != 0)
        {
            sb.Append(", svm_reserved1=");
            StraceText.Hex(sb, reserved);
        }
        uint cid = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]);
        sb.Append(", svm_cid=");
        if (FlagTables.NameOf(cid, VsockCids) is string name) DecodeText.Code(sb, name, cid);
        else StraceText.Hex(sb, cid);
        sb.Append(", svm_port=");
        HexNamed(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[4..]), 0xffffffff, "VMADDR_PORT_ANY");
        sb.Append(", svm_flags=");
        FlagTables.Flags(sb, b[12], VsockFlags, "VMADDR_FLAG_???");
        if (b[13] != 0 || b[14] != 0 || b[15] != 0)
        {
            sb.Append(", svm_zero=\"");
            for (int k = 13; k < 16; k++)
                sb.Append("\\x").Append(b[k].ToString("x2", CultureInfo.InvariantCulture));
            sb.Append('"');
        }
    }
    /// <summary>sockaddr_mctp: the padding fields only when not zero.</summary>
    public static void Mctp(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        ushort pad0 = BinaryPrimitives.ReadUInt16LittleEndian(b[2..]);
        if (pad0 != 0)
        {
            sb.Append(", __smctp_pad0=");
            StraceText.Hex(sb, pad0);
        }
        uint network = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
        sb.Append(", smctp_network=");
        if (network == 0) DecodeText.Code(sb, "MCTP_NET_ANY", 0); else StraceText.Hex(sb, network);
        sb.Append(", smctp_addr={s_addr=");
        if (b[8] == 0) DecodeText.Code(sb, "MCTP_ADDR_NULL", 0);
        else if (b[8] == 0xff) DecodeText.Code(sb, "MCTP_ADDR_ANY", 0xff);
        else StraceText.Hex(sb, b[8]);
        sb.Append("}, smctp_type=");
        StraceText.Hex(sb, b[9]);
        sb.Append(", smctp_tag=");
        StraceText.Hex(sb, b[10]);
        if (b[11] != 0)
        {
            sb.Append(", __smctp_pad1=");
            StraceText.Hex(sb, b[11]);
        }
    }
}
