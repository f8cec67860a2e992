using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Tracing;

/// <summary>
/// strace -yy's details of a descriptor, from the tracer thread. A socket: its protocol
/// (getxattr "system.sockprotoname" of /proc/TID/fd/N) and, for TCP/UDP (v4 and v6), UNIX and
/// NETLINK sockets, its endpoints from NETLINK_SOCK_DIAG (inet_diag, unix_diag, netlink_diag), as
/// strace prints them: "TCP:[127.0.0.1:42->127.0.0.1:80]", "UNIX-STREAM:[11->12,"/run/x"]",
/// "NETLINK:[ROUTE:1234]", else "TCP:[INODE]". A device: "char 1:3" / "block 8:0" (stat).
/// Socket details are cached per inode (one diag query per socket and state), and forgotten when a
/// traced call may change the socket's endpoints (bind, connect, listen, sendto/sendmsg/sendmmsg,
/// which bind an unbound socket). Nothing is allocated for a cached socket or a non-device file.
/// </summary>
internal sealed unsafe class FdDescriber : IDisposable
{
    private const int SOCK_DIAG_BY_FAMILY = 20, NLMSG_ERROR = 2, NLMSG_DONE = 3;
    private const ushort NLM_F_REQUEST = 1, NLM_F_DUMP = 0x300;
    private const int MaxCached = 4096;

    private readonly FdDecoding _decoding;
    private readonly bool _cache;
    private readonly Dictionary<ulong, byte[]> _sockets = new();
    private readonly byte* _path = (byte*)NativeMemory.Alloc(64);
    private readonly byte[] _buffer = new byte[32 * 1024];
    private readonly byte[] _stat = new byte[256];
    private int _diag = -1;
    private uint _sequence;

    /// <param name="cache">False when hidden calls (the seccomp fast path) could change a socket unseen.</param>
    public FdDescriber(FdDecoding decoding, bool cache)
    {
        _decoding = decoding;
        _cache = cache;
    }

    public static FdDescriber? Create(FdDecoding decoding, bool cache)
        => decoding == FdDecoding.Path ? null : new FdDescriber(decoding, cache);

    /// <summary>Diag queries made (cache misses), for tests.</summary>
    public long Queries { get; private set; }

    /// <summary>Writes the details of descriptor <paramref name="fd"/> of thread <paramref name="tid"/>,
    /// whose link is <paramref name="link"/>, into <paramref name="dest"/>; returns their length, 0 for none.</summary>
    public int Describe(int tid, int fd, ReadOnlySpan<byte> link, Span<byte> dest)
    {
        if ((_decoding & FdDecoding.Socket) != 0 && TryInode(link, out ulong inode))
        {
            if (!_sockets.TryGetValue(inode, out byte[]? text))
            {
                text = DescribeSocket(tid, fd, inode);
                if (_cache)
                {
                    if (_sockets.Count >= MaxCached)
                        _sockets.Clear();
                    _sockets[inode] = text;
                }
            }
            if (text.Length > dest.Length)
                return 0;
            text.CopyTo(dest);
            return text.Length;
        }
        if ((_decoding & FdDecoding.Device) != 0 && link.StartsWith("/dev/"u8))
            return DescribeDevice(tid, fd, dest);
        if ((_decoding & FdDecoding.Pidfd) != 0 && link.SequenceEqual("anon_inode:[pidfd]"u8))
            return DescribePidfd(tid, fd, dest);
        return 0;
    }

    /// <summary>"pid:N" from the "Pid:" line of /proc/TID/fdinfo/FD.</summary>
    private int DescribePidfd(int tid, int fd, Span<byte> dest)
    {
        int len = WritePath(tid, fd);
        // "/proc/TID/fd/FD" -> "/proc/TID/fdinfo/FD"
        var path = new Span<byte>(_path, 63);
        int at = path[..len].IndexOf("/fd/"u8);
        if (at < 0 || len + 4 >= 63)
            return 0;
        path.Slice(at + 3, len - at - 3).CopyTo(path[(at + 7)..]);
        "info"u8.CopyTo(path[(at + 3)..]);
        _path[len + 4] = 0;
        int f = Libc.open(_path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (f < 0)
            return 0;
        nint n;
        fixed (byte* b = _buffer)
            n = Libc.read(f, b, 4096);
        Libc.close(f);
        if (n <= 0)
            return 0;
        ReadOnlySpan<byte> info = _buffer.AsSpan(0, (int)n);
        int p = info.IndexOf("\nPid:"u8);
        if (p < 0)
            return 0;
        ReadOnlySpan<byte> value = info[(p + 5)..];
        int end = value.IndexOf((byte)'\n');
        value = (end < 0 ? value : value[..end]).Trim((byte)'\t').Trim((byte)' ');
        if (value.IsEmpty || dest.Length < value.Length + 4)
            return 0;
        "pid:"u8.CopyTo(dest);
        value.CopyTo(dest[4..]);
        return 4 + value.Length;
    }

    /// <summary>After a call that may have changed the socket behind <paramref name="link"/>.</summary>
    public void Forget(int tid, int fd, ReadOnlySpan<byte> link)
    {
        if (_sockets.Count == 0 || fd < 0)
            return;
        if (link.IsEmpty)
        {
            // Not in the link cache (a call the filter does not report): read it.
            WritePath(tid, fd);
            fixed (byte* b = _buffer)
            {
                nint n = Libc.readlink(_path, b, 64);
                if (n <= 0)
                    return;
                link = _buffer.AsSpan(0, (int)n);
            }
        }
        if (TryInode(link, out ulong inode))
            _sockets.Remove(inode);
    }

    private static bool TryInode(ReadOnlySpan<byte> link, out ulong inode)
    {
        inode = 0;
        if (!link.StartsWith("socket:["u8) || link[^1] != (byte)']')
            return false;
        return System.Buffers.Text.Utf8Parser.TryParse(link[8..^1], out inode, out int used) && used == link.Length - 9;
    }

    private int WritePath(int tid, int fd)
    {
        var span = new Span<byte>(_path, 63);
        "/proc/"u8.CopyTo(span);
        int len = 6;
        tid.TryFormat(span[len..], out int w, default, System.Globalization.CultureInfo.InvariantCulture);
        len += w;
        "/fd/"u8.CopyTo(span[len..]);
        len += 4;
        fd.TryFormat(span[len..], out w, default, System.Globalization.CultureInfo.InvariantCulture);
        len += w;
        _path[len] = 0;
        return len;
    }

    private int DescribeDevice(int tid, int fd, Span<byte> dest)
    {
        WritePath(tid, fd);
        fixed (byte* st = _stat)
        {
            if (Libc.stat(_path, st) != 0)
                return 0;
        }
        uint mode = BinaryPrimitives.ReadUInt32LittleEndian(_stat.AsSpan(24));
        ulong rdev = BinaryPrimitives.ReadUInt64LittleEndian(_stat.AsSpan(40));
        ReadOnlySpan<byte> kind = (mode & 0xf000) switch
        {
            0x2000 => "char "u8,
            0x6000 => "block "u8,
            _ => default,
        };
        if (kind.IsEmpty || dest.Length < 32)
            return 0;
        ulong major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffUL);
        ulong minor = (rdev & 0xff) | ((rdev >> 12) & ~0xffUL);
        kind.CopyTo(dest);
        int n = kind.Length;
        major.TryFormat(dest[n..], out int w, default, System.Globalization.CultureInfo.InvariantCulture);
        n += w;
        dest[n++] = (byte)':';
        minor.TryFormat(dest[n..], out w, default, System.Globalization.CultureInfo.InvariantCulture);
        return n + w;
    }

    // ---- sockets ----

    /// <summary>The socket's protocol name as the kernel gives it ("TCP", "UNIX-STREAM"), or null.</summary>
    private string? ProtocolName(int tid, int fd)
    {
        WritePath(tid, fd);
        fixed (byte* value = _buffer)
        fixed (byte* name = "system.sockprotoname\0"u8)
        {
            nint n = Libc.getxattr(_path, name, value, 64);
            if (n <= 0)
                return null;
            return Encoding.ASCII.GetString(_buffer, 0, (int)n).TrimEnd('\0');
        }
    }

    /// <summary>The protocols strace names in a -yy annotation; others show as "socket:[INODE]".</summary>
    private static readonly HashSet<string> KnownProtocols = new(StringComparer.Ordinal)
    {
        "TCP", "TCPv6", "UDP", "UDPv6", "UDPLITE", "UDPLITEv6", "DCCP", "DCCPv6", "SCTP", "SCTPv6",
        "L2TP/IP", "L2TP/IPv6", "PING", "PINGv6", "RAW", "RAWv6", "UNIX", "UNIX-STREAM", "NETLINK",
        "MPTCP", "MPTCPv6",
    };

    private byte[] DescribeSocket(int tid, int fd, ulong inode)
    {
        Queries++;
        string? protocol = ProtocolName(tid, fd);
        string? details = protocol switch
        {
            "TCP" => Inet(inode, 2, 6),
            "TCPv6" => Inet(inode, 10, 6),
            "UDP" => Inet(inode, 2, 17),
            "UDPv6" => Inet(inode, 10, 17),
            "UDPLITE" => Inet(inode, 2, 136),
            "UDPLITEv6" => Inet(inode, 10, 136),
            "UNIX" or "UNIX-STREAM" => Unix(inode),
            "NETLINK" => Netlink(inode),
            _ => null,
        };
        string inodeText = inode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string text = protocol is not null && KnownProtocols.Contains(protocol)
            ? $"{protocol}:[{details ?? inodeText}]"
            : $"socket:[{inodeText}]";
        return Encoding.UTF8.GetBytes(text);
    }

    private bool OpenDiag()
    {
        if (_diag >= 0)
            return true;
        _diag = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, Libc.NETLINK_SOCK_DIAG);
        return _diag >= 0;
    }

    /// <summary>Sends one SOCK_DIAG_BY_FAMILY request and hands each reply's payload to
    /// <paramref name="match"/> until it returns a result or the replies end.</summary>
    private string? Query(ReadOnlySpan<byte> request, bool dump, Func<byte[], int, int, string?> match)
    {
        if (!OpenDiag())
            return null;
        int total = 16 + request.Length;
        Span<byte> message = stackalloc byte[128];
        message.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)total);
        BinaryPrimitives.WriteUInt16LittleEndian(message[4..], SOCK_DIAG_BY_FAMILY);
        BinaryPrimitives.WriteUInt16LittleEndian(message[6..], (ushort)(NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0)));
        uint sequence = ++_sequence;
        BinaryPrimitives.WriteUInt32LittleEndian(message[8..], sequence);
        request.CopyTo(message[16..]);
        fixed (byte* m = message)
        {
            if (Libc.send(_diag, m, total, 0) != total)
                return null;
        }
        string? found = null;
        while (true)
        {
            nint n;
            fixed (byte* b = _buffer)
                n = Libc.recv(_diag, b, _buffer.Length, 0);
            if (n <= 0)
                return found;
            int at = 0;
            while (at + 16 <= n)
            {
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(at));
                int type = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(at + 4));
                uint seq = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(at + 8));
                if (length < 16 || at + length > n)
                    return found;
                if (seq == sequence)
                {
                    if (type is NLMSG_DONE or NLMSG_ERROR)
                        return found;
                    if (type == SOCK_DIAG_BY_FAMILY && found is null)
                        found = match(_buffer, at + 16, length - 16);
                    if (!dump)
                        return found;
                }
                at += (length + 3) & ~3;
            }
        }
    }

    /// <summary>inet_diag (TCP, UDP, UDPLITE): "SRC:PORT" or "SRC:PORT->DST:PORT", IPv6 in brackets.</summary>
    private string? Inet(ulong inode, byte family, byte protocol)
    {
        Span<byte> request = stackalloc byte[56];
        request.Clear();
        request[0] = family;
        request[1] = protocol;
        BinaryPrimitives.WriteUInt32LittleEndian(request[4..], uint.MaxValue); // every state
        BinaryPrimitives.WriteUInt32LittleEndian(request[48..], uint.MaxValue); // INET_DIAG_NOCOOKIE
        BinaryPrimitives.WriteUInt32LittleEndian(request[52..], uint.MaxValue);
        return Query(request, dump: true, (b, at, length) =>
        {
            if (length < 72 || BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at + 68)) != (uint)inode)
                return null;
            int size = family == 2 ? 4 : 16;
            ushort sport = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(at + 4));
            ushort dport = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(at + 6));
            ReadOnlySpan<byte> src = b.AsSpan(at + 8, size), dst = b.AsSpan(at + 24, size);
            string source = Endpoint(src, sport, family);
            return dport != 0 || dst.IndexOfAnyExcept((byte)0) >= 0 ? source + "->" + Endpoint(dst, dport, family) : source;
        });
    }

    private static string Endpoint(ReadOnlySpan<byte> address, ushort port, byte family)
    {
        string ip = new IPAddress(address).ToString();
        return (family == 10 ? "[" + ip + "]" : ip) + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>unix_diag: "INODE", "INODE->PEER", then ,"PATH" when bound (an abstract name as "@name").</summary>
    private string? Unix(ulong inode)
    {
        Span<byte> request = stackalloc byte[24];
        request.Clear();
        request[0] = 1; // AF_UNIX
        BinaryPrimitives.WriteUInt32LittleEndian(request[4..], uint.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(request[8..], (uint)inode);
        BinaryPrimitives.WriteUInt32LittleEndian(request[12..], 1 | 4); // UDIAG_SHOW_NAME | UDIAG_SHOW_PEER
        BinaryPrimitives.WriteUInt32LittleEndian(request[16..], uint.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(request[20..], uint.MaxValue);
        return Query(request, dump: false, (b, at, length) =>
        {
            if (length < 16 || BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at + 4)) != (uint)inode)
                return null;
            uint peer = 0;
            ReadOnlySpan<byte> name = default;
            bool named = false;
            for (int a = at + 16; a + 4 <= at + length;)
            {
                int rtaLength = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(a));
                int rtaType = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(a + 2));
                if (rtaLength < 4 || a + rtaLength > at + length)
                    break;
                if (rtaType == 0) // UNIX_DIAG_NAME
                {
                    name = b.AsSpan(a + 4, rtaLength - 4);
                    named = true;
                }
                else if (rtaType == 2 && rtaLength >= 8) // UNIX_DIAG_PEER
                {
                    peer = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(a + 4));
                }
                a += (rtaLength + 3) & ~3;
            }
            var sb = new StringBuilder();
            sb.Append(inode);
            if (peer != 0)
                sb.Append("->").Append(peer);
            if (named && name.Length > 0)
            {
                sb.Append(',');
                if (name[0] == 0)
                {
                    var quoted = new StringBuilder();
                    StraceText.Quote(quoted, name[1..], truncated: false);
                    sb.Append('@').Append(quoted);
                }
                else
                {
                    int nul = name.IndexOf((byte)0);
                    StraceText.Quote(sb, nul >= 0 ? name[..nul] : name, truncated: false);
                }
            }
            return sb.ToString();
        });
    }

    private static readonly string[] NetlinkProtocols =
    [
        "ROUTE", "UNUSED", "USERSOCK", "FIREWALL", "SOCK_DIAG", "NFLOG", "XFRM", "SELINUX", "ISCSI",
        "AUDIT", "FIB_LOOKUP", "CONNECTOR", "NETFILTER", "IP6_FW", "DNRTMSG", "KOBJECT_UEVENT",
        "GENERIC", "DM", "SCSITRANSPORT", "ECRYPTFS", "RDMA", "CRYPTO", "SMC",
    ];

    /// <summary>netlink_diag: "PROTOCOL:PORTID".</summary>
    private string? Netlink(ulong inode)
    {
        Span<byte> request = stackalloc byte[24];
        request.Clear();
        request[0] = Libc.AF_NETLINK;
        request[1] = 255; // NDIAG_PROTO_ALL
        BinaryPrimitives.WriteUInt32LittleEndian(request[4..], (uint)inode);
        BinaryPrimitives.WriteUInt32LittleEndian(request[16..], uint.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(request[20..], uint.MaxValue);
        return Query(request, dump: true, (b, at, length) =>
        {
            if (length < 28 || BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at + 16)) != (uint)inode)
                return null;
            int protocol = b[at + 2];
            uint portid = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at + 4));
            string name = protocol < NetlinkProtocols.Length ? NetlinkProtocols[protocol] : protocol.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return name + ":" + portid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    public void Dispose()
    {
        if (_diag >= 0)
        {
            Libc.close(_diag);
            _diag = -1;
        }
        NativeMemory.Free(_path);
    }
}
