using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding;

/// <summary>What a formatter sees of one call: raw registers, result and the captures.</summary>
internal ref struct DecodeContext
{
    public SyscallSignature Signature;
    public ReadOnlySpan<ulong> Args;
    public long Return;
    public bool Failed;
    public bool Unfinished;
    public int StringLimit;
    public CapturedData Data;
    /// <summary>The next descriptor annotation inside an array (fd_set bits, SCM_RIGHTS), numbered
    /// across the call's arguments in the order the tracer captured them.</summary>
    public int ArrayFdNext;

    public readonly int Errno => Failed ? (int)-Return : 0;
}

/// <summary>
/// Turns a call's registers and captured memory into strace's text, on the consumer thread: one
/// formatter per argument kind (the switch in <see cref="FormatArgument"/>), driven by the
/// syscall's signature. The result text is strace's too ("3&lt;/etc/passwd&gt;", "0x7f..",
/// "-1 ENOENT (No such file or directory)", "1 ([{fd=3, revents=POLLIN}])").
/// </summary>
internal static class SyscallDecoder
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void FormatArguments(ref DecodeContext c, StringBuilder sb)
    {
        ArgKind[]? kinds = c.Signature.Arguments;
        if (kinds is null)
        {
            for (int i = 0; i < c.Signature.RawArgumentCount && i < 6; i++)
            {
                if (i > 0) sb.Append(", ");
                StraceText.Hex(sb, c.Args[i]);
            }
            return;
        }
        if (c.Signature.Printer is { } printer)
        {
            printer.PrintArguments(ref c, sb);
            return;
        }
        bool first = true;
        c.ArrayFdNext = 0;
        for (int i = 0; i < kinds.Length && i < 6; i++)
        {
            int mark = sb.Length;
            if (!first) sb.Append(", ");
            int before = sb.Length;
            if (!FormatArgument(ref c, kinds[i], i, sb))
            {
                sb.Length = mark; // an argument strace leaves out (openat's mode without O_CREAT)
                continue;
            }
            if (sb.Length == before && kinds[i] == ArgKind.Skip)
            {
                sb.Length = mark;
                continue;
            }
            first = false;
        }
    }

    private static bool FormatArgument(ref DecodeContext c, ArgKind kind, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        bool exitValid = !c.Failed && !c.Unfinished;
        ReadOnlySpan<byte> b;
        switch (kind)
        {
            case ArgKind.Int:
            case ArgKind.Long:
            case ArgKind.ULong:
                Decimal(sb, v, c.Signature.Types![i]);
                return true;
            case ArgKind.Hex: StraceText.Hex(sb, v); return true;
            case ArgKind.Pointer: StraceText.Pointer(sb, v); return true;
            case ArgKind.Fd: Fd(ref c, sb, (int)v, CaptureSlot.FdLink(i)); return true;
            case ArgKind.DirFd:
                if ((int)v == -1 && c.Signature.Name == "fanotify_mark") { sb.Append("FAN_NOFD"); return true; }
                if ((int)v == -100)
                {
                    sb.Append("AT_FDCWD");
                    if (c.Data.TryGetFull(CaptureSlot.FdLink(i), 1, out b)) StraceText.Link(sb, b);
                }
                else
                {
                    Fd(ref c, sb, (int)v, CaptureSlot.FdLink(i));
                }
                return true;
            case ArgKind.Path:
            case ArgKind.String:
                StringArg(ref c, sb, v, CaptureSlot.Entry(i));
                return true;
            case ArgKind.OpenFlags: OpenFlags(sb, v); return true;
            case ArgKind.OpenMode:
                // The mode is read with O_CREAT or __O_TMPFILE (with or without O_DIRECTORY).
                if ((c.Args[i - 1] & 0x40) == 0 && (c.Args[i - 1] & 0x400000) == 0)
                    return false;
                StraceText.Octal(sb, v);
                return true;
            case ArgKind.MmapFlags:
                FlagTables.Enum(sb, v & 0xf, MmapType, "MAP_???");
                if ((v & ~0xfUL) != 0) { sb.Append('|'); Flags(sb, v & ~0xfUL, FlagTables.MmapFlags, "MAP_???"); }
                return true;
            case ArgKind.TimespecLeft:
            case ArgKind.TimevalLeft:
                if (v == 0) { sb.Append("NULL"); return true; }
                if (c.Data.TryGetFull(CaptureSlot.Entry(i), 16, out b)) Time(sb, b, kind == ArgKind.TimevalLeft); else StraceText.Pointer(sb, v);
                return true;
            case ArgKind.SocketType:
                FlagTables.Enum(sb, v & 0xf, SocketTypes, "SOCK_???");
                if ((v & ~0xfUL) != 0) { sb.Append('|'); Flags(sb, v & ~0xfUL, SocketTypeFlags, "SOCK_???"); }
                return true;
            case ArgKind.SocketProtocol:
                switch (c.Args[0])
                {
                    case 2 or 10: FlagTables.Enum(sb, v, IpProtocols, "IPPROTO_???", false); break;
                    case 16: FlagTables.Enum(sb, v, NetlinkProtocols, "NETLINK_???", false); break;
                    default: sb.Append(((int)v).ToString(Inv)); break;
                }
                return true;
            case ArgKind.SocketLevel: FlagTables.Enum(sb, (uint)v, SocketLevels, "SOL_??"); return true;
            case ArgKind.SocketOption:
                bool setting = c.Signature.Name == "setsockopt";
                switch ((int)c.Args[i - 1])
                {
                    // Some numbers have a setsockopt name of their own (SO_GET_FILTER is SO_ATTACH_FILTER).
                    case 0 when setting && FlagTables.NameOf((uint)v, SetIpOptions) is string setName: sb.Append(setName); break;
                    case 1 when setting && FlagTables.NameOf((uint)v, SetSocketOptions) is string setName: sb.Append(setName); break;
                    case 41 when setting && FlagTables.NameOf((uint)v, SetIpv6Options) is string setName: sb.Append(setName); break;
                    case 0: FlagTables.Enum(sb, (uint)v, IpOptions, "IP_???"); break;
                    case 1: FlagTables.Enum(sb, (uint)v, SocketOptions, "SO_???"); break;
                    case 6: FlagTables.Enum(sb, (uint)v, TcpOptions, "TCP_???"); break;
                    case 41: FlagTables.Enum(sb, (uint)v, Ipv6Options, "IPV6_???"); break;
                    case 270: FlagTables.Enum(sb, (uint)v, NetlinkOptions, "NETLINK_???"); break;
                    case 263: FlagTables.Enum(sb, (uint)v, Codecs.NetSockaddrFamilies.PacketOptions, "PACKET_???"); break;
                    case 255: FlagTables.Enum(sb, (uint)v, RawOptions, "ICMP_???"); break;
                    default: sb.Append(((int)v).ToString(Inv)); break;
                }
                return true;
            case ArgKind.SockoptValIn:
                if (v == 0) { sb.Append("NULL"); return true; }
                if (c.Data.TryGetFull(CaptureSlot.Entry(i), 0, out b)) SockoptValue(ref c, sb, b, (int)c.Args[i + 1], set: true);
                else StraceText.Pointer(sb, v);
                return true;
            case ArgKind.SockoptValOut:
                if (v == 0) { sb.Append("NULL"); return true; }
                if (exitValid && (int)c.Args[1] == 270 && (int)c.Args[2] == 9 && c.Data.TryGetFull(CaptureSlot.Entry(i + 1), 4, out b)
                    && Math.Min(BinaryPrimitives.ReadInt32LittleEndian(b), ReturnedSocklen(ref c, i + 1, int.MaxValue)) < 4)
                    sb.Append("[]"); // NETLINK_LIST_MEMBERSHIPS: no whole element to read
                else if (exitValid && c.Data.TryGetFull(CaptureSlot.Exit(i), 1, out b)) SockoptValue(ref c, sb, b, ReturnedSocklen(ref c, i + 1, b.Length), set: false);
                else StraceText.Pointer(sb, v);
                return true;
            case ArgKind.IovecIn:
                if (c.Data.TryGetFull(CaptureSlot.Entry(i), 4, out b)) Iovec(ref c, sb, b, c.Args[i + 1], v); else StraceText.Pointer(sb, v);
                return true;
            case ArgKind.IovecOut:
                if (!c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(i), 4, out b)) Iovec(ref c, sb, b, c.Args[i + 1], v); else StraceText.Pointer(sb, v);
                return true;
            case ArgKind.MsghdrIn:
                if (c.Data.TryGetFull(CaptureSlot.Entry(i), MessageHeader.Size, out b)) Msghdr(ref c, sb, b); else StraceText.Pointer(sb, v);
                return true;
            case ArgKind.MsghdrOut:
            {
                int given = c.Data.TryGetFull(CaptureSlot.Entry(i), 4, out b) ? BinaryPrimitives.ReadInt32LittleEndian(b) : -1;
                if (exitValid && c.Data.TryGetFull(CaptureSlot.Exit(i), MessageHeader.Size, out b))
                    Msghdr(ref c, sb, b, CaptureSlot.Extra, CaptureSlot.Extra + 1, CaptureSlot.ControlData, given);
                else if (c.Failed && given >= 0 && v != 0)
                    sb.Append("{msg_namelen=").Append(given.ToString(Inv)).Append('}'); // strace: only what it read at entry
                else
                    StraceText.Pointer(sb, v);
                return true;
            }
            case ArgKind.MmsghdrIn:
                // Shown as sent, with each message's msg_len once the call has filled it in.
                if (c.Data.TryGetFull(CaptureSlot.Entry(i), ArgumentCapture.MmsgSize, out b))
                    Mmsghdrs(ref c, sb, b, exitValid && c.Data.TryGetFull(CaptureSlot.Exit(i), ArgumentCapture.MmsgSize, out ReadOnlySpan<byte> sent) ? sent : default, c.Args[i + 1], v);
                else
                    StraceText.Pointer(sb, v);
                return true;
            case ArgKind.MmsghdrOut:
                if (exitValid && c.Data.TryGetFull(CaptureSlot.Exit(i), ArgumentCapture.MmsgSize, out b))
                    Mmsghdrs(ref c, sb, b, b, (ulong)c.Return, v, c.Data.TryGetFull(CaptureSlot.Entry(i), ArgumentCapture.MmsgSize, out ReadOnlySpan<byte> given) ? given : default);
                else StraceText.Pointer(sb, v);
                return true;
            case ArgKind.PollFds:
                if (c.Data.TryGetFull(CaptureSlot.Entry(i), 0, out b)) PollIn(ref c, sb, b, c.Args[i + 1]); else StraceText.Pointer(sb, v);
                return true;
            case ArgKind.PipeFds:
                if (exitValid && c.Data.TryGetFull(CaptureSlot.Exit(i), 8, out b))
                {
                    sb.Append('[');
                    Fd(ref c, sb, BinaryPrimitives.ReadInt32LittleEndian(b), CaptureSlot.PairFdLink0);
                    sb.Append(", ");
                    Fd(ref c, sb, BinaryPrimitives.ReadInt32LittleEndian(b[4..]), CaptureSlot.PairFdLink1);
                    sb.Append(']');
                }
                else
                {
                    StraceText.Pointer(sb, v);
                }
                return true;
            case ArgKind.Argv:
                if (v == 0) { sb.Append("NULL"); return true; }
                if (c.Data.TryGetFull(CaptureSlot.Entry(i), 8, out b)) Argv(sb, b); else StraceText.Pointer(sb, v);
                return true;
            case ArgKind.Envp:
                if (v == 0) { sb.Append("NULL"); return true; }
                StraceText.Pointer(sb, v);
                if (c.Data.TryGetFull(CaptureSlot.Entry(i), 8, out b))
                {
                    long n = BinaryPrimitives.ReadInt64LittleEndian(b);
                    sb.Append(" /* ").Append(n.ToString(Inv)).Append(n == 1 ? " var */" : " vars */");
                }
                return true;
            case ArgKind.CloneFlags: Clone(ref c, sb); return true;
            case ArgKind.CloneArgs:
                // The kernel reads the size it is given: a struct that cannot be read whole is shown as
                // its address, as strace does after a short read.
                if (c.Data.TryGet(CaptureSlot.Entry(i), out b, out CaptureStatus cloneStatus) && cloneStatus == CaptureStatus.Ok && b.Length >= 64)
                    CloneArgs(ref c, sb, b, i);
                else
                    StraceText.Pointer(sb, v);
                return true;
            case ArgKind.ArchPrctlCode:
                FlagTables.Enum(sb, v, ArchPrctlCodes, "ARCH_???");
                sb.Append(", ");
                if (v is 0x1003 or 0x1004 && exitValid && c.Data.TryGetFull(CaptureSlot.Exit(1), 8, out b))
                {
                    sb.Append('[');
                    StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b));
                    sb.Append(']');
                }
                else
                {
                    StraceText.Pointer(sb, c.Args[1]);
                }
                return true;
            case ArgKind.DirentsOut:
                StraceText.Pointer(sb, v);
                if (exitValid)
                {
                    long n = c.Data.TryGetFull(CaptureSlot.Exit(i), 8, out b) ? BinaryPrimitives.ReadInt64LittleEndian(b) : 0;
                    sb.Append(" /* ").Append(n.ToString(Inv)).Append(n == 1 ? " entry */" : " entries */");
                }
                return true;
            case ArgKind.RtSigreturn:
                sb.Append("{mask=");
                if (c.Data.TryGetFull(CaptureSlot.Entry(i), 8, out b)) Sigset(sb, b); else sb.Append('?');
                sb.Append('}');
                return true;
            case ArgKind.StatxMask: StatxMaskFlags(sb, v); return true;
            case ArgKind.StatxFlags:
                FlagTables.Enum(sb, v & 0x6000, StatxSync, "AT_STATX_???");
                if ((v & ~0x6000UL) != 0) { sb.Append('|'); Flags(sb, v & ~0x6000UL, AtFlags, "AT_???"); }
                return true;
            case ArgKind.MremapAddress:
                if ((c.Args[i - 1] & 6) == 0)
                    return false;
                StraceText.Pointer(sb, v);
                return true;
            case ArgKind.FdSet:
                if (v == 0) { sb.Append("NULL"); return true; }
                // strace shows the address unless all of nfds' bits (in whole longs) could be read
                if ((int)c.Args[0] >= 0 && c.Data.TryGet(CaptureSlot.Entry(i), out b, out CaptureStatus fdSetStatus) && fdSetStatus == CaptureStatus.Ok && b.Length > 0)
                    FdSet(ref c, sb, b, annotate: true);
                else StraceText.Pointer(sb, v);
                return true;
            case ArgKind.PselectSigmask:
                if (v == 0) { sb.Append("NULL"); return true; }
                if (!c.Data.TryGetFull(CaptureSlot.Entry(i), 16, out b)) { StraceText.Pointer(sb, v); return true; }
                ulong set = BinaryPrimitives.ReadUInt64LittleEndian(b);
                sb.Append("{sigmask=");
                if (set != 0 && c.Data.TryGetFull(CaptureSlot.Extra, 8, out ReadOnlySpan<byte> mask)) Sigset(sb, mask); else StraceText.Pointer(sb, set);
                sb.Append(", sigsetsize=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[8..]).ToString(Inv)).Append('}');
                return true;
            case ArgKind.Skip: return false;
            case ArgKind.Codec: return c.Signature.Codecs![i]!.Print(ref c, i, sb);
            default: StraceText.Hex(sb, v); return true;
        }
    }

    // ---- results ----
    public static string FormatResult(ref DecodeContext c, StringBuilder sb)
    {
        sb.Clear();
        if (c.Unfinished)
            return "?";
        if (c.Failed)
        {
            int errno = c.Errno;
            string name = ErrnoNames.GetName(errno) ?? errno.ToString(Inv);
            // Kernel-internal restart codes never reach the program: strace shows "?".
            sb.Append(errno >= 512 ? "? " : "-1 ").Append(name).Append(" (").Append(ErrnoNames.GetMessage(errno)).Append(')');
            return sb.ToString();
        }
        long ret = c.Return;
        ReadOnlySpan<byte> b;
        if (c.Signature.Printer is { } printer)
        {
            printer.PrintResult(ref c, sb);
            return sb.ToString();
        }
        if (c.Signature.ResultCodec is { } decoration)
        {
            if (c.Signature.ReturnKind == ReturnKind.Hex) StraceText.Hex(sb, (ulong)ret); else sb.Append(ret.ToString(Inv));
            decoration.PrintResult(ref c, ret, sb);
            return sb.ToString();
        }
        switch (c.Signature.ReturnKind)
        {
            case ReturnKind.Fd:
                sb.Append(ret.ToString(Inv));
                if (c.Data.TryGetFull(CaptureSlot.ReturnFdLink, 1, out b)) StraceText.Link(sb, b);
                return sb.ToString();
            case ReturnKind.Hex:
                StraceText.Hex(sb, (ulong)ret);
                return sb.ToString();
            case ReturnKind.Octal:
                StraceText.Octal(sb, (ulong)ret);
                return sb.ToString();
            case ReturnKind.Signal:
                sb.Append(ret.ToString(Inv)).Append(" (").Append(SignalNames.GetName((int)ret)).Append(')');
                return sb.ToString();
        }
        sb.Append(ret.ToString(Inv));
        switch (c.Signature.Name)
        {
            case "poll" or "ppoll":
                if (ret == 0)
                {
                    sb.Append(" (Timeout)");
                }
                else if (c.Data.TryGetFull(CaptureSlot.Exit(0), 8, out b))
                {
                    sb.Append(" (");
                    PollOut(ref c, sb, b);
                    if (c.Signature.Name == "ppoll" && c.Data.TryGetFull(CaptureSlot.Exit(2), 16, out b))
                    {
                        sb.Append(", left ");
                        Time(sb, b, false);
                    }
                    sb.Append(')');
                }
                break;
            case "select" or "pselect6":
                if (ret == 0)
                    sb.Append(" (Timeout)");
                else
                    SelectResult(ref c, sb);
                break;
        }
        return sb.ToString();
    }

    // ---- helpers by kind ----
    /// <summary>A number in decimal as its C type reads (the value is already narrowed to it).</summary>
    internal static void Decimal(StringBuilder sb, ulong v, CType type)
    {
        switch (type)
        {
            case CType.Int: sb.Append(((int)v).ToString(Inv)); break;
            case CType.Long: sb.Append(((long)v).ToString(Inv)); break;
            case CType.Uid:
                if ((uint)v == uint.MaxValue) sb.Append("-1"); else sb.Append(((uint)v).ToString(Inv));
                break;
            default: sb.Append(v.ToString(Inv)); break;
        }
    }

    internal static void Fd(ref DecodeContext c, StringBuilder sb, int fd, int slot)
    {
        sb.Append(fd.ToString(Inv));
        if (fd >= 0 && c.Data.TryGetFull(slot, 1, out ReadOnlySpan<byte> link))
            StraceText.Link(sb, link);
    }

    private static void StringArg(ref DecodeContext c, StringBuilder sb, ulong v, int slot)
    {
        if (v == 0) { sb.Append("NULL"); return; }
        if (!c.Data.TryGet(slot, out ReadOnlySpan<byte> b, out CaptureStatus st) || st == CaptureStatus.Fault)
        {
            StraceText.Pointer(sb, v);
            return;
        }
        StraceText.Quote(sb, b, st == CaptureStatus.Truncated);
    }

    internal static void OpenFlags(StringBuilder sb, ulong v)
    {
        sb.Append(FlagTables.NameOf(v & 3, OpenAccess));
        if ((v & ~3UL) != 0)
        {
            sb.Append('|');
            int mark = sb.Length;
            Flags(sb, v & ~3UL, FlagTables.OpenFlags, "O_???");
            // After the access mode, unknown bits alone are "|0x..", with no comment (strace).
            if (sb.Length > mark && sb[mark] == '0' && sb[sb.Length - 1] == '/')
                sb.Length -= " /* O_??? */".Length;
        }
    }

    internal static void StatxMaskFlags(StringBuilder sb, ulong v)
    {
        if (v == 0) { sb.Append('0'); return; }
        if ((v & 0x0fff) == 0x0fff) { sb.Append("STATX_ALL"); v &= ~0x0fffUL; if (v != 0) sb.Append('|'); else return; }
        else if ((v & 0x07ff) == 0x07ff) { sb.Append("STATX_BASIC_STATS"); v &= ~0x07ffUL; if (v != 0) sb.Append('|'); else return; }
        Flags(sb, v, FlagTables.StatxMask, "STATX_???");
    }

    /// <summary>[INT CHLD] or ~[RTMIN RT_1] (the complement when more than half are set).</summary>
    internal static void Sigset(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        ulong mask = 0;
        for (int k = Math.Min(b.Length, 8) - 1; k >= 0; k--)
            mask = (mask << 8) | b[k];
        int bits = Math.Min(b.Length, 8) * 8;
        if (System.Numerics.BitOperations.PopCount(mask) >= bits / 2)
        {
            sb.Append('~');
            mask = ~mask;
            if (bits < 64) mask &= (1UL << bits) - 1;
        }
        sb.Append('[');
        bool first = true;
        for (int s = 1; s <= bits; s++)
        {
            if ((mask & (1UL << (s - 1))) == 0)
                continue;
            if (!first) sb.Append(' ');
            first = false;
            string name = SignalNames.GetName(s);
            sb.Append(name.StartsWith("SIG", StringComparison.Ordinal) ? name[3..] : name);
        }
        sb.Append(']');
    }


    internal static void Mode(StringBuilder sb, uint mode)
    {
        string? type = FlagTables.NameOf(mode & 0xF000, FileTypes);
        if (type is not null) sb.Append(type).Append('|');
        else if ((mode & 0xF000) != 0) sb.Append('0').Append(Convert.ToString(mode & 0xF000, 8)).Append('|');
        if ((mode & 0x800) != 0) sb.Append("S_ISUID|");
        if ((mode & 0x400) != 0) sb.Append("S_ISGID|");
        if ((mode & 0x200) != 0) sb.Append("S_ISVTX|");
        StraceText.Octal(sb, mode & 0x1FF);
    }

    internal static void Makedev(StringBuilder sb, ulong dev)
    {
        ulong major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL);
        ulong minor = (dev & 0xff) | ((dev >> 12) & ~0xffUL);
        sb.Append("makedev(");
        StraceText.Hex(sb, major);
        sb.Append(", ");
        StraceText.Hex(sb, minor);
        sb.Append(')');
    }



    private static readonly Named[] StatxSync =
    {
        new(0, "AT_STATX_SYNC_AS_STAT"), new(0x2000, "AT_STATX_FORCE_SYNC"), new(0x4000, "AT_STATX_DONT_SYNC"),
    };





    internal static void Time(StringBuilder sb, ReadOnlySpan<byte> b, bool timeval)
    {
        sb.Append("{tv_sec=").Append(BinaryPrimitives.ReadInt64LittleEndian(b).ToString(Inv))
          .Append(timeval ? ", tv_usec=" : ", tv_nsec=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[8..]).ToString(Inv)).Append('}'); // strace: the fraction unsigned
    }




    internal static void CString(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        int nul = b.IndexOf((byte)0);
        StraceText.Quote(sb, nul >= 0 ? b[..nul] : b, false);
    }

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
                        CString(sb, path);
                    }
                }
                break;
            case 2 when b.Length >= 16: // AF_INET: a whole sockaddr_in, else sa_data
                sb.Append(", sin_port=htons(").Append(BinaryPrimitives.ReadUInt16BigEndian(b[2..]).ToString(Inv)).Append("), sin_addr=");
                InetAddr(sb, b[4..]);
                break;
            case 10 when b.Length >= 24: // AF_INET6
                sb.Append(", sin6_port=htons(").Append(BinaryPrimitives.ReadUInt16BigEndian(b[2..]).ToString(Inv))
                  .Append("), sin6_flowinfo=htonl(").Append(BinaryPrimitives.ReadUInt32BigEndian(b[4..]).ToString(Inv))
                  .Append("), inet_pton(AF_INET6, \"").Append(new System.Net.IPAddress(b.Slice(8, 16)).ToString())
                  .Append("\", &sin6_addr)");
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
    private static void SockaddrAx25(StringBuilder sb, ReadOnlySpan<byte> b)
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
    private static void Ax25Address(StringBuilder sb, ReadOnlySpan<byte> a)
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
    private static void SockaddrLl(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append(", sll_protocol=htons(");
        ushort protocol = BinaryPrimitives.ReadUInt16BigEndian(b[2..]);
        FlagTables.Enum(sb, protocol, EthernetProtocols, "ETH_P_???");
        sb.Append("), sll_ifindex=");
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

    private static void Iovec(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> blob, ulong count, ulong address)
    {
        int n = BinaryPrimitives.ReadInt32LittleEndian(blob);
        bool cut = n < 0; // the array unreadable after n elements
        if (cut) n = ~n;
        int off = 4;
        sb.Append('[');
        for (int e = 0; e < n; e++)
        {
            if (e > 0) sb.Append(", ");
            if (e == c.StringLimit) { sb.Append("..."); break; }
            ulong bas = BinaryPrimitives.ReadUInt64LittleEndian(blob[off..]);
            ulong len = BinaryPrimitives.ReadUInt64LittleEndian(blob[(off + 8)..]);
            var st = (CaptureStatus)blob[off + 16];
            int got = BinaryPrimitives.ReadInt32LittleEndian(blob[(off + 17)..]);
            ReadOnlySpan<byte> data = blob.Slice(off + 21, got);
            off += 21 + got;
            sb.Append("{iov_base=");
            if (st == CaptureStatus.Fault) StraceText.Pointer(sb, bas);
            else StraceText.Quote(sb, data, st == CaptureStatus.Truncated); // past a read's end: ""
            sb.Append(", iov_len=").Append(len.ToString(Inv)).Append('}');
        }
        if (cut && n <= c.StringLimit) // a failed fetch shows before the limit's "..."
        {
            sb.Append(", ... /* ");
            StraceText.Pointer(sb, address + (ulong)n * 16);
            sb.Append(" */");
        }
        else if (n < c.StringLimit && (ulong)n < count)
            sb.Append(", ...");
        sb.Append(']');
    }

    private static void Msghdr(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> bytes)
        => Msghdr(ref c, sb, bytes, CaptureSlot.Extra, CaptureSlot.Extra + 1, CaptureSlot.ControlData);

    /// <summary>A msghdr whose name, iovec and control messages were captured in these slots
    /// (controlSlot -1: not captured, shown as the address).</summary>
    private static void Msghdr(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> bytes, int nameSlot, int iovSlot, int controlSlot, int givenNameLength = -1)
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
        if (c.Data.TryGetFull(iovSlot, 4, out ReadOnlySpan<byte> iov)) Iovec(ref c, sb, iov, h.IovLength, h.Iov);
        else StraceText.Pointer(sb, h.Iov);
        sb.Append(", msg_iovlen=").Append(h.IovLength.ToString(Inv));
        if (h.Control != 0 && h.ControlLength != 0) // strace leaves out a control buffer of no length
        {
            sb.Append(", msg_control=");
            if (controlSlot >= 0 && c.Data.TryGetFull(controlSlot, 16, out ReadOnlySpan<byte> ctl)) ControlMessages(ref c, sb, ctl, h.Control, h.ControlLength);
            else StraceText.Pointer(sb, h.Control);
        }
        sb.Append(", msg_controllen=").Append(h.ControlLength.ToString(Inv)).Append(", msg_flags=");
        Flags(sb, (ulong)(uint)h.Flags, FlagTables.MsgFlags, "MSG_???");
        sb.Append('}');
    }

    /// <summary>[{msg_hdr={...}, msg_len=3}, ...]: <paramref name="lengths"/> holds the headers as the
    /// kernel left them (their msg_len), or nothing when the call did not complete.</summary>
    private static void Mmsghdrs(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> headers, ReadOnlySpan<byte> lengths, ulong count, ulong addr, ReadOnlySpan<byte> given = default)
    {
        const int size = ArgumentCapture.MmsgSize;
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

    private static void PollIn(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> b, ulong nfds)
    {
        sb.Append('[');
        int n = b.Length / 8;
        for (int k = 0; k < n; k++)
        {
            if (k > 0) sb.Append(", ");
            if (k == c.StringLimit) { sb.Append("..."); break; }
            int fd = BinaryPrimitives.ReadInt32LittleEndian(b[(k * 8)..]);
            short events = BinaryPrimitives.ReadInt16LittleEndian(b[(k * 8 + 4)..]);
            sb.Append("{fd=");
            if (k < 64) Fd(ref c, sb, fd, CaptureSlot.ArrayFdLink(k)); else sb.Append(fd);
            sb.Append(", events=");
            Flags(sb, (ushort)events, PollEvents, "POLL???");
            sb.Append('}');
        }
        sb.Append(']');
    }

    /// <summary>The descriptors with events: [{fd=3, revents=POLLIN}].</summary>
    private static void PollOut(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append('[');
        bool first = true;
        int shown = 0;
        for (int k = 0; k < b.Length / 8; k++)
        {
            short revents = BinaryPrimitives.ReadInt16LittleEndian(b[(k * 8 + 6)..]);
            if (revents == 0) continue;
            if (!first) sb.Append(", ");
            first = false;
            if (shown++ == c.StringLimit) { sb.Append("..."); break; }
            sb.Append("{fd=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[(k * 8)..]).ToString(Inv)).Append(", revents=");
            Flags(sb, (ushort)revents, PollEvents, "POLL???");
            sb.Append('}');
        }
        sb.Append(']');
    }

    /// <summary>select's result: the ready sets as written back and the time left,
    /// " (in [3], out [4], left {tv_sec=0, tv_usec=0})".</summary>
    private static void SelectResult(ref DecodeContext c, StringBuilder sb)
    {
        sb.Append(" (");
        bool any = false;
        for (int i = 1; i <= 3; i++)
        {
            if (!c.Data.TryGetFull(CaptureSlot.Exit(i), 1, out ReadOnlySpan<byte> set) || !AnyFdSet(set, c.Args[0]))
                continue;
            if (any) sb.Append(", ");
            any = true;
            sb.Append(i switch { 1 => "in ", 2 => "out ", _ => "exc " });
            FdSet(ref c, sb, set, annotate: false);
        }
        if (c.Data.TryGetFull(CaptureSlot.Exit(4), 16, out ReadOnlySpan<byte> left))
        {
            if (any) sb.Append(", ");
            any = true;
            sb.Append("left ");
            Time(sb, left, c.Signature.Name == "select");
        }
        sb.Append(')'); // "()" when nothing was ready to show, as strace prints it
    }

    private static bool AnyFdSet(ReadOnlySpan<byte> set, ulong nfds)
    {
        int bits = (int)Math.Min(nfds, (ulong)set.Length * 8);
        for (int fd = 0; fd < bits; fd++)
            if ((set[fd / 8] & (1 << (fd % 8))) != 0)
                return true;
        return false;
    }

    /// <summary>[3&lt;pipe:[1]&gt; 4&lt;pipe:[1]&gt;]: the descriptors below nfds whose bits are set.</summary>
    private static void FdSet(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> set, bool annotate)
    {
        int bits = (int)Math.Min(c.Args[0], (ulong)set.Length * 8);
        sb.Append('[');
        bool first = true;
        for (int fd = 0; fd < bits; fd++)
        {
            if ((set[fd / 8] & (1 << (fd % 8))) == 0)
                continue;
            if (!first) sb.Append(' ');
            first = false;
            if (annotate) ArrayFd(ref c, sb, fd); else sb.Append(fd.ToString(Inv));
        }
        sb.Append(']');
    }

    /// <summary>A socket option's value as strace 6.1 shows it: the structures it knows by name
    /// (linger, ucred, sock_fprog, ip_mreq, ipv6_mreq), [int] for the int-valued options and for any
    /// 4-byte value, otherwise the bytes. <paramref name="set"/>: setsockopt, whose
    /// <paramref name="length"/> is its argument; getsockopt's is the length the kernel returned.</summary>
    private static void SockoptValue(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> b, int length, bool set)
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
    private static bool SetsockoptStruct(StringBuilder sb, int level, int option, ReadOnlySpan<byte> b, int length, ulong addr)
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
                InetAddr(sb, b);
                sb.Append(", imr_interface=");
                InetAddr(sb, b[4..]);
                sb.Append('}');
                return true;
            case 41 when option is 20 or 21 or 27 or 28: // IPV6_{ADD,DROP}_MEMBERSHIP, IPV6_{JOIN,LEAVE}_ANYCAST: ipv6_mreq
                if (length < 20 || b.Length < 20) { StraceText.Pointer(sb, addr); return true; }
                sb.Append("{inet_pton(AF_INET6, \"").Append(new System.Net.IPAddress(b[..16]).ToString()).Append("\", &ipv6mr_multiaddr), ipv6mr_interface=");
                InterfaceIndex(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[16..]));
                sb.Append('}');
                return true;
        }
        return false;
    }

    /// <summary>struct icmp_filter: the types' bits, or ~[the clear ones] when most are set.</summary>
    private static void IcmpFilter(StringBuilder sb, uint data)
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
    private static void TxRehash(StringBuilder sb, int v)
    {
        sb.Append('[');
        switch (v)
        {
            case 0: sb.Append("SOCK_TXREHASH_DISABLED"); break;
            case 1: sb.Append("SOCK_TXREHASH_ENABLED"); break;
            case 255: sb.Append("SOCK_TXREHASH_DEFAULT"); break;
            default: sb.Append(v.ToString(Inv)).Append(" /* SOCK_TXREHASH_??? */"); break;
        }
        sb.Append(']');
    }

    /// <summary>getsockopt's values that strace decodes by level and option; false for the generic form.
    /// A structure the kernel wrote only part of shows its whole fields, then the part of the next
    /// field as hex bytes ({l_onoff=0, l_linger="\x00\x00"}).</summary>
    private static bool GetsockoptStruct(StringBuilder sb, int level, int option, ReadOnlySpan<byte> b, int length, ulong addr)
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
                sb.Append('[').Append(err == 0 ? "0" : ErrnoNames.GetName(err) ?? err.ToString(Inv)).Append(']');
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
    private static void PartialInt(StringBuilder sb, ReadOnlySpan<byte> v, int offset, string label)
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
    private static bool SocketIntOption(int option) => option is >= 1 and <= 19 and not (3 or 4 or 13 or 17)
        or 27 or 29 or 30 or 32 or 33 or 34 or 35 or 36 or 37 or (>= 40 and <= 46) or 49 or 53 or 56 or 60
        or 63 or 64 or 65 or 68 or 69 or 70 or 73 or 74 or 75;

    /// <summary>inet_addr("127.0.0.1") from four bytes in network order.</summary>
    private static void InetAddr(StringBuilder sb, ReadOnlySpan<byte> a)
        => sb.Append("inet_addr(\"").Append(a[0]).Append('.').Append(a[1]).Append('.').Append(a[2]).Append('.').Append(a[3]).Append("\")");

    /// <summary>An interface index as strace shows it: if_nametoindex("lo") when the index names an
    /// interface (looked up when decoded, as strace does while tracing), else the number.</summary>
    internal static void InterfaceIndex(StringBuilder sb, uint index)
    {
        string? name = index == 0 ? null : Native.Libc.InterfaceName(index);
        if (name is null)
            sb.Append(index.ToString(Inv));
        else
            sb.Append("if_nametoindex(\"").Append(name).Append("\")");
    }

    /// <summary>The length getsockopt returned through its optlen pointer (argument <paramref name="i"/>).</summary>
    private static int ReturnedSocklen(ref DecodeContext c, int i, int captured)
        => c.Data.TryGetFull(CaptureSlot.Exit(i), 4, out ReadOnlySpan<byte> l) ? BinaryPrimitives.ReadInt32LittleEndian(l) : captured;

    /// <summary>struct ucred, as far as it was written: {pid=1, uid=0, gid=0}.</summary>
    private static void Ucred(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append("{pid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(Inv));
        if (b.Length >= 8) sb.Append(", uid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[4..]).ToString(Inv));
        if (b.Length >= 12) sb.Append(", gid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[8..]).ToString(Inv));
        sb.Append('}');
    }

    /// <summary>msg_control: [{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[3&lt;...&gt;]}].
    /// Types are named for SOL_SOCKET and SOL_IP only (other levels' types in hex, as strace 6.1 does).</summary>
    private static void ControlMessages(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> b, ulong addr, ulong controlLength)
    {
        sb.Append('[');
        long off = 0;
        while (b.Length - off >= 16)
        {
            int o = (int)off;
            ulong len = BinaryPrimitives.ReadUInt64LittleEndian(b[o..]);
            int level = BinaryPrimitives.ReadInt32LittleEndian(b[(o + 8)..]);
            int type = BinaryPrimitives.ReadInt32LittleEndian(b[(o + 12)..]);
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
            int dataLen = (int)Math.Min(len > 16 ? len - 16 : 0, (ulong)(b.Length - o - 16));
            if (dataLen > 0)
                ControlData(ref c, sb, level, type, b.Slice(o + 16, dataLen));
            sb.Append('}');
            // the next header starts at the aligned length (a header's worth for a short one)
            ulong step = len <= 16 ? 16 : len >= (ulong)b.Length ? (ulong)b.Length + 1 : (len + 7) & ~7UL;
            off += (long)step;
            if (len < 16)
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
    private static void ControlData(ref DecodeContext c, StringBuilder sb, int level, int type, ReadOnlySpan<byte> data)
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
                InetAddr(sb, data[4..]);
                sb.Append(", ipi_addr=");
                InetAddr(sb, data[8..]);
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

    /// <summary>A descriptor inside an array (fd_set bit, SCM_RIGHTS), annotated while the
    /// tracer captured links for the array (the first <see cref="CaptureSlot.ArrayFdLinks"/>).</summary>
    private static void ArrayFd(ref DecodeContext c, StringBuilder sb, int fd)
    {
        int index = c.ArrayFdNext++;
        if (index < CaptureSlot.ArrayFdLinks) Fd(ref c, sb, fd, CaptureSlot.ArrayFdLink(index));
        else sb.Append(fd.ToString(Inv));
    }






    private static void Argv(StringBuilder sb, ReadOnlySpan<byte> blob)
    {
        int n = BinaryPrimitives.ReadInt32LittleEndian(blob);
        bool more = BinaryPrimitives.ReadInt32LittleEndian(blob[4..]) != 0;
        int off = 8;
        sb.Append('[');
        for (int e = 0; e < n; e++)
        {
            if (e > 0) sb.Append(", ");
            var st = (CaptureStatus)blob[off];
            int len = BinaryPrimitives.ReadInt32LittleEndian(blob[(off + 1)..]);
            if (st == CaptureStatus.Fault) sb.Append("???");
            else StraceText.Quote(sb, blob.Slice(off + 5, len), st == CaptureStatus.Truncated);
            off += 5 + len;
        }
        if (more) sb.Append(n > 0 ? ", ..." : "...");
        sb.Append(']');
    }

    private static void CloneFlagsText(StringBuilder sb, ulong flags)
    {
        ulong signal = flags & 0xff;
        ulong rest = flags & ~0xffUL;
        if (rest != 0)
            Flags(sb, rest, FlagTables.CloneFlags, "CLONE_???");
        if (signal != 0)
        {
            if (rest != 0) sb.Append('|');
            sb.Append(SignalNames.GetName((int)signal));
        }
        if (flags == 0) sb.Append('0');
    }

    private static void Clone(ref DecodeContext c, StringBuilder sb)
    {
        ulong flags = c.Args[0];
        sb.Append("child_stack=");
        StraceText.Pointer(sb, c.Args[1]);
        sb.Append(", flags=");
        CloneFlagsText(sb, flags);
        if ((flags & 0x00100000) != 0)
        {
            sb.Append(", parent_tid=");
            if (!c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(2), 4, out ReadOnlySpan<byte> b))
                sb.Append('[').Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(Inv)).Append(']');
            else
                StraceText.Pointer(sb, c.Args[2]);
        }
        if ((flags & 0x00080000) != 0)
        {
            sb.Append(", tls=");
            StraceText.Pointer(sb, c.Args[4]);
        }
        if ((flags & (0x01000000 | 0x00200000)) != 0)
        {
            sb.Append(", child_tidptr=");
            StraceText.Pointer(sb, c.Args[3]);
        }
    }

    private static void CloneArgs(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> b, int i)
    {
        Span<ulong> words = stackalloc ulong[11];
        for (int k = 0; k < 11; k++) words[k] = (k + 1) * 8 <= b.Length ? BinaryPrimitives.ReadUInt64LittleEndian(b[(k * 8)..]) : 0;
        ulong[] w = words.ToArray();
        ulong U(int off) => w[off / 8];
        ulong flags = U(0);
        sb.Append("{flags=");
        Flags(sb, flags, FlagTables.CloneFlags, "CLONE_???");
        if ((flags & 0x1000) != 0) { sb.Append(", pidfd="); StraceText.Pointer(sb, U(8)); }
        if ((flags & (0x01000000 | 0x00200000)) != 0) { sb.Append(", child_tid="); StraceText.Pointer(sb, U(16)); }
        if ((flags & 0x00100000) != 0) { sb.Append(", parent_tid="); StraceText.Pointer(sb, U(24)); }
        sb.Append(", exit_signal=");
        ulong sig = U(32);
        if (sig == 0 || sig > 64) sb.Append(sig.ToString(Inv)); else sb.Append(SignalNames.GetName((int)sig));
        sb.Append(", stack=");
        StraceText.Pointer(sb, U(40));
        sb.Append(", stack_size=");
        StraceText.Hex(sb, U(48));
        if ((flags & 0x00080000) != 0) { sb.Append(", tls="); StraceText.Pointer(sb, U(56)); }
        if (U(64) != 0 || U(72) != 0) { sb.Append(", set_tid="); StraceText.Pointer(sb, U(64)); sb.Append(", set_tid_size=").Append(U(72)); }
        if (((flags & 0x200000000) != 0 || U(80) != 0) && b.Length >= 88) { sb.Append(", cgroup=").Append(U(80)); }
        sb.Append('}');
        if ((flags & 0x00100000) != 0 && !c.Failed && !c.Unfinished && U(24) == 0)
            sb.Append(" => {parent_tid=NULL}");
        else if ((flags & 0x00100000) != 0 && !c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(i), 4, out ReadOnlySpan<byte> tid))
            sb.Append(" => {parent_tid=[").Append(BinaryPrimitives.ReadInt32LittleEndian(tid).ToString(Inv)).Append("]}");
    }

    internal static void EpollEvent(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        uint events = BinaryPrimitives.ReadUInt32LittleEndian(b);
        ulong data = BinaryPrimitives.ReadUInt64LittleEndian(b[4..]);
        sb.Append("{events=");
        Flags(sb, events, EpollEvents, "EPOLL???");
        sb.Append(", data={u32=").Append(((uint)data).ToString(Inv)).Append(", u64=").Append(data.ToString(Inv)).Append("}}");
    }
}
