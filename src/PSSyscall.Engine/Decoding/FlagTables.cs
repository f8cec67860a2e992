using System.Text;

namespace PSSyscall.Engine.Decoding;

/// <summary>A named value or bit set, in strace's printing order.</summary>
internal readonly record struct Named(ulong Value, string Name);

/// <summary>
/// Flag and enum tables (values from the kernel's uapi headers, names and order as strace prints
/// them) and strace's two ways of printing them: bit sets joined with | (unknown bits as |0x..,
/// nothing known as "0x.. /* PREFIX_??? */"), and enums (unknown as "0x.. /* PREFIX_??? */").
/// </summary>
internal static partial class FlagTables
{
    /// <summary>A bit set (strace's printflags), in the style of -X (<see cref="DecodeStyle"/>).</summary>
    public static void Flags(StringBuilder sb, ulong value, Named[] table, string unknown, string? zero = "0")
    {
        int mark = DecodeStyle.Begin(sb);
        bool named = FlagNames(sb, value, table, unknown, zero);
        DecodeStyle.End(sb, mark, value, unknown: !named);
    }

    /// <summary>An enum value (strace's printxval), in the style of -X (<see cref="DecodeStyle"/>).</summary>
    public static void Enum(StringBuilder sb, ulong value, Named[] table, string unknown, bool hexUnknown = true)
    {
        int mark = DecodeStyle.Begin(sb);
        bool named = EnumName(sb, value, table, unknown, hexUnknown);
        DecodeStyle.End(sb, mark, value, unknown: !named);
    }

    private static bool FlagNames(StringBuilder sb, ulong value, Named[] table, string unknown, string? zero)
    {
        if (value == 0)
        {
            sb.Append(zero ?? "0");
            return true;
        }
        ulong left = value;
        bool any = false;
        foreach (Named n in table)
        {
            if (n.Value != 0 && (left & n.Value) == n.Value)
            {
                if (any) sb.Append('|');
                sb.Append(n.Name);
                left &= ~n.Value;
                any = true;
            }
        }
        if (left != 0)
        {
            if (any)
                sb.Append("|0x").Append(left.ToString("x"));
            else
                sb.Append("0x").Append(left.ToString("x")).Append(" /* ").Append(unknown).Append(" */");
        }
        return any;
    }

    private static bool EnumName(StringBuilder sb, ulong value, Named[] table, string unknown, bool hexUnknown)
    {
        foreach (Named n in table)
        {
            if (n.Value == value)
            {
                sb.Append(n.Name);
                return true;
            }
        }
        if (hexUnknown && value != 0) // printf("%#x"): 0 has no prefix
            sb.Append("0x").Append(value.ToString("x"));
        else if (hexUnknown)
            sb.Append('0');
        else
            sb.Append((long)value);
        sb.Append(" /* ").Append(unknown).Append(" */");
        return false;
    }

    public static string? NameOf(ulong value, Named[] table)
    {
        foreach (Named n in table)
            if (n.Value == value)
                return n.Name;
        return null;
    }

    private static Named N(ulong v, string n) => new(v, n);

    public static readonly Named[] OpenAccess = { N(0, "O_RDONLY"), N(1, "O_WRONLY"), N(2, "O_RDWR"), N(3, "O_ACCMODE") };

    // strace's order (xlat/open_mode_flags.in): O_SYNC before O_DSYNC, O_TMPFILE before O_DIRECTORY.
    public static readonly Named[] OpenFlags =
    {
        N(0x40, "O_CREAT"), N(0x80, "O_EXCL"), N(0x100, "O_NOCTTY"), N(0x200, "O_TRUNC"), N(0x400, "O_APPEND"),
        N(0x800, "O_NONBLOCK"), N(0x101000, "O_SYNC"), N(0x100000, "__O_SYNC"), N(0x1000, "O_DSYNC"), N(0x4000, "O_DIRECT"),
        N(0x8000, "O_LARGEFILE"), N(0x20000, "O_NOFOLLOW"), N(0x40000, "O_NOATIME"), N(0x80000, "O_CLOEXEC"),
        N(0x200000, "O_PATH"), N(0x410000, "O_TMPFILE"), N(0x400000, "__O_TMPFILE"), N(0x10000, "O_DIRECTORY"),
        N(0x2000, "FASYNC"),
    };

    public static readonly Named[] AtFlags =
    {
        N(0x100, "AT_SYMLINK_NOFOLLOW"), N(0x200, "AT_REMOVEDIR"), N(0x400, "AT_SYMLINK_FOLLOW"),
        N(0x800, "AT_NO_AUTOMOUNT"), N(0x1000, "AT_EMPTY_PATH"), N(0x8000, "AT_RECURSIVE"), // no AT_STATX_*: statx's own
    };

    public static readonly Named[] AccessModes = { N(4, "R_OK"), N(2, "W_OK"), N(1, "X_OK") };

    public static readonly Named[] MmapProt =
    {
        N(1, "PROT_READ"), N(2, "PROT_WRITE"), N(4, "PROT_EXEC"), N(8, "PROT_SEM"),
        N(0x01000000, "PROT_GROWSDOWN"), N(0x02000000, "PROT_GROWSUP"),
    };

    public static readonly Named[] MmapType = { N(1, "MAP_SHARED"), N(2, "MAP_PRIVATE"), N(3, "MAP_SHARED_VALIDATE") };

    public static readonly Named[] MmapFlags =
    {
        N(0x10, "MAP_FIXED"), N(0x20, "MAP_ANONYMOUS"), N(0x40, "MAP_32BIT"), N(0x100, "MAP_GROWSDOWN"),
        N(0x800, "MAP_DENYWRITE"), N(0x1000, "MAP_EXECUTABLE"), N(0x2000, "MAP_LOCKED"), N(0x4000, "MAP_NORESERVE"),
        N(0x8000, "MAP_POPULATE"), N(0x10000, "MAP_NONBLOCK"), N(0x20000, "MAP_STACK"), N(0x40000, "MAP_HUGETLB"),
        N(0x80000, "MAP_SYNC"), N(0x100000, "MAP_FIXED_NOREPLACE"), N(0x4000000, "MAP_UNINITIALIZED"),
    };

    public static readonly Named[] Whence = { N(0, "SEEK_SET"), N(1, "SEEK_CUR"), N(2, "SEEK_END"), N(3, "SEEK_DATA"), N(4, "SEEK_HOLE") };

    public static readonly Named[] SigprocmaskHow = { N(0, "SIG_BLOCK"), N(1, "SIG_UNBLOCK"), N(2, "SIG_SETMASK") };

    public static readonly Named[] SaFlags =
    {
        N(0x04000000, "SA_RESTORER"), N(0x08000000, "SA_ONSTACK"), N(0x10000000, "SA_RESTART"),
        N(0x40000000, "SA_NODEFER"), N(0x80000000, "SA_RESETHAND"), N(1, "SA_NOCLDSTOP"), N(2, "SA_NOCLDWAIT"),
        N(4, "SA_SIGINFO"), N(0x400, "SA_UNSUPPORTED"), N(0x800, "SA_EXPOSE_TAGBITS"),
    };

    public static readonly Named[] CloneFlags =
    {
        N(0x100, "CLONE_VM"), N(0x200, "CLONE_FS"), N(0x400, "CLONE_FILES"), N(0x800, "CLONE_SIGHAND"),
        N(0x1000, "CLONE_PIDFD"), N(0x2000, "CLONE_PTRACE"), N(0x4000, "CLONE_VFORK"), N(0x8000, "CLONE_PARENT"),
        N(0x10000, "CLONE_THREAD"), N(0x20000, "CLONE_NEWNS"), N(0x40000, "CLONE_SYSVSEM"), N(0x80000, "CLONE_SETTLS"),
        // strace 6.1 does not name CLONE_DETACHED (0x400000), and names CLONE_NEWTIME after CLONE_IO.
        N(0x100000, "CLONE_PARENT_SETTID"), N(0x200000, "CLONE_CHILD_CLEARTID"),
        N(0x800000, "CLONE_UNTRACED"), N(0x1000000, "CLONE_CHILD_SETTID"), N(0x2000000, "CLONE_NEWCGROUP"),
        N(0x4000000, "CLONE_NEWUTS"), N(0x8000000, "CLONE_NEWIPC"), N(0x10000000, "CLONE_NEWUSER"),
        N(0x20000000, "CLONE_NEWPID"), N(0x40000000, "CLONE_NEWNET"), N(0x80000000, "CLONE_IO"), N(0x80, "CLONE_NEWTIME"),
        N(0x100000000, "CLONE_CLEAR_SIGHAND"), N(0x200000000, "CLONE_INTO_CGROUP"),
    };

    public static readonly Named[] SocketFamilies =
    {
        N(0, "AF_UNSPEC"), N(1, "AF_UNIX"), N(2, "AF_INET"), N(3, "AF_AX25"), N(4, "AF_IPX"), N(5, "AF_APPLETALK"),
        N(6, "AF_NETROM"), N(7, "AF_BRIDGE"), N(8, "AF_ATMPVC"), N(9, "AF_X25"), N(10, "AF_INET6"), N(11, "AF_ROSE"),
        N(12, "AF_DECnet"), N(13, "AF_NETBEUI"), N(14, "AF_SECURITY"), N(15, "AF_KEY"), N(16, "AF_NETLINK"),
        N(17, "AF_PACKET"), N(18, "AF_ASH"), N(19, "AF_ECONET"), N(20, "AF_ATMSVC"), N(21, "AF_RDS"), N(22, "AF_SNA"),
        N(23, "AF_IRDA"), N(24, "AF_PPPOX"), N(25, "AF_WANPIPE"), N(26, "AF_LLC"), N(27, "AF_IB"), N(28, "AF_MPLS"),
        N(29, "AF_CAN"), N(30, "AF_TIPC"), N(31, "AF_BLUETOOTH"), N(32, "AF_IUCV"), N(33, "AF_RXRPC"), N(34, "AF_ISDN"),
        N(35, "AF_PHONET"), N(36, "AF_IEEE802154"), N(37, "AF_CAIF"), N(38, "AF_ALG"), N(39, "AF_NFC"), N(40, "AF_VSOCK"),
        N(41, "AF_KCM"), N(42, "AF_QIPCRTR"), N(43, "AF_SMC"), N(44, "AF_XDP"), N(45, "AF_MCTP"),
    };

    public static readonly Named[] SocketTypes =
    {
        N(1, "SOCK_STREAM"), N(2, "SOCK_DGRAM"), N(3, "SOCK_RAW"), N(4, "SOCK_RDM"), N(5, "SOCK_SEQPACKET"),
        N(6, "SOCK_DCCP"), N(10, "SOCK_PACKET"),
    };

    public static readonly Named[] SocketTypeFlags = { N(0x80000, "SOCK_CLOEXEC"), N(0x800, "SOCK_NONBLOCK") };

    public static readonly Named[] IpProtocols =
    {
        N(0, "IPPROTO_IP"), N(1, "IPPROTO_ICMP"), N(2, "IPPROTO_IGMP"), N(4, "IPPROTO_IPIP"), N(6, "IPPROTO_TCP"),
        N(17, "IPPROTO_UDP"), N(41, "IPPROTO_IPV6"), N(58, "IPPROTO_ICMPV6"), N(132, "IPPROTO_SCTP"), N(136, "IPPROTO_UDPLITE"),
        N(255, "IPPROTO_RAW"), N(262, "IPPROTO_MPTCP"),
    };

    public static readonly Named[] NetlinkProtocols =
    {
        N(0, "NETLINK_ROUTE"), N(2, "NETLINK_USERSOCK"), N(4, "NETLINK_SOCK_DIAG"), N(9, "NETLINK_AUDIT"),
        N(15, "NETLINK_KOBJECT_UEVENT"), N(16, "NETLINK_GENERIC"),
    };

    public static readonly Named[] SocketLevels =
    {
        N(0, "SOL_IP"), N(1, "SOL_SOCKET"), N(6, "SOL_TCP"), N(17, "SOL_UDP"), N(41, "SOL_IPV6"), N(255, "SOL_RAW"), N(263, "SOL_PACKET"), N(270, "SOL_NETLINK"),
    };

    /// <summary>SOL_SOCKET options, numbers 1..75 as strace 6.1 names them in getsockopt.</summary>
    public static readonly Named[] SocketOptions =
    {
        N(1, "SO_DEBUG"), N(2, "SO_REUSEADDR"), N(3, "SO_TYPE"), N(4, "SO_ERROR"), N(5, "SO_DONTROUTE"),
        N(6, "SO_BROADCAST"), N(7, "SO_SNDBUF"), N(8, "SO_RCVBUF"), N(9, "SO_KEEPALIVE"), N(10, "SO_OOBINLINE"),
        N(11, "SO_NO_CHECK"), N(12, "SO_PRIORITY"), N(13, "SO_LINGER"), N(14, "SO_BSDCOMPAT"), N(15, "SO_REUSEPORT"),
        N(16, "SO_PASSCRED"), N(17, "SO_PEERCRED"), N(18, "SO_RCVLOWAT"), N(19, "SO_SNDLOWAT"),
        N(20, "SO_RCVTIMEO_OLD"), N(21, "SO_SNDTIMEO_OLD"), N(22, "SO_SECURITY_AUTHENTICATION"),
        N(23, "SO_SECURITY_ENCRYPTION_TRANSPORT"), N(24, "SO_SECURITY_ENCRYPTION_NETWORK"), N(25, "SO_BINDTODEVICE"),
        N(26, "SO_GET_FILTER"), N(27, "SO_DETACH_FILTER"), N(28, "SO_PEERNAME"), N(29, "SO_TIMESTAMP_OLD"),
        N(30, "SO_ACCEPTCONN"), N(31, "SO_PEERSEC"), N(32, "SO_SNDBUFFORCE"), N(33, "SO_RCVBUFFORCE"),
        N(34, "SO_PASSSEC"), N(35, "SO_TIMESTAMPNS_OLD"), N(36, "SO_MARK"), N(37, "SO_TIMESTAMPING_OLD"),
        N(38, "SO_PROTOCOL"), N(39, "SO_DOMAIN"), N(40, "SO_RXQ_OVFL"), N(41, "SO_WIFI_STATUS"), N(42, "SO_PEEK_OFF"),
        N(43, "SO_NOFCS"), N(44, "SO_LOCK_FILTER"), N(45, "SO_SELECT_ERR_QUEUE"), N(46, "SO_BUSY_POLL"),
        N(47, "SO_MAX_PACING_RATE"), N(48, "SO_BPF_EXTENSIONS"), N(49, "SO_INCOMING_CPU"), N(50, "SO_ATTACH_BPF"),
        N(51, "SO_ATTACH_REUSEPORT_CBPF"), N(52, "SO_ATTACH_REUSEPORT_EBPF"), N(53, "SO_CNX_ADVICE"),
        N(55, "SO_MEMINFO"), N(56, "SO_INCOMING_NAPI_ID"), N(57, "SO_COOKIE"), N(59, "SO_PEERGROUPS"),
        N(60, "SO_ZEROCOPY"), N(61, "SO_TXTIME"), N(62, "SO_BINDTOIFINDEX"), N(63, "SO_TIMESTAMP_NEW"),
        N(64, "SO_TIMESTAMPNS_NEW"), N(65, "SO_TIMESTAMPING_NEW"), N(66, "SO_RCVTIMEO_NEW"), N(67, "SO_SNDTIMEO_NEW"),
        N(68, "SO_DETACH_REUSEPORT_BPF"), N(69, "SO_PREFER_BUSY_POLL"), N(70, "SO_BUSY_POLL_BUDGET"),
        N(71, "SO_NETNS_COOKIE"), N(72, "SO_BUF_LOCK"), N(73, "SO_RESERVE_MEM"), N(74, "SO_TXREHASH"), N(75, "SO_RCVMARK"),
    };

    /// <summary>The numbers whose setsockopt name differs from the getsockopt one in the tables above.</summary>
    public static readonly Named[] SetSocketOptions = { N(26, "SO_ATTACH_FILTER") };

    public static readonly Named[] SetIpOptions = { N(64, "IPT_SO_SET_REPLACE"), N(65, "IPT_SO_SET_ADD_COUNTERS") };

    public static readonly Named[] SetIpv6Options = { N(64, "IP6T_SO_SET_REPLACE"), N(65, "IP6T_SO_SET_ADD_COUNTERS") };

    /// <summary>SOL_TCP options.</summary>
    public static readonly Named[] TcpOptions =
    {
        N(1, "TCP_NODELAY"), N(2, "TCP_MAXSEG"), N(3, "TCP_CORK"), N(4, "TCP_KEEPIDLE"), N(5, "TCP_KEEPINTVL"),
        N(6, "TCP_KEEPCNT"), N(7, "TCP_SYNCNT"), N(8, "TCP_LINGER2"), N(9, "TCP_DEFER_ACCEPT"),
        N(10, "TCP_WINDOW_CLAMP"), N(11, "TCP_INFO"), N(12, "TCP_QUICKACK"), N(13, "TCP_CONGESTION"),
        N(14, "TCP_MD5SIG"), N(15, "TCP_COOKIE_TRANSACTIONS"), N(16, "TCP_THIN_LINEAR_TIMEOUTS"),
        N(17, "TCP_THIN_DUPACK"), N(18, "TCP_USER_TIMEOUT"), N(19, "TCP_REPAIR"), N(20, "TCP_REPAIR_QUEUE"),
        N(21, "TCP_QUEUE_SEQ"), N(22, "TCP_REPAIR_OPTIONS"), N(23, "TCP_FASTOPEN"), N(24, "TCP_TIMESTAMP"),
        N(25, "TCP_NOTSENT_LOWAT"), N(26, "TCP_CC_INFO"), N(27, "TCP_SAVE_SYN"), N(28, "TCP_SAVED_SYN"),
        N(29, "TCP_REPAIR_WINDOW"), N(30, "TCP_FASTOPEN_CONNECT"), N(31, "TCP_ULP"), N(32, "TCP_MD5SIG_EXT"),
        N(33, "TCP_FASTOPEN_KEY"), N(34, "TCP_FASTOPEN_NO_COOKIE"), N(35, "TCP_ZEROCOPY_RECEIVE"), N(36, "TCP_INQ"),
        N(37, "TCP_TX_DELAY"),
    };

    /// <summary>SOL_IP options.</summary>
    public static readonly Named[] IpOptions =
    {
        N(1, "IP_TOS"), N(2, "IP_TTL"), N(3, "IP_HDRINCL"), N(4, "IP_OPTIONS"), N(5, "IP_ROUTER_ALERT"),
        N(6, "IP_RECVOPTS"), N(7, "IP_RETOPTS"), N(8, "IP_PKTINFO"), N(9, "IP_PKTOPTIONS"), N(10, "IP_MTU_DISCOVER"),
        N(11, "IP_RECVERR"), N(12, "IP_RECVTTL"), N(13, "IP_RECVTOS"), N(14, "IP_MTU"), N(15, "IP_FREEBIND"),
        N(16, "IP_IPSEC_POLICY"), N(17, "IP_XFRM_POLICY"), N(18, "IP_PASSSEC"), N(19, "IP_TRANSPARENT"),
        N(20, "IP_ORIGDSTADDR"), N(21, "IP_MINTTL"), N(22, "IP_NODEFRAG"), N(23, "IP_CHECKSUM"),
        N(24, "IP_BIND_ADDRESS_NO_PORT"), N(25, "IP_RECVFRAGSIZE"), N(26, "IP_RECVERR_RFC4884"),
        N(32, "IP_MULTICAST_IF"), N(33, "IP_MULTICAST_TTL"), N(34, "IP_MULTICAST_LOOP"), N(35, "IP_ADD_MEMBERSHIP"),
        N(36, "IP_DROP_MEMBERSHIP"), N(37, "IP_UNBLOCK_SOURCE"), N(38, "IP_BLOCK_SOURCE"),
        N(39, "IP_ADD_SOURCE_MEMBERSHIP"), N(40, "IP_DROP_SOURCE_MEMBERSHIP"), N(41, "IP_MSFILTER"),
        N(42, "MCAST_JOIN_GROUP"), N(43, "MCAST_BLOCK_SOURCE"), N(44, "MCAST_UNBLOCK_SOURCE"),
        N(45, "MCAST_LEAVE_GROUP"), N(46, "MCAST_JOIN_SOURCE_GROUP"), N(47, "MCAST_LEAVE_SOURCE_GROUP"),
        N(48, "MCAST_MSFILTER"), N(49, "IP_MULTICAST_ALL"), N(50, "IP_UNICAST_IF"), N(64, "IPT_SO_GET_INFO"),
        N(65, "IPT_SO_GET_ENTRIES"), N(66, "IPT_SO_GET_REVISION_MATCH"), N(67, "IPT_SO_GET_REVISION_TARGET"),
    };

    /// <summary>SOL_IPV6 options.</summary>
    public static readonly Named[] Ipv6Options =
    {
        N(1, "IPV6_ADDRFORM"), N(2, "IPV6_2292PKTINFO"), N(3, "IPV6_2292HOPOPTS"), N(4, "IPV6_2292DSTOPTS"),
        N(5, "IPV6_2292RTHDR"), N(6, "IPV6_2292PKTOPTIONS"), N(7, "IPV6_CHECKSUM"), N(8, "IPV6_2292HOPLIMIT"),
        N(9, "IPV6_NEXTHOP"), N(10, "IPV6_AUTHHDR"), N(11, "IPV6_FLOWINFO"), N(16, "IPV6_UNICAST_HOPS"),
        N(17, "IPV6_MULTICAST_IF"), N(18, "IPV6_MULTICAST_HOPS"), N(19, "IPV6_MULTICAST_LOOP"),
        N(20, "IPV6_ADD_MEMBERSHIP"), N(21, "IPV6_DROP_MEMBERSHIP"), N(22, "IPV6_ROUTER_ALERT"),
        N(23, "IPV6_MTU_DISCOVER"), N(24, "IPV6_MTU"), N(25, "IPV6_RECVERR"), N(26, "IPV6_V6ONLY"),
        N(27, "IPV6_JOIN_ANYCAST"), N(28, "IPV6_LEAVE_ANYCAST"), N(29, "IPV6_MULTICAST_ALL"),
        N(30, "IPV6_ROUTER_ALERT_ISOLATE"), N(31, "IPV6_RECVERR_RFC4884"), N(32, "IPV6_FLOWLABEL_MGR"),
        N(33, "IPV6_FLOWINFO_SEND"), N(34, "IPV6_IPSEC_POLICY"), N(35, "IPV6_XFRM_POLICY"), N(36, "IPV6_HDRINCL"),
        N(42, "MCAST_JOIN_GROUP"), N(43, "MCAST_BLOCK_SOURCE"), N(44, "MCAST_UNBLOCK_SOURCE"),
        N(45, "MCAST_LEAVE_GROUP"), N(46, "MCAST_JOIN_SOURCE_GROUP"), N(47, "MCAST_LEAVE_SOURCE_GROUP"),
        N(48, "MCAST_MSFILTER"), N(49, "IPV6_RECVPKTINFO"), N(50, "IPV6_PKTINFO"), N(51, "IPV6_RECVHOPLIMIT"),
        N(52, "IPV6_HOPLIMIT"), N(53, "IPV6_RECVHOPOPTS"), N(54, "IPV6_HOPOPTS"), N(55, "IPV6_RTHDRDSTOPTS"),
        N(56, "IPV6_RECVRTHDR"), N(57, "IPV6_RTHDR"), N(58, "IPV6_RECVDSTOPTS"), N(59, "IPV6_DSTOPTS"),
        N(60, "IPV6_RECVPATHMTU"), N(61, "IPV6_PATHMTU"), N(62, "IPV6_DONTFRAG"), N(63, "IPV6_USE_MIN_MTU"),
        N(64, "IP6T_SO_GET_INFO"), N(65, "IP6T_SO_GET_ENTRIES"), N(66, "IPV6_RECVTCLASS"), N(67, "IPV6_TCLASS"),
        N(68, "IP6T_SO_GET_REVISION_MATCH"), N(69, "IP6T_SO_GET_REVISION_TARGET"),
    };

    public static readonly Named[] MsgFlags =
    {
        N(1, "MSG_OOB"), N(2, "MSG_PEEK"), N(4, "MSG_DONTROUTE"), N(8, "MSG_CTRUNC"), N(0x10, "MSG_PROBE"), N(0x20, "MSG_TRUNC"),
        N(0x40, "MSG_DONTWAIT"), N(0x80, "MSG_EOR"), N(0x100, "MSG_WAITALL"), N(0x200, "MSG_FIN"), N(0x400, "MSG_SYN"),
        N(0x800, "MSG_CONFIRM"), N(0x1000, "MSG_RST"), N(0x2000, "MSG_ERRQUEUE"), N(0x4000, "MSG_NOSIGNAL"),
        N(0x8000, "MSG_MORE"), N(0x10000, "MSG_WAITFORONE"), N(0x40000, "MSG_BATCH"), N(0x4000000, "MSG_ZEROCOPY"),
        N(0x20000000, "MSG_FASTOPEN"), N(0x40000000, "MSG_CMSG_CLOEXEC"),
    };

    public static readonly Named[] ShutdownHow = { N(0, "SHUT_RD"), N(1, "SHUT_WR"), N(2, "SHUT_RDWR") };

    public static readonly Named[] PollEvents =
    {
        N(1, "POLLIN"), N(2, "POLLPRI"), N(4, "POLLOUT"), N(8, "POLLERR"), N(0x10, "POLLHUP"), N(0x20, "POLLNVAL"),
        N(0x40, "POLLRDNORM"), N(0x80, "POLLRDBAND"), N(0x100, "POLLWRNORM"), N(0x200, "POLLWRBAND"), N(0x400, "POLLMSG"),
        N(0x2000, "POLLRDHUP"),
    };

    public static readonly Named[] EpollEvents =
    {
        N(1, "EPOLLIN"), N(2, "EPOLLPRI"), N(4, "EPOLLOUT"), N(8, "EPOLLERR"), N(0x10, "EPOLLHUP"), N(0x20, "EPOLLNVAL"),
        N(0x40, "EPOLLRDNORM"), N(0x80, "EPOLLRDBAND"), N(0x100, "EPOLLWRNORM"), N(0x200, "EPOLLWRBAND"), N(0x400, "EPOLLMSG"),
        N(0x2000, "EPOLLRDHUP"), N(0x10000000, "EPOLLEXCLUSIVE"), N(0x20000000, "EPOLLWAKEUP"), N(0x40000000, "EPOLLONESHOT"),
        N(0x80000000, "EPOLLET"),
    };

    public static readonly Named[] EpollCtlOps = { N(1, "EPOLL_CTL_ADD"), N(2, "EPOLL_CTL_DEL"), N(3, "EPOLL_CTL_MOD") };

    public static readonly Named[] FcntlCommands =
    {
        N(0, "F_DUPFD"), N(1, "F_GETFD"), N(2, "F_SETFD"), N(3, "F_GETFL"), N(4, "F_SETFL"), N(5, "F_GETLK"), N(6, "F_SETLK"),
        N(7, "F_SETLKW"), N(8, "F_SETOWN"), N(9, "F_GETOWN"), N(10, "F_SETSIG"), N(11, "F_GETSIG"), N(15, "F_SETOWN_EX"),
        N(16, "F_GETOWN_EX"), N(36, "F_OFD_GETLK"), N(37, "F_OFD_SETLK"), N(38, "F_OFD_SETLKW"), N(1024, "F_SETLEASE"),
        N(1025, "F_GETLEASE"), N(1026, "F_NOTIFY"), N(1030, "F_DUPFD_CLOEXEC"), N(1031, "F_SETPIPE_SZ"),
        N(1032, "F_GETPIPE_SZ"), N(1033, "F_ADD_SEALS"), N(1034, "F_GET_SEALS"),
    };

    public static readonly Named[] FdFlags = { N(1, "FD_CLOEXEC") };

    public static readonly Named[] FutexCommands =
    {
        N(0, "FUTEX_WAIT"), N(1, "FUTEX_WAKE"), N(2, "FUTEX_FD"), N(3, "FUTEX_REQUEUE"), N(4, "FUTEX_CMP_REQUEUE"),
        N(5, "FUTEX_WAKE_OP"), N(6, "FUTEX_LOCK_PI"), N(7, "FUTEX_UNLOCK_PI"), N(8, "FUTEX_TRYLOCK_PI"),
        N(9, "FUTEX_WAIT_BITSET"), N(10, "FUTEX_WAKE_BITSET"), N(11, "FUTEX_WAIT_REQUEUE_PI"),
        N(12, "FUTEX_CMP_REQUEUE_PI"), N(13, "FUTEX_LOCK_PI2"),
    };

    public static readonly Named[] PrctlOptions =
    {
        N(1, "PR_SET_PDEATHSIG"), N(2, "PR_GET_PDEATHSIG"), N(3, "PR_GET_DUMPABLE"), N(4, "PR_SET_DUMPABLE"),
        N(8, "PR_SET_KEEPCAPS"), N(7, "PR_GET_KEEPCAPS"), N(15, "PR_SET_NAME"), N(16, "PR_GET_NAME"),
        N(21, "PR_GET_SECCOMP"), N(22, "PR_SET_SECCOMP"), N(23, "PR_CAPBSET_READ"), N(24, "PR_CAPBSET_DROP"),
        N(36, "PR_SET_CHILD_SUBREAPER"), N(37, "PR_GET_CHILD_SUBREAPER"), N(38, "PR_SET_NO_NEW_PRIVS"),
        N(39, "PR_GET_NO_NEW_PRIVS"), N(40, "PR_GET_TID_ADDRESS"), N(47, "PR_CAP_AMBIENT"), N(0x53564d41, "PR_SET_VMA"),
    };

    public static readonly Named[] ArchPrctlCodes =
    {
        N(0x1001, "ARCH_SET_GS"), N(0x1002, "ARCH_SET_FS"), N(0x1003, "ARCH_GET_FS"), N(0x1004, "ARCH_GET_GS"),
        N(0x1011, "ARCH_GET_CPUID"), N(0x1012, "ARCH_SET_CPUID"), N(0x2001, "ARCH_MAP_VDSO_X32"),
        N(0x2002, "ARCH_MAP_VDSO_32"), N(0x2003, "ARCH_MAP_VDSO_64"),
    };

    public static readonly Named[] RlimitResources =
    {
        N(0, "RLIMIT_CPU"), N(1, "RLIMIT_FSIZE"), N(2, "RLIMIT_DATA"), N(3, "RLIMIT_STACK"), N(4, "RLIMIT_CORE"),
        N(5, "RLIMIT_RSS"), N(6, "RLIMIT_NPROC"), N(7, "RLIMIT_NOFILE"), N(8, "RLIMIT_MEMLOCK"), N(9, "RLIMIT_AS"),
        N(10, "RLIMIT_LOCKS"), N(11, "RLIMIT_SIGPENDING"), N(12, "RLIMIT_MSGQUEUE"), N(13, "RLIMIT_NICE"),
        N(14, "RLIMIT_RTPRIO"), N(15, "RLIMIT_RTTIME"),
    };

    public static readonly Named[] ClockIds =
    {
        N(0, "CLOCK_REALTIME"), N(1, "CLOCK_MONOTONIC"), N(2, "CLOCK_PROCESS_CPUTIME_ID"), N(3, "CLOCK_THREAD_CPUTIME_ID"),
        N(4, "CLOCK_MONOTONIC_RAW"), N(5, "CLOCK_REALTIME_COARSE"), N(6, "CLOCK_MONOTONIC_COARSE"), N(7, "CLOCK_BOOTTIME"),
        N(8, "CLOCK_REALTIME_ALARM"), N(9, "CLOCK_BOOTTIME_ALARM"), N(11, "CLOCK_TAI"),
    };

    public static readonly Named[] TimerFlags = { N(1, "TIMER_ABSTIME") };

    public static readonly Named[] GetrandomFlags = { N(1, "GRND_NONBLOCK"), N(2, "GRND_RANDOM"), N(4, "GRND_INSECURE") };

    public static readonly Named[] MadviseAdvice =
    {
        N(0, "MADV_NORMAL"), N(1, "MADV_RANDOM"), N(2, "MADV_SEQUENTIAL"), N(3, "MADV_WILLNEED"), N(4, "MADV_DONTNEED"),
        N(8, "MADV_FREE"), N(9, "MADV_REMOVE"), N(10, "MADV_DONTFORK"), N(11, "MADV_DOFORK"), N(12, "MADV_MERGEABLE"),
        N(13, "MADV_UNMERGEABLE"), N(14, "MADV_HUGEPAGE"), N(15, "MADV_NOHUGEPAGE"), N(16, "MADV_DONTDUMP"),
        N(17, "MADV_DODUMP"), N(18, "MADV_WIPEONFORK"), N(19, "MADV_KEEPONFORK"), N(20, "MADV_COLD"), N(21, "MADV_PAGEOUT"),
        N(22, "MADV_POPULATE_READ"), N(23, "MADV_POPULATE_WRITE"), N(24, "MADV_DONTNEED_LOCKED"), N(25, "MADV_COLLAPSE"),
        N(100, "MADV_HWPOISON"), N(101, "MADV_SOFT_OFFLINE"),
    };

    public static readonly Named[] WaitOptions =
    {
        N(1, "WNOHANG"), N(4, "WEXITED"), N(2, "WSTOPPED"), N(8, "WCONTINUED"), N(0x1000000, "WNOWAIT"),
        N(0x20000000, "__WNOTHREAD"), N(0x40000000, "__WALL"), N(0x80000000, "__WCLONE"),
    };

    public static readonly Named[] MsyncFlags = { N(1, "MS_ASYNC"), N(2, "MS_INVALIDATE"), N(4, "MS_SYNC") };

    public static readonly Named[] MremapFlags = { N(1, "MREMAP_MAYMOVE"), N(2, "MREMAP_FIXED"), N(4, "MREMAP_DONTUNMAP") };

    public static readonly Named[] FlockOps = { N(1, "LOCK_SH"), N(2, "LOCK_EX"), N(4, "LOCK_NB"), N(8, "LOCK_UN") };

    public static readonly Named[] UnshareFlags =
    {
        N(0x80, "CLONE_NEWTIME"), N(0x200, "CLONE_FS"), N(0x400, "CLONE_FILES"), N(0x800, "CLONE_SIGHAND"), N(0x10000, "CLONE_THREAD"),
        N(0x20000, "CLONE_NEWNS"), N(0x40000, "CLONE_SYSVSEM"),
        N(0x2000000, "CLONE_NEWCGROUP"), N(0x4000000, "CLONE_NEWUTS"), N(0x8000000, "CLONE_NEWIPC"),
        N(0x10000000, "CLONE_NEWUSER"), N(0x20000000, "CLONE_NEWPID"), N(0x40000000, "CLONE_NEWNET"),
    };

    /// <summary>setns's namespace types (the CLONE_NEW* bits only).</summary>
    public static readonly Named[] SetnsTypes =
    {
        N(0x80, "CLONE_NEWTIME"), N(0x20000, "CLONE_NEWNS"), N(0x2000000, "CLONE_NEWCGROUP"), N(0x4000000, "CLONE_NEWUTS"),
        N(0x8000000, "CLONE_NEWIPC"), N(0x10000000, "CLONE_NEWUSER"), N(0x20000000, "CLONE_NEWPID"), N(0x40000000, "CLONE_NEWNET"),
    };

    public static readonly Named[] EventfdFlags = { N(1, "EFD_SEMAPHORE"), N(0x80000, "EFD_CLOEXEC"), N(0x800, "EFD_NONBLOCK") };

    public static readonly Named[] EpollCreateFlags = { N(0x80000, "EPOLL_CLOEXEC") };

    public static readonly Named[] RenameFlags = { N(1, "RENAME_NOREPLACE"), N(2, "RENAME_EXCHANGE"), N(4, "RENAME_WHITEOUT") };

    public static readonly Named[] XattrFlags = { N(1, "XATTR_CREATE"), N(2, "XATTR_REPLACE") };

    public static readonly Named[] MountFlags =
    {
        N(1, "MS_RDONLY"), N(2, "MS_NOSUID"), N(4, "MS_NODEV"), N(8, "MS_NOEXEC"), N(16, "MS_SYNCHRONOUS"), N(32, "MS_REMOUNT"),
        N(64, "MS_MANDLOCK"), N(128, "MS_DIRSYNC"), N(256, "MS_NOSYMFOLLOW"), N(1024, "MS_NOATIME"), N(2048, "MS_NODIRATIME"),
        N(4096, "MS_BIND"), N(8192, "MS_MOVE"), N(16384, "MS_REC"), N(32768, "MS_SILENT"), N(1 << 16, "MS_POSIXACL"),
        N(1 << 17, "MS_UNBINDABLE"), N(1 << 18, "MS_PRIVATE"), N(1 << 19, "MS_SLAVE"), N(1 << 20, "MS_SHARED"),
        N(1 << 21, "MS_RELATIME"), N(1 << 22, "MS_KERNMOUNT"), N(1 << 23, "MS_I_VERSION"), N(1 << 24, "MS_STRICTATIME"),
        N(1 << 25, "MS_LAZYTIME"), N(1 << 26, "MS_SUBMOUNT"), N(1 << 27, "MS_NOREMOTELOCK"), N(1 << 28, "MS_NOSEC"),
        N(1 << 29, "MS_BORN"), N(1 << 30, "MS_ACTIVE"),
    };

    public static readonly Named[] UmountFlags = { N(1, "MNT_FORCE"), N(2, "MNT_DETACH"), N(4, "MNT_EXPIRE"), N(8, "UMOUNT_NOFOLLOW") };

    public static readonly Named[] StatxMask =
    {
        N(0x1, "STATX_TYPE"), N(0x2, "STATX_MODE"), N(0x4, "STATX_NLINK"), N(0x8, "STATX_UID"), N(0x10, "STATX_GID"),
        N(0x20, "STATX_ATIME"), N(0x40, "STATX_MTIME"), N(0x80, "STATX_CTIME"), N(0x100, "STATX_INO"), N(0x200, "STATX_SIZE"),
        N(0x400, "STATX_BLOCKS"), N(0x800, "STATX_BTIME"), N(0x1000, "STATX_MNT_ID"), N(0x2000, "STATX_DIOALIGN"),
    };

    public static readonly Named[] FileTypes =
    {
        N(0xC000, "S_IFSOCK"), N(0xA000, "S_IFLNK"), N(0x8000, "S_IFREG"), N(0x6000, "S_IFBLK"), N(0x4000, "S_IFDIR"),
        N(0x2000, "S_IFCHR"), N(0x1000, "S_IFIFO"),
    };


    // ---- timers, clocks, resource usage ----
    public static readonly Named[] SigevNotify =
    {
        N(0, "SIGEV_SIGNAL"), N(1, "SIGEV_NONE"), N(2, "SIGEV_THREAD"), N(4, "SIGEV_THREAD_ID"),
    };

    public static readonly Named[] ItimerWhich = { N(0, "ITIMER_REAL"), N(1, "ITIMER_VIRTUAL"), N(2, "ITIMER_PROF") };

    public static readonly Named[] TimerfdCreateFlags = { N(0x80000, "TFD_CLOEXEC"), N(0x800, "TFD_NONBLOCK") };

    public static readonly Named[] TimerfdSettimeFlags = { N(1, "TFD_TIMER_ABSTIME"), N(2, "TFD_TIMER_CANCEL_ON_SET") };

    /// <summary>getrusage's who: RUSAGE_CHILDREN is -1 (compared as a sign-extended int).</summary>
    public static readonly Named[] RusageWho =
    {
        N(0, "RUSAGE_SELF"), N(ulong.MaxValue, "RUSAGE_CHILDREN"), N(1, "RUSAGE_THREAD"),
    };

    // ---- control messages ----
    /// <summary>SOL_SOCKET control message types as strace 6.1 names them.</summary>
    public static readonly Named[] ScmTypes =
    {
        N(1, "SCM_RIGHTS"), N(2, "SCM_CREDENTIALS"), N(3, "SCM_SECURITY"), N(29, "SO_TIMESTAMP_OLD"),
        N(35, "SO_TIMESTAMPNS_OLD"), N(37, "SO_TIMESTAMPING_OLD"), N(41, "SO_WIFI_STATUS"),
        N(54, "SCM_TIMESTAMPING_OPT_STATS"), N(58, "SCM_TIMESTAMPING_PKTINFO"), N(61, "SO_TXTIME"),
        N(63, "SO_TIMESTAMP_NEW"), N(64, "SO_TIMESTAMPNS_NEW"), N(65, "SO_TIMESTAMPING_NEW"),
    };

    /// <summary>SOL_IP control message types as strace 6.1 names them (3 is SCM_SECURITY there too).</summary>
    public static readonly Named[] IpCmsgTypes =
    {
        N(1, "IP_TOS"), N(2, "IP_TTL"), N(3, "SCM_SECURITY"), N(6, "IP_RECVOPTS"), N(7, "IP_RETOPTS"),
        N(8, "IP_PKTINFO"), N(11, "IP_RECVERR"), N(20, "IP_ORIGDSTADDR"), N(23, "IP_CHECKSUM"),
    };

    // ---- struct termios (asm-generic termbits, octal values), in strace's printing order ----
    public static readonly Named[] TermiosIflags =
    {
        N(0x1, "IGNBRK"), N(0x2, "BRKINT"), N(0x4, "IGNPAR"), N(0x8, "PARMRK"), N(0x10, "INPCK"), N(0x20, "ISTRIP"),
        N(0x40, "INLCR"), N(0x80, "IGNCR"), N(0x100, "ICRNL"), N(0x200, "IUCLC"), N(0x400, "IXON"), N(0x800, "IXANY"),
        N(0x1000, "IXOFF"), N(0x2000, "IMAXBEL"), N(0x4000, "IUTF8"),
    };

    /// <summary>c_oflag's bits outside the delay fields (NLDLY CRDLY TABDLY BSDLY VTDLY FFDLY).</summary>
    public static readonly Named[] TermiosOflags =
    {
        N(0x1, "OPOST"), N(0x2, "OLCUC"), N(0x4, "ONLCR"), N(0x8, "OCRNL"), N(0x10, "ONOCR"), N(0x20, "ONLRET"),
        N(0x40, "OFILL"), N(0x80, "OFDEL"),
    };

    public static readonly Named[] TermiosNlDelay = { N(0, "NL0"), N(0x100, "NL1") };
    public static readonly Named[] TermiosCrDelay = { N(0, "CR0"), N(0x200, "CR1"), N(0x400, "CR2"), N(0x600, "CR3") };
    public static readonly Named[] TermiosTabDelay = { N(0, "TAB0"), N(0x800, "TAB1"), N(0x1000, "TAB2"), N(0x1800, "XTABS") };
    public static readonly Named[] TermiosBsDelay = { N(0, "BS0"), N(0x2000, "BS1") };
    public static readonly Named[] TermiosVtDelay = { N(0, "VT0"), N(0x4000, "VT1") };
    public static readonly Named[] TermiosFfDelay = { N(0, "FF0"), N(0x8000, "FF1") };

    /// <summary>c_cflag's CBAUD field (CBAUDEX 010000 selects the high rates).</summary>
    public static readonly Named[] TermiosBaud =
    {
        N(0, "B0"), N(1, "B50"), N(2, "B75"), N(3, "B110"), N(4, "B134"), N(5, "B150"), N(6, "B200"), N(7, "B300"),
        N(8, "B600"), N(9, "B1200"), N(10, "B1800"), N(11, "B2400"), N(12, "B4800"), N(13, "B9600"), N(14, "B19200"),
        N(15, "B38400"), N(0x1000, "BOTHER"), N(0x1001, "B57600"), N(0x1002, "B115200"), N(0x1003, "B230400"),
        N(0x1004, "B460800"), N(0x1005, "B500000"), N(0x1006, "B576000"), N(0x1007, "B921600"), N(0x1008, "B1000000"),
        N(0x1009, "B1152000"), N(0x100a, "B1500000"), N(0x100b, "B2000000"), N(0x100c, "B2500000"), N(0x100d, "B3000000"),
        N(0x100e, "B3500000"), N(0x100f, "B4000000"),
    };

    public static readonly Named[] TermiosCharSize = { N(0, "CS5"), N(0x10, "CS6"), N(0x20, "CS7"), N(0x30, "CS8") };

    public static readonly Named[] TermiosCflags =
    {
        N(0x40, "CSTOPB"), N(0x80, "CREAD"), N(0x100, "PARENB"), N(0x200, "PARODD"), N(0x400, "HUPCL"), N(0x800, "CLOCAL"),
        N(0x40000000, "CMSPAR"), N(0x80000000, "CRTSCTS"),
    };

    /// <summary>c_lflag in strace's order (IEXTEN before ECHOCTL, TOSTOP late), not numeric order.</summary>
    public static readonly Named[] TermiosLflags =
    {
        N(0x1, "ISIG"), N(0x2, "ICANON"), N(0x4, "XCASE"), N(0x8, "ECHO"), N(0x10, "ECHOE"), N(0x20, "ECHOK"),
        N(0x40, "ECHONL"), N(0x80, "NOFLSH"), N(0x8000, "IEXTEN"), N(0x200, "ECHOCTL"), N(0x400, "ECHOPRT"),
        N(0x800, "ECHOKE"), N(0x1000, "FLUSHO"), N(0x4000, "PENDIN"), N(0x100, "TOSTOP"), N(0x10000, "EXTPROC"),
    };
}
