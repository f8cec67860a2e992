using System.Buffers.Binary;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Tests.DecodeGoldenTests;

namespace PSSyscall.Engine.Tests;

/// <summary>Printer tests without processes for sockets and messages: the expected lines are what
/// strace 6.1's own test programs (msg_control.c, ...) print for the same memory.</summary>
public sealed class DecodeGoldenNetTests
{
    private const ulong Control = 0x7f0000001000;

    /// <summary>A msghdr with only a control buffer, and its control bytes.</summary>
    private static Action<CaptureBuffer> Message(ulong controlLength, byte[] control) => b =>
    {
        var h = new byte[56];
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(32), Control);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(40), controlLength);
        b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, h);
        b.Add(CaptureSlot.ControlData, CaptureStatus.Ok, control);
    };

    private static byte[] Cmsg(int size, ulong len, int level, int type, params int[] data)
    {
        var b = new byte[size];
        BinaryPrimitives.WriteUInt64LittleEndian(b, len);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), level);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(12), type);
        for (int k = 0; k < data.Length && 16 + 4 * k + 4 <= size; k++)
            BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(16 + 4 * k), data[k]);
        return b;
    }

    private static string Sendmsg(ulong controlLength, byte[] control)
        => Decode("sendmsg", [ulong.MaxValue, 0x1000, 0], -9, Message(controlLength, control));

    private const string Head = "sendmsg(-1, {msg_name=NULL, msg_namelen=0, msg_iov=NULL, msg_iovlen=0, msg_control=";

    [Fact]
    public void ControlBytesAfterTheLastWholeHeaderShowTheirAddress()
    {
        Assert.Equal(Head + "[{cmsg_len=0, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS}, ... /* 0x7f0000001010 */], msg_controllen=17, msg_flags=0}, 0) = -1 EBADF (Bad file descriptor)",
            Sendmsg(17, Cmsg(17, 0, 1, 1)));
        Assert.Equal(Head + "[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[-1]}, ... /* 0x7f0000001018 */], msg_controllen=39, msg_flags=0}, 0) = -1 EBADF (Bad file descriptor)",
            Sendmsg(39, Cmsg(39, 20, 1, 1, -1)));
        // a length past the buffer: the data as far as the buffer goes, no tail
        Assert.Equal(Head + "[{cmsg_len=100, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[-1, 2]}], msg_controllen=24, msg_flags=0}, 0) = -1 EBADF (Bad file descriptor)",
            Sendmsg(24, Cmsg(24, 100, 1, 1, -1, 2)));
        // a buffer longer than was read: "..." without an address
        Assert.Equal(Head + "[{cmsg_len=8192, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[-1, -1]}, ...], msg_controllen=8192, msg_flags=0}, 0) = -1 EBADF (Bad file descriptor)",
            Sendmsg(8192, Cmsg(24, 8192, 1, 1, -1, -1)));
    }

    [Fact]
    public void IpControlIntsAreUnsigned()
        => Assert.Equal(Head + "[{cmsg_len=20, cmsg_level=SOL_IP, cmsg_type=IP_TTL, cmsg_data=[4207869677]}], msg_controllen=24, msg_flags=0}, 0) = -1 EBADF (Bad file descriptor)",
            Sendmsg(24, Cmsg(24, 20, 0, 2, unchecked((int)0xfacefeed))));

    [Fact]
    public void SetsockoptShowsTheAddressWhenOptlenBytesCannotBeRead()
    {
        Action<CaptureBuffer> four = b => b.Add(CaptureSlot.Entry(3), CaptureStatus.Truncated, [1, 0, 0, 0]);
        Assert.Equal("setsockopt(3, SOL_SOCKET, SO_TYPE, 0x1000, 5) = -1 ENOPROTOOPT (Protocol not available)",
            Decode("setsockopt", [3, 1, 3, 0x1000, 5], -92, four));
        Assert.Equal("setsockopt(3, SOL_SOCKET, SO_TYPE, 0x1000, -1) = -1 EINVAL (Invalid argument)",
            Decode("setsockopt", [3, 1, 3, 0x1000, 0xffffffff], -22, four));
        Assert.Equal("setsockopt(3, SOL_SOCKET, SO_TXREHASH, [SOCK_TXREHASH_ENABLED], 5) = -1 EOPNOTSUPP (Operation not supported)",
            Decode("setsockopt", [3, 1, 74, 0x1000, 5], -95, four));
        Assert.Equal("setsockopt(3, SOL_NETLINK, NETLINK_PKTINFO, [1], 4) = 0",
            Decode("setsockopt", [3, 270, 3, 0x1000, 4], 0, four));
    }

    [Fact]
    public void SelectShowsSetsOnlyWhenWhollyReadAndAlwaysItsParentheses()
    {
        byte[] set = [0x18, 0, 0, 0, 0, 0, 0, 0];
        Action<CaptureBuffer> sets = b =>
        {
            b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, set);
            b.Add(CaptureSlot.Entry(2), CaptureStatus.Truncated, set);
            b.Add(CaptureSlot.Exit(1), CaptureStatus.Ok, new byte[8]);
        };
        Assert.Equal("select(5, [3 4], 0x2000, NULL, NULL) = 1 ()", Decode("select", [5, 0x1000, 0x2000, 0, 0], 1, sets));
        Assert.Equal("select(-1, 0x1000, 0x2000, NULL, NULL) = -1 EINVAL (Invalid argument)", Decode("select", [0xffffffff, 0x1000, 0x2000, 0, 0], -22, sets));
    }

    [Fact]
    public void TimeFractionsAreUnsigned()
    {
        Action<CaptureBuffer> tv = b => b.Add(CaptureSlot.Entry(4), CaptureStatus.Ok,
            [.. BitConverter.GetBytes(unchecked((long)0xcafef00ddeadbeef)), .. BitConverter.GetBytes(unchecked((long)0xbadc0dedfacefeed))]);
        Assert.Equal("select(0, NULL, NULL, NULL, {tv_sec=-3819351491602432273, tv_usec=13464652301697220333}) = -1 EINVAL (Invalid argument)",
            Decode("select", [0, 0, 0, 0, 0x1000], -22, tv));
    }

    [Fact]
    public void PollCountIsAnUnsignedInt()
        => Assert.Equal("ppoll(NULL, 4207869677, NULL, NULL, 16045690985305276141) = -1 EINVAL (Invalid argument)",
            Decode("ppoll", [0, 0xdeadbeeffacefeed, 0, 0, 0xdeadbeeffacefeed], -22));

    private static string Connect(byte[] sockaddr)
        => Decode("connect", [ulong.MaxValue, 0x1000, (ulong)sockaddr.Length], -9, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, sockaddr));

    [Fact]
    public void SockaddrsByFamily()
    {
        Assert.Equal("connect(-1, {sa_family=AF_NETLINK, nl_pad=0xffff, nl_pid=1234567890, nl_groups=0xfacefeed}, 12) = -1 EBADF (Bad file descriptor)",
            Connect([16, 0, 0xff, 0xff, 0xd2, 0x02, 0x96, 0x49, 0xed, 0xfe, 0xce, 0xfa]));
        Assert.Equal("connect(-1, {sa_family=AF_INET, sa_data=\"\\0\\0\\0\\0\\0\\0\\377\\377\\377\\377\"}, 12) = -1 EBADF (Bad file descriptor)",
            Connect([2, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]));
        Assert.Equal("connect(-1, {sa_family=AF_PACKET, sll_protocol=htons(ETH_P_ALL), sll_ifindex=4207869677, sll_hatype=ARPHRD_ETHER, sll_pkttype=PACKET_HOST, sll_halen=9, sll_addr=[0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, ...]}, 20) = -1 EBADF (Bad file descriptor)",
            Connect([17, 0, 0, 3, 0xed, 0xfe, 0xce, 0xfa, 1, 0, 0, 9, .. "abcdefgh"u8]));
        Assert.Equal("connect(-1, {sa_family=0xff /* AF_??? */, sa_data=\"0\"}, 3) = -1 EBADF (Bad file descriptor)",
            Connect([0xff, 0, (byte)'0']));
        Assert.Equal("connect(-1, {sa_family=AF_X25, sx25_addr={x25_addr=\"0123456789abcde\"...}}, 18) = -1 EBADF (Bad file descriptor)",
            Connect([9, 0, .. "0123456789abcdef"u8]));
    }

    [Fact]
    public void OutputSockaddrsShowTheCallersRoomOnly()
    {
        byte[] name = [1, 0, .. "accept.socket.xxxxxxxx"u8];
        Action<CaptureBuffer> cap = b =>
        {
            b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, BitConverter.GetBytes(16));
            b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, BitConverter.GetBytes(24));
            b.Add(CaptureSlot.Exit(1), CaptureStatus.Truncated, name.AsSpan(0, 16).ToArray());
        };
        Assert.Equal("accept(3, {sa_family=AF_UNIX, sun_path=\"accept.socket.\"}, [16 => 24]) = 5", Decode("accept", [3, 0x1000, 0x2000], 5, cap));
    }

    [Fact]
    public void IcmpFilterGroupReqAndSendfileOffset()
    {
        Action<CaptureBuffer> filter = b => b.Add(CaptureSlot.Entry(3), CaptureStatus.Truncated, BitConverter.GetBytes(~0x1839u));
        Assert.Equal("setsockopt(-1, SOL_RAW, ICMP_FILTER, ~[ICMP_ECHOREPLY ICMP_DEST_UNREACH ICMP_SOURCE_QUENCH ICMP_REDIRECT ICMP_TIME_EXCEEDED ICMP_PARAMETERPROB], 8) = -1 EBADF (Bad file descriptor)",
            Decode("setsockopt", [ulong.MaxValue, 255, 1, 0x1000, 8], -9, filter));
        var req = new byte[136];
        req[0] = 0xff; // an index no interface has
        req[8] = 2; req[12] = 224; req[15] = 3;
        Assert.Equal("setsockopt(0, SOL_IP, MCAST_JOIN_GROUP, {gr_interface=255, gr_group={sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"224.0.0.3\")}}, 136) = 0",
            Decode("setsockopt", [0, 0, 42, 0x1000, 136], 0, b => b.Add(CaptureSlot.Entry(3), CaptureStatus.Ok, req)));
        Action<CaptureBuffer> offset = b =>
        {
            b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, BitConverter.GetBytes(0L));
            b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, BitConverter.GetBytes(35499L));
        };
        Assert.Equal("sendfile(4, 5, [0] => [35499], 35499) = 35499", Decode("sendfile", [4, 5, 0x1000, 35499], 35499, offset));
    }

    [Fact]
    public void EpollArgumentsStraceShowsAsAddresses()
    {
        Action<CaptureBuffer> ev = b => b.Add(CaptureSlot.Entry(3), CaptureStatus.Ok, [1, 0, 0, 0, .. Enumerable.Repeat((byte)0xff, 8)]);
        Assert.Equal("epoll_ctl(-3, EPOLL_CTL_DEL, -4, 0x1000) = -1 EBADF (Bad file descriptor)",
            Decode("epoll_ctl", [0xfffffffd, 2, 0xfffffffc, 0x1000], -9, ev));
        Action<CaptureBuffer> ts = b => b.Add(CaptureSlot.Entry(3), CaptureStatus.Ok, new byte[16]);
        Assert.Equal("epoll_pwait2(-1, 0x1000, 3, 0x2000, 0x3000, 3) = -1 EINVAL (Invalid argument)",
            Decode("epoll_pwait2", [ulong.MaxValue, 0x1000, 3, 0x2000, 0x3000, 3], -22, ts));
    }

    [Fact]
    public void MessageArraysAndNamesAsStraceCutsThem()
    {
        Assert.Equal("sendmmsg(-1, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=NULL, msg_iovlen=0, msg_controllen=0, msg_flags=0}}, ... /* 0x1040 */], 2, MSG_DONTWAIT) = -1 EBADF (Bad file descriptor)",
            Decode("sendmmsg", [ulong.MaxValue, 0x1000, 2, 0x40], -9, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Truncated, new byte[64])));
        Assert.Equal("recvmsg(3, {msg_namelen=36}, MSG_DONTWAIT) = -1 EFAULT (Bad address)",
            Decode("recvmsg", [3, 0x1000, 0x40], -14, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, BitConverter.GetBytes(36))));
    }

    private static byte[] Ax25Call(string call, int ssid)
    {
        var a = new byte[7];
        for (int k = 0; k < 6; k++) a[k] = (byte)((k < call.Length ? call[k] : ' ') << 1);
        a[6] = (byte)(ssid << 1);
        return a;
    }

    [Fact]
    public void Ax25AddressesAndDigipeaters()
    {
        byte[] head = [3, 0, .. Ax25Call("VALID", 13), 0, 0, 0, 3, 0, 0, 0];
        byte[] digis = [.. Ax25Call("OK", 15), .. Ax25Call("SPA CE", 0), .. Ax25Call("", 0)];
        Assert.Equal("connect(-1, {sa_family=AF_AX25, fsa_ax25={sax25_call=VALID-13, sax25_ndigis=3}, fsa_digipeater=[OK-15, {ax25_call=\"\\xa6\\xa0\\x82\\x40\\x86\\x8a\\x00\"} /* SPA CE-0 */, *]}, 37) = -1 EBADF (Bad file descriptor)",
            Connect([.. head, .. digis]));
        Assert.Equal("connect(-1, {sa_family=AF_AX25, fsa_ax25={sax25_call=VALID-13, sax25_ndigis=3}, fsa_digipeater=[OK-15, ...], ...}, 24) = -1 EBADF (Bad file descriptor)",
            Connect([.. head, .. digis.AsSpan(0, 8)]));
    }
    [Fact]
    public void RxrpcSockaddrShowsItsTransport()
    {
        byte[] unix = new byte[36];
        unix[0] = 33; unix[2] = 1; unix[4] = 1; unix[6] = 42; unix[8] = 1;
        Assert.Equal("connect(-1, {sa_family=AF_RXRPC, srx_service=0x1 /* CM_SERVICE */, transport_type=SOCK_STREAM, transport_len=42, transport={family=AF_UNIX, \"\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\"}}, 36) = -1 EBADF (Bad file descriptor)",
            Connect(unix));
        byte[] sin = new byte[36];
        sin[0] = 33; sin[2] = 0xc4; sin[3] = 9; sin[4] = 3; sin[6] = 7; sin[8] = 2; sin[10] = 0xad; sin[11] = 0xde; sin[12] = 0xed; sin[13] = 0xfe; sin[14] = 0xce;
        Assert.Equal("connect(-1, {sa_family=AF_RXRPC, srx_service=0x9c4 /* YFS_FS_SERVICE */, transport_type=SOCK_RAW, transport_len=7, transport={sin={sin_family=AF_INET, \"\\255\\336\\355\\376\\316\"}}}, 36) = -1 EBADF (Bad file descriptor)",
            Connect(sin));
    }
    [Fact]
    public void PacketMreq()
    {
        byte[] mreq = [0, 0, 0, 0, 3, 0, 7, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        Assert.Equal("setsockopt(-1, SOL_PACKET, PACKET_ADD_MEMBERSHIP, {mr_ifindex=0, mr_type=PACKET_MR_UNICAST, mr_alen=7, mr_address=ff:ff:ff:ff:ff:ff:ff}, 16) = -1 EBADF (Bad file descriptor)",
            Decode("setsockopt", [ulong.MaxValue, 263, 1, 0x1000, 16], -9, b => b.Add(CaptureSlot.Entry(3), CaptureStatus.Ok, mreq)));
    }
    [Fact]
    public void Ieee802154Sockaddr()
    {
        byte[] sa = new byte[20];
        sa[0] = 36; sa[4] = 2; sa[8] = 0xff; sa[9] = 0xff; sa[10] = 0xf8; sa[11] = 0xf9;
        Assert.Equal("connect(-1, {sa_family=AF_IEEE802154, addr={addr_type=0x2 /* IEEE802154_ADDR_SHORT */, pan_id=0xffff /* IEEE802154_PANID_BROADCAST */, short_addr=0xf9f8}}, 20) = -1 EBADF (Bad file descriptor)",
            Connect(sa));
    }
    [Fact]
    public void NfcSockaddrs()
    {
        byte[] nfc = new byte[17];
        nfc[0] = 39; nfc[4] = 0xcf; nfc[8] = 0x42; nfc[12] = 7;
        Assert.Equal("connect(-1, {sa_family=AF_NFC, dev_idx=207, target_idx=0x42, nfc_protocol=NFC_PROTO_ISO15693, ...}, 17) = -1 EBADF (Bad file descriptor)",
            Connect(nfc));
        byte[] llcp = new byte[96];
        llcp[0] = 39; llcp[16] = 1; llcp[17] = 0xff; llcp[18] = (byte)'a'; llcp[88] = 2;
        Assert.Equal("connect(-1, {sa_family=AF_NFC, dev_idx=0, target_idx=0, nfc_protocol=0 /* NFC_PROTO_??? */, dsap=0x1 /* LLCP_SAP_SDP */, ssap=0xff /* LLCP_SAP_MAX */, service_name=\"a\\0\", service_name_len=2}, 96) = -1 EBADF (Bad file descriptor)",
            Connect(llcp));
    }
    [Fact]
    public void VsockAndQrtrSockaddrs()
    {
        byte[] vm = [40, 0, 1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xae, 0, 0];
        Assert.Equal("connect(-1, {sa_family=AF_VSOCK, svm_reserved1=0x1, svm_cid=VMADDR_CID_ANY, svm_port=VMADDR_PORT_ANY, svm_flags=0xfe /* VMADDR_FLAG_??? */, svm_zero=\"\\xae\\x00\\x00\"}, 16) = -1 EBADF (Bad file descriptor)",
            Connect(vm));
        byte[] qrtr = [42, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff];
        Assert.Equal("connect(-1, {sa_family=AF_QIPCRTR, sq_node=QRTR_NODE_BCAST, sq_port=QRTR_PORT_CTRL}, 12) = -1 EBADF (Bad file descriptor)",
            Connect(qrtr));
    }
    [Fact]
    public void MctpSockaddr()
        => Assert.Equal("connect(-1, {sa_family=AF_MCTP, __smctp_pad0=0xdead, smctp_network=MCTP_NET_ANY, smctp_addr={s_addr=MCTP_ADDR_ANY}, smctp_type=0x1, smctp_tag=0x8, __smctp_pad1=0xea}, 12) = -1 EBADF (Bad file descriptor)",
            Connect([45, 0, 0xad, 0xde, 0, 0, 0, 0, 0xff, 1, 8, 0xea]));
}
