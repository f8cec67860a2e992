using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;
using static PSSyscall.Engine.Decoding.Codecs.SockaddrText;
using static PSSyscall.Engine.Decoding.DecodeText;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>struct msghdr: sendmsg's (In: read at entry) and recvmsg's (Out: msg_namelen as given
/// read at entry, the header as the call left it at a successful exit).</summary>
internal sealed class MsghdrCodec(Direction direction) : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override CapturePlan EntryPlan { get; } = direction == Direction.In
        ? new(CaptureWhen.Entry, Shape: CaptureShape.Msghdr)
        : new(CaptureWhen.Entry, CaptureLength.Fixed, 4, Offset: 8); // msg_namelen as given, for "110 => 36"

    public override CapturePlan ExitPlan { get; } = direction == Direction.In ? CapturePlan.None : new(CaptureWhen.Exit, Shape: CaptureShape.Msghdr);

    public override CType DefaultType => CType.Pointer;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        ReadOnlySpan<byte> b;
        if (direction == Direction.In)
        {
            if (c.Data.TryGetFull(CaptureSlot.Entry(i), MessageHeader.Size, out b)) MsghdrText.Msghdr(ref c, sb, b); else StraceText.Pointer(sb, v);
            return true;
        }
        int given = c.Data.TryGetFull(CaptureSlot.Entry(i), 4, out b) ? BinaryPrimitives.ReadInt32LittleEndian(b) : -1;
        if (!c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(i), MessageHeader.Size, out b))
            MsghdrText.Msghdr(ref c, sb, b, CaptureSlot.Extra, CaptureSlot.Extra + 1, CaptureSlot.ControlData, given);
        else if (c.Failed && given >= 0 && v != 0)
            sb.Append("{msg_namelen=").Append(given.ToString(Inv)).Append('}'); // strace: only what it read at entry
        else
            StraceText.Pointer(sb, v);
        return true;
    }
}

/// <summary>struct mmsghdr[]: sendmmsg's (In: the count in the next argument; sent as given, each
/// msg_len once the call filled it in) and recvmmsg's (Out: as many as the result).</summary>
internal sealed class MmsghdrCodec(Direction direction, int countArgument) : ArgCodec
{
    /// <summary>struct mmsghdr: a msghdr and the bytes sent or received, padded to 64.</summary>
    internal const int Size = 64;

    // The plain headers: sendmmsg's msg_len at exit, recvmmsg's msg_namelen as given at entry.
    private readonly CapturePlan _headers = new(direction == Direction.In ? CaptureWhen.Exit : CaptureWhen.Entry, CaptureLength.ArgumentCount, Size,
        Argument: countArgument, Max: CaptureSlot.MaxMessages * Size);

    private readonly CapturePlan _messages = direction == Direction.In
        ? new(CaptureWhen.Entry, CaptureLength.ArgumentCount, Size, Argument: countArgument, Max: CaptureSlot.MaxMessages * Size, Shape: CaptureShape.Mmsghdrs)
        : new(CaptureWhen.Exit, CaptureLength.ReturnCount, Size, Max: CaptureSlot.MaxMessages * Size, Shape: CaptureShape.Mmsghdrs);

    public override CapturePlan EntryPlan => direction == Direction.In ? _messages : _headers;

    public override CapturePlan ExitPlan => direction == Direction.In ? _headers : _messages;

    public override CType DefaultType => CType.Pointer;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        ReadOnlySpan<byte> b;
        bool exitValid = !c.Failed && !c.Unfinished;
        if (direction == Direction.In)
        {
            // Shown as sent, with each message's msg_len once the call has filled it in.
            if (c.Data.TryGetFull(CaptureSlot.Entry(i), Size, out b))
                MsghdrText.Mmsghdrs(ref c, sb, b, exitValid && c.Data.TryGetFull(CaptureSlot.Exit(i), Size, out ReadOnlySpan<byte> sent) ? sent : default, c.Args[countArgument], v);
            else
                StraceText.Pointer(sb, v);
            return true;
        }
        if (exitValid && c.Data.TryGetFull(CaptureSlot.Exit(i), Size, out b))
            MsghdrText.Mmsghdrs(ref c, sb, b, b, (ulong)c.Return, v, c.Data.TryGetFull(CaptureSlot.Entry(i), Size, out ReadOnlySpan<byte> given) ? given : default);
        else
            StraceText.Pointer(sb, v);
        return true;
    }
}

/// <summary>The text of msghdr, mmsghdr and control messages.</summary>
internal static class MsghdrText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    internal static void Msghdr(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> bytes)
        => Msghdr(ref c, sb, bytes, CaptureSlot.Extra, CaptureSlot.Extra + 1, CaptureSlot.ControlData);

    /// <summary>A msghdr whose name, iovec and control messages were captured in these slots
    /// (controlSlot -1: not captured, shown as the address).</summary>
    internal static void Msghdr(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> bytes, int nameSlot, int iovSlot, int controlSlot, int givenNameLength = -1)
    {
        var h = new MessageHeader(bytes);
        sb.Append("{msg_name=");
        if (h.Name == 0) sb.Append("NULL");
        else if (c.Data.TryGetFull(nameSlot, 2, out ReadOnlySpan<byte> sa) && givenNameLength is < 0 or >= 2)
            Sockaddr(sb, givenNameLength >= 0 && givenNameLength < sa.Length ? sa[..givenNameLength] : sa); // what fit in the room given
        else StraceText.Pointer(sb, h.Name);
        sb.Append(", msg_namelen=");
        if (givenNameLength >= 0 && givenNameLength != h.NameLength)
            sb.Append(givenNameLength.ToString(Inv)).Append(" => ");
        sb.Append(h.NameLength.ToString(Inv)).Append(", msg_iov=");
        if (c.Data.TryGetFull(iovSlot, 4, out ReadOnlySpan<byte> iov)) IovecCodec.Iovec(ref c, sb, iov, h.IovLength, h.Iov);
        else StraceText.Pointer(sb, h.Iov);
        sb.Append(", msg_iovlen=").Append(h.IovLength.ToString(Inv));
        if (h.Control != 0 && h.ControlLength != 0) // strace leaves out a control buffer of no length
        {
            sb.Append(", msg_control=");
            if (controlSlot >= 0 && c.Data.TryGetFull(controlSlot, c.Signature.Compat ? 12 : 16, out ReadOnlySpan<byte> ctl)) ControlMessages(ref c, sb, ctl, h.Control, h.ControlLength);
            else StraceText.Pointer(sb, h.Control);
        }
        sb.Append(", msg_controllen=").Append(h.ControlLength.ToString(Inv)).Append(", msg_flags=");
        Flags(sb, (ulong)(uint)h.Flags, FlagTables.MsgFlags, "MSG_???");
        sb.Append('}');
    }

    /// <summary>[{msg_hdr={...}, msg_len=3}, ...]: <paramref name="lengths"/> holds the headers as the
    /// kernel left them (their msg_len), or nothing when the call did not complete.</summary>
    internal static void Mmsghdrs(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> headers, ReadOnlySpan<byte> lengths, ulong count, ulong addr, ReadOnlySpan<byte> given = default)
    {
        const int size = MmsghdrCodec.Size;
        sb.Append('[');
        int n = (int)Math.Min(count, (ulong)(headers.Length / size));
        bool cut = false;
        for (int k = 0; k < n; k++)
        {
            if (k > 0) sb.Append(", ");
            if (k == c.StringLimit) { sb.Append("..."); cut = true; break; }
            sb.Append("{msg_hdr=");
            int givenNameLength = (k + 1) * size <= given.Length ? BinaryPrimitives.ReadInt32LittleEndian(given[(k * size + 8)..]) : -1;
            Msghdr(ref c, sb, headers.Slice(k * size, MessageHeader.Size), CaptureSlot.MessageName(k), CaptureSlot.MessageIovec(k), -1, givenNameLength);
            if ((k + 1) * size <= lengths.Length)
                sb.Append(", msg_len=").Append(BinaryPrimitives.ReadUInt32LittleEndian(lengths[(k * size + MessageHeader.Size)..]).ToString(Inv));
            sb.Append('}');
        }
        if (!cut && (ulong)n < count)
        {
            if (n > 0) sb.Append(", ");
            if (n >= Math.Min(c.StringLimit, CaptureSlot.MaxMessages))
                sb.Append("..."); // more than the limit shows
            else
            {
                sb.Append("... /* "); // the rest could not be read
                StraceText.Pointer(sb, addr + (ulong)(n * size));
                sb.Append(" */");
            }
        }
        sb.Append(']');
    }

    /// <summary>struct ucred, as far as it was written: {pid=1, uid=0, gid=0}.</summary>
    internal static void Ucred(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append("{pid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(Inv));
        if (b.Length >= 8) sb.Append(", uid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[4..]).ToString(Inv));
        if (b.Length >= 12) sb.Append(", gid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[8..]).ToString(Inv));
        sb.Append('}');
    }

    /// <summary>msg_control: [{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[3&lt;...&gt;]}].
    /// Types are named for SOL_SOCKET and SOL_IP only (other levels' types in hex, as strace 6.1 does).</summary>
    internal static void ControlMessages(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> b, ulong addr, ulong controlLength)
    {
        sb.Append('[');
        long off = 0;
        // struct cmsghdr: {size_t len; int level, type;}, aligned to a long: 16 and 8 bytes on
        // x86_64, 12 and 4 on i386 (the record's ABI).
        int hs = c.Signature.Compat ? 12 : 16;
        ulong align = c.Signature.Compat ? 3UL : 7UL;
        while (b.Length - off >= hs)
        {
            int o = (int)off;
            ulong len = hs == 12 ? BinaryPrimitives.ReadUInt32LittleEndian(b[o..]) : BinaryPrimitives.ReadUInt64LittleEndian(b[o..]);
            int level = BinaryPrimitives.ReadInt32LittleEndian(b[(o + hs - 8)..]);
            int type = BinaryPrimitives.ReadInt32LittleEndian(b[(o + hs - 4)..]);
            if (off > 0) sb.Append(", ");
            sb.Append("{cmsg_len=").Append(len.ToString(Inv)).Append(", cmsg_level=");
            FlagTables.Enum(sb, (uint)level, SocketLevels, "SOL_???");
            sb.Append(", cmsg_type=");
            switch (level)
            {
                case 1: FlagTables.Enum(sb, (uint)type, ScmTypes, "SCM_???"); break;
                case 0: FlagTables.Enum(sb, (uint)type, IpCmsgTypes, "IP_???"); break;
                default: StraceText.Hex(sb, (uint)type); break;
            }
            int dataLen = (int)Math.Min(len > (ulong)hs ? len - (ulong)hs : 0, (ulong)(b.Length - o - hs));
            if (dataLen > 0)
                ControlData(ref c, sb, level, type, b.Slice(o + hs, dataLen));
            sb.Append('}');
            // the next header starts at the aligned length (a header's worth for a short one)
            ulong step = len <= (ulong)hs ? (ulong)hs : len >= (ulong)b.Length ? (ulong)b.Length + 1 : (len + align) & ~align;
            off += (long)step;
            if (len < (ulong)hs)
                break;
        }
        if (off < b.Length) // bytes left that hold no whole header (or follow a broken one)
        {
            if (off > 0) sb.Append(", ");
            sb.Append("... /* ");
            StraceText.Pointer(sb, addr + (ulong)off);
            sb.Append(" */");
        }
        else if ((ulong)b.Length < controlLength) // more than was read
            sb.Append(", ...");
        sb.Append(']');
    }

    /// <summary>", cmsg_data=..." for the types strace 6.1 decodes: nothing when the data is too
    /// short for an array's first element or a structure, "???" for a short timestamp.</summary>
    internal static void ControlData(ref DecodeContext c, StringBuilder sb, int level, int type, ReadOnlySpan<byte> data)
    {
        switch ((level, type))
        {
            case (1, 1): // SCM_RIGHTS: the descriptors, annotated in capture order
                if (data.Length < 4) return;
                sb.Append(", cmsg_data=[");
                for (int k = 0; k < data.Length / 4; k++)
                {
                    if (k > 0) sb.Append(", ");
                    if (k == c.StringLimit) { sb.Append("..."); c.ArrayFdNext += data.Length / 4 - k; break; }
                    ArrayFd(ref c, sb, BinaryPrimitives.ReadInt32LittleEndian(data[(k * 4)..]));
                }
                sb.Append(']');
                return;
            case (1, 2): // SCM_CREDENTIALS
                if (data.Length < 12) return;
                sb.Append(", cmsg_data=");
                Ucred(sb, data);
                return;
            case (1 or 0, 3): // SCM_SECURITY: the security context, every byte
                sb.Append(", cmsg_data=");
                StraceText.Quote(sb, data, false);
                return;
            case (1, 29 or 63): // SO_TIMESTAMP_OLD, SO_TIMESTAMP_NEW: a timeval (both 64-bit here)
            case (1, 35 or 64): // SO_TIMESTAMPNS_OLD, SO_TIMESTAMPNS_NEW: a timespec
                sb.Append(", cmsg_data=");
                if (data.Length < 16) sb.Append("???"); else Time(sb, data, type is 29 or 63);
                return;
            case (1, 37 or 65): // SO_TIMESTAMPING_OLD, SO_TIMESTAMPING_NEW: three timespecs
                sb.Append(", cmsg_data=");
                if (data.Length < 48) { sb.Append("???"); return; }
                for (int k = 0; k < 3; k++)
                {
                    sb.Append(k == 0 ? "[" : ", ");
                    Time(sb, data[(k * 16)..], false);
                }
                sb.Append(']');
                return;
            case (0, 1 or 6 or 7): // IP_TOS, IP_RECVOPTS, IP_RETOPTS: bytes in hex
                sb.Append(", cmsg_data=[");
                for (int k = 0; k < data.Length; k++)
                {
                    if (k > 0) sb.Append(", ");
                    if (k == c.StringLimit) { sb.Append("..."); break; }
                    StraceText.Hex(sb, data[k]);
                }
                sb.Append(']');
                return;
            case (0, 2 or 23): // IP_TTL, IP_CHECKSUM: unsigned ints
                if (data.Length < 4) return;
                sb.Append(", cmsg_data=[");
                for (int k = 0; k < data.Length / 4; k++)
                {
                    if (k > 0) sb.Append(", ");
                    if (k == c.StringLimit) { sb.Append("..."); break; }
                    sb.Append(BinaryPrimitives.ReadUInt32LittleEndian(data[(k * 4)..]).ToString(Inv));
                }
                sb.Append(']');
                return;
            case (0, 8): // IP_PKTINFO: struct in_pktinfo
                if (data.Length < 12) return;
                sb.Append(", cmsg_data={ipi_ifindex=");
                InterfaceIndex(sb, BinaryPrimitives.ReadUInt32LittleEndian(data));
                sb.Append(", ipi_spec_dst=");
                InetAddrField(sb, data[4..]);
                sb.Append(", ipi_addr=");
                InetAddrField(sb, data[8..]);
                sb.Append('}');
                return;
            case (0, 20): // IP_ORIGDSTADDR: a sockaddr, at least a struct sockaddr's worth
                if (data.Length < 16) return;
                sb.Append(", cmsg_data=");
                Sockaddr(sb, data);
                return;
            case (0, 11): // IP_RECVERR: struct sock_extended_err, then the offender's sockaddr_in
                if (data.Length < 32) return;
                sb.Append(", cmsg_data={ee_errno=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data).ToString(Inv))
                  .Append(", ee_origin=").Append(data[4]).Append(", ee_type=").Append(data[5]).Append(", ee_code=").Append(data[6])
                  .Append(", ee_info=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data[8..]).ToString(Inv))
                  .Append(", ee_data=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data[12..]).ToString(Inv)).Append(", offender=");
                Sockaddr(sb, data.Slice(16, 16));
                sb.Append('}');
                return;
        }
    }
}
