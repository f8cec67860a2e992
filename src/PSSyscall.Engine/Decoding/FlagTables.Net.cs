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
}
