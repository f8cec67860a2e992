using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;
using static PSSyscall.Engine.Decoding.Codecs.SockaddrText;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>A socket option's value (setsockopt's In, read at entry in its optlen's bytes;
/// getsockopt's Out, read at exit in the length the kernel wrote back through the next argument).
/// strace 6.1's forms: the structures it knows by name (linger, ucred, sock_fprog, ip_mreq,
/// ipv6_mreq...), [int] for int-valued options and any 4-byte value, else the bytes.</summary>
internal sealed class SockoptValueCodec(Direction direction) : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const int MaxValue = 256;

    public override CapturePlan Plan { get; } = direction == Direction.In
        ? new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 1, Argument: 4, Max: MaxValue)
        : new(CaptureWhen.Exit, CaptureLength.ArgumentPointee, 1, Argument: 4, Max: MaxValue);

    public override CType DefaultType => CType.Pointer;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        ReadOnlySpan<byte> b;
        if (v == 0) { sb.Append("NULL"); return true; }
        if (direction == Direction.In)
        {
            if (c.Data.TryGetFull(CaptureSlot.Entry(i), 0, out b)) SockoptValue(ref c, sb, b, (int)c.Args[i + 1], set: true);
            else StraceText.Pointer(sb, v);
            return true;
        }
        bool exitValid = !c.Failed && !c.Unfinished;
        if (exitValid && (int)c.Args[1] == 270 && (int)c.Args[2] == 9 && c.Data.TryGetFull(CaptureSlot.Entry(i + 1), 4, out b)
            && Math.Min(BinaryPrimitives.ReadInt32LittleEndian(b), ReturnedSocklen(ref c, i + 1, int.MaxValue)) < 4)
            sb.Append("[]"); // NETLINK_LIST_MEMBERSHIPS: no whole element to read
        else if (exitValid && c.Data.TryGetFull(CaptureSlot.Exit(i), 1, out b)) SockoptValue(ref c, sb, b, ReturnedSocklen(ref c, i + 1, b.Length), set: false);
        else StraceText.Pointer(sb, v);
        return true;
    }

    /// <summary>A socket option's value as strace 6.1 shows it: the structures it knows by name
    /// (linger, ucred, sock_fprog, ip_mreq, ipv6_mreq), [int] for the int-valued options and for any
    /// 4-byte value, otherwise the bytes. <paramref name="set"/>: setsockopt, whose
    /// <paramref name="length"/> is its argument; getsockopt's is the length the kernel returned.</summary>
    internal static void SockoptValue(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> b, int length, bool set)
    {
        int level = (int)c.Args[1], option = (int)c.Args[2];
        ulong addr = c.Args[3];
        if (set ? SetsockoptStruct(sb, level, option, b, length, addr) : GetsockoptStruct(sb, level, option, b, length, addr))
            return;
        if (length == 4 && b.Length >= 4)
        {
            sb.Append('[').Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(Inv)).Append(']');
        }
        else if (set && (length < 0 || b.Length < Math.Min(length, 256))) // strace reads optlen bytes or shows the address
        {
            StraceText.Pointer(sb, addr);
        }
        else
        {
            bool more = b.Length > c.StringLimit;
            StraceText.Quote(sb, more ? b[..c.StringLimit] : b, more);
        }
    }

    /// <summary>setsockopt's values that strace decodes by level and option; false for the generic form.</summary>
    internal static bool SetsockoptStruct(StringBuilder sb, int level, int option, ReadOnlySpan<byte> b, int length, ulong addr)
    {
        switch (level)
        {
            case 263 when option is 1 or 2: // PACKET_ADD/DROP_MEMBERSHIP: struct packet_mreq
                Codecs.NetSockaddrFamilies.PacketMreq(sb, b, length, addr);
                return true;
            case 1 when option == 13: // SO_LINGER: whole or a pointer
                if (length < 8 || b.Length < 8) { StraceText.Pointer(sb, addr); return true; }
                sb.Append("{l_onoff=").Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(Inv))
                  .Append(", l_linger=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[4..]).ToString(Inv)).Append('}');
                return true;
            case 1 when option is 26 or 51: // SO_ATTACH_FILTER, SO_ATTACH_REUSEPORT_CBPF: struct sock_fprog
                if (length != 16 || b.Length < 16) { StraceText.Pointer(sb, addr); return true; }
                sb.Append("{len=").Append(BinaryPrimitives.ReadUInt16LittleEndian(b).ToString(Inv)).Append(", filter=");
                StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[8..]));
                sb.Append('}');
                return true;
            case 1 when SocketIntOption(option):
            case 270: // SOL_NETLINK: every option an int
                // strace reads an int-valued option's first 4 bytes whatever the length.
                if (length < 4 || b.Length < 4) StraceText.Pointer(sb, addr);
                else if (level == 1 && option == 74) TxRehash(sb, BinaryPrimitives.ReadInt32LittleEndian(b));
                else sb.Append('[').Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(Inv)).Append(']');
                return true;
            case 255 when option == 1: // ICMP_FILTER: a bit set of ICMP types
                if (length < 4 || b.Length < 4) { StraceText.Pointer(sb, addr); return true; }
                IcmpFilter(sb, BinaryPrimitives.ReadUInt32LittleEndian(b));
                return true;
            case 0 or 41 when option is 42 or 45: // MCAST_JOIN_GROUP, MCAST_LEAVE_GROUP: struct group_req
                if (length < 136 || b.Length < 136) { StraceText.Pointer(sb, addr); return true; }
                sb.Append("{gr_interface=");
                InterfaceIndex(sb, BinaryPrimitives.ReadUInt32LittleEndian(b));
                sb.Append(", gr_group=");
                Sockaddr(sb, b.Slice(8, 128));
                sb.Append('}');
                return true;
            case 0 when option is 35 or 36: // IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP: ip_mreq (an ip_mreqn's first two fields)
                if (length < 8 || b.Length < 8) { StraceText.Pointer(sb, addr); return true; }
                sb.Append("{imr_multiaddr=");
                InetAddrField(sb, b);
                sb.Append(", imr_interface=");
                InetAddrField(sb, b[4..]);
                sb.Append('}');
                return true;
            case 41 when option is 20 or 21 or 27 or 28: // IPV6_{ADD,DROP}_MEMBERSHIP, IPV6_{JOIN,LEAVE}_ANYCAST: ipv6_mreq
                if (length < 20 || b.Length < 20) { StraceText.Pointer(sb, addr); return true; }
                sb.Append('{');
                Inet6AddrField(sb, b, "ipv6mr_multiaddr");
                sb.Append(", ipv6mr_interface=");
                InterfaceIndex(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[16..]));
                sb.Append('}');
                return true;
        }
        return false;
    }

    /// <summary>struct icmp_filter: the types' bits, or ~[the clear ones] when most are set.</summary>
    internal static void IcmpFilter(StringBuilder sb, uint data)
    {
        bool invert = System.Numerics.BitOperations.PopCount(data) > 16;
        if (invert) { sb.Append('~'); data = ~data; }
        sb.Append('[');
        bool first = true;
        for (int bit = 0; bit < 32; bit++)
        {
            if ((data & (1u << bit)) == 0) continue;
            if (!first) sb.Append(' ');
            first = false;
            if (FlagTables.NameOf((uint)bit, IcmpTypes) is string name) sb.Append(name); else sb.Append(bit.ToString(Inv));
        }
        sb.Append(']');
    }

    /// <summary>SO_TXREHASH's value: [SOCK_TXREHASH_ENABLED], [2 /* SOCK_TXREHASH_??? */].</summary>
    internal static void TxRehash(StringBuilder sb, int v)
    {
        sb.Append('[');
        int mark = DecodeStyle.Begin(sb);
        switch (v)
        {
            case 0: sb.Append("SOCK_TXREHASH_DISABLED"); break;
            case 1: sb.Append("SOCK_TXREHASH_ENABLED"); break;
            case 255: sb.Append("SOCK_TXREHASH_DEFAULT"); break;
            default: sb.Append(v.ToString(Inv)).Append(" /* SOCK_TXREHASH_??? */"); break;
        }
        DecodeStyle.End(sb, mark, (ulong)v, DecodeStyle.Number.Decimal);
        sb.Append(']');
    }

    /// <summary>getsockopt's values that strace decodes by level and option; false for the generic form.
    /// A structure the kernel wrote only part of shows its whole fields, then the part of the next
    /// field as hex bytes ({l_onoff=0, l_linger="\x00\x00"}).</summary>
    internal static bool GetsockoptStruct(StringBuilder sb, int level, int option, ReadOnlySpan<byte> b, int length, ulong addr)
    {
        ReadOnlySpan<byte> v = b[..Math.Min(b.Length, Math.Max(length, 0))];
        if (level == 270) // SOL_NETLINK: ints; NETLINK_LIST_MEMBERSHIPS an array of group masks
        {
            if (option == 9)
            {
                sb.Append('[');
                for (int k = 0; k + 4 <= v.Length; k += 4)
                {
                    if (k > 0) sb.Append(", ");
                    StraceText.Hex(sb, BinaryPrimitives.ReadUInt32LittleEndian(v[k..]));
                }
                sb.Append(']');
            }
            else if (v.Length < 4) StraceText.Pointer(sb, addr);
            else sb.Append('[').Append(BinaryPrimitives.ReadInt32LittleEndian(v).ToString(Inv)).Append(']');
            return true;
        }
        if (level == 255 && option == 1 && v.Length >= 4) // ICMP_FILTER
        {
            IcmpFilter(sb, BinaryPrimitives.ReadUInt32LittleEndian(v));
            return true;
        }
        if (level != 1)
            return false;
        switch (option)
        {
            case 13: // SO_LINGER
                sb.Append('{');
                PartialInt(sb, v, 0, "l_onoff=");
                PartialInt(sb, v, 4, ", l_linger=");
                sb.Append('}');
                return true;
            case 17: // SO_PEERCRED
                sb.Append('{');
                PartialInt(sb, v, 0, "pid=");
                PartialInt(sb, v, 4, ", uid=");
                PartialInt(sb, v, 8, ", gid=");
                sb.Append('}');
                return true;
            case 26: // SO_GET_FILTER: the instructions, shown only with -v
                StraceText.Pointer(sb, addr);
                return true;
            case 4: // SO_ERROR: the pending error by name
                if (v.Length < 4) { StraceText.Quote(sb, v, false, hex: true); return true; }
                int err = BinaryPrimitives.ReadInt32LittleEndian(v);
                sb.Append('[');
                int mark = DecodeStyle.Begin(sb);
                sb.Append(err == 0 ? "0" : ErrnoNames.GetName(err) ?? err.ToString(Inv));
                DecodeStyle.End(sb, mark, (ulong)(long)err, DecodeStyle.Number.Decimal);
                sb.Append(']');
                return true;
            case var o when SocketIntOption(o):
                if (v.Length < 4) StraceText.Quote(sb, v, false, hex: true);
                else if (o == 74) TxRehash(sb, BinaryPrimitives.ReadInt32LittleEndian(v));
                else sb.Append('[').Append(BinaryPrimitives.ReadInt32LittleEndian(v).ToString(Inv)).Append(']');
                return true;
        }
        return false;
    }

    /// <summary>One int field of a structure the kernel wrote <paramref name="v"/>.Length bytes of:
    /// the number when whole, its written bytes in hex when cut, nothing when not reached.</summary>
    internal static void PartialInt(StringBuilder sb, ReadOnlySpan<byte> v, int offset, string label)
    {
        if (v.Length <= offset)
            return;
        sb.Append(label);
        if (v.Length >= offset + 4)
            sb.Append(BinaryPrimitives.ReadInt32LittleEndian(v[offset..]).ToString(Inv));
        else
            StraceText.Quote(sb, v[offset..], false, hex: true);
    }

    /// <summary>The SOL_SOCKET options strace 6.1 treats as an int (the kernel's sock_setsockopt ints).</summary>
    internal static bool SocketIntOption(int option) => option is >= 1 and <= 19 and not (3 or 4 or 13 or 17)
        or 27 or 29 or 30 or 32 or 33 or 34 or 35 or 36 or 37 or (>= 40 and <= 46) or 49 or 53 or 56 or 60
        or 63 or 64 or 65 or 68 or 69 or 70 or 73 or 74 or 75;

    /// <summary>The length getsockopt returned through its optlen pointer (argument <paramref name="i"/>).</summary>
    internal static int ReturnedSocklen(ref DecodeContext c, int i, int captured)
        => c.Data.TryGetFull(CaptureSlot.Exit(i), 4, out ReadOnlySpan<byte> l) ? BinaryPrimitives.ReadInt32LittleEndian(l) : captured;
}
