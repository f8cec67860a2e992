namespace PSSyscall.Engine.Decoding;

/// <summary>Socket tables of the net family (issue 15).</summary>
internal static partial class FlagTables
{
    /// <summary>SOL_NETLINK options (linux/netlink.h).</summary>
    public static readonly Named[] NetlinkOptions =
    {
        N(1, "NETLINK_ADD_MEMBERSHIP"), N(2, "NETLINK_DROP_MEMBERSHIP"), N(3, "NETLINK_PKTINFO"),
        N(4, "NETLINK_BROADCAST_ERROR"), N(5, "NETLINK_NO_ENOBUFS"), N(6, "NETLINK_RX_RING"), N(7, "NETLINK_TX_RING"),
        N(8, "NETLINK_LISTEN_ALL_NSID"), N(9, "NETLINK_LIST_MEMBERSHIPS"), N(10, "NETLINK_CAP_ACK"),
        N(11, "NETLINK_EXT_ACK"), N(12, "NETLINK_GET_STRICT_CHK"),
    };

    /// <summary>sockaddr_ll's sll_protocol (linux/if_ether.h), the common ones.</summary>
    public static readonly Named[] EthernetProtocols =
    {
        N(0x0003, "ETH_P_ALL"), N(0x0800, "ETH_P_IP"), N(0x0806, "ETH_P_ARP"), N(0x8100, "ETH_P_8021Q"),
        N(0x86DD, "ETH_P_IPV6"), N(0x88CC, "ETH_P_LLDP"),
    };

    /// <summary>sockaddr_ll's sll_hatype (linux/if_arp.h), the common ones.</summary>
    public static readonly Named[] HardwareTypes =
    {
        N(0, "ARPHRD_NETROM"), N(1, "ARPHRD_ETHER"), N(768, "ARPHRD_TUNNEL"), N(769, "ARPHRD_TUNNEL6"),
        N(772, "ARPHRD_LOOPBACK"), N(776, "ARPHRD_SIT"), N(778, "ARPHRD_IPGRE"), N(0xfffe, "ARPHRD_NONE"),
    };

    /// <summary>sockaddr_ll's sll_pkttype (linux/if_packet.h).</summary>
    public static readonly Named[] PacketTypes =
    {
        N(0, "PACKET_HOST"), N(1, "PACKET_BROADCAST"), N(2, "PACKET_MULTICAST"), N(3, "PACKET_OTHERHOST"),
        N(4, "PACKET_OUTGOING"), N(5, "PACKET_LOOPBACK"), N(6, "PACKET_USER"), N(7, "PACKET_KERNEL"),
    };

    /// <summary>SOL_RAW options (linux/icmp.h).</summary>
    public static readonly Named[] RawOptions = { N(1, "ICMP_FILTER") };

    /// <summary>ICMP message types (linux/icmp.h), the bits of struct icmp_filter.</summary>
    public static readonly Named[] IcmpTypes =
    {
        N(0, "ICMP_ECHOREPLY"), N(3, "ICMP_DEST_UNREACH"), N(4, "ICMP_SOURCE_QUENCH"), N(5, "ICMP_REDIRECT"),
        N(8, "ICMP_ECHO"), N(11, "ICMP_TIME_EXCEEDED"), N(12, "ICMP_PARAMETERPROB"), N(13, "ICMP_TIMESTAMP"),
        N(14, "ICMP_TIMESTAMPREPLY"), N(15, "ICMP_INFO_REQUEST"), N(16, "ICMP_INFO_REPLY"), N(17, "ICMP_ADDRESS"),
        N(18, "ICMP_ADDRESSREPLY"),
    };
}
