using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding;

/// <summary>strace's text for C types that many codecs and printers share: numbers by C type,
/// descriptors with their links, signal sets, file modes, device numbers, times, open flags.</summary>
internal static class DecodeText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

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

    /// <summary>A descriptor inside an array (fd_set bit, SCM_RIGHTS), annotated while the
    /// tracer captured links for the array (the first <see cref="CaptureSlot.ArrayFdLinks"/>).</summary>
    internal static void ArrayFd(ref DecodeContext c, StringBuilder sb, int fd)
    {
        int index = c.ArrayFdNext++;
        if (index < CaptureSlot.ArrayFdLinks) Fd(ref c, sb, fd, CaptureSlot.ArrayFdLink(index));
        else sb.Append(fd.ToString(Inv));
    }

    internal static void OpenFlags(StringBuilder sb, ulong v)
    {
        int mark = DecodeStyle.Begin(sb);
        OpenFlagsNamed(sb, v);
        DecodeStyle.End(sb, mark, v, DecodeStyle.Number.Hex);
    }

    private static void OpenFlagsNamed(StringBuilder sb, ulong v)
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
        int mark = DecodeStyle.Begin(sb);
        StatxMaskFlagsNamed(sb, v);
        DecodeStyle.End(sb, mark, v, DecodeStyle.Number.Hex);
    }

    private static void StatxMaskFlagsNamed(StringBuilder sb, ulong v)
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
            int mark = DecodeStyle.Begin(sb); // -X: 2 /* INT */
            sb.Append(name.StartsWith("SIG", StringComparison.Ordinal) ? name[3..] : name);
            DecodeStyle.End(sb, mark, (ulong)s, DecodeStyle.Number.Decimal);
        }
        sb.Append(']');
    }

    internal static void Mode(StringBuilder sb, uint mode)
    {
        int mark = DecodeStyle.Begin(sb);
        ModeNamed(sb, mode);
        DecodeStyle.End(sb, mark, mode, DecodeStyle.Number.Octal);
    }

    private static void ModeNamed(StringBuilder sb, uint mode)
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
        int mark = DecodeStyle.Begin(sb);
        MakedevNamed(sb, dev);
        DecodeStyle.End(sb, mark, dev, DecodeStyle.Number.Hex);
    }

    private static void MakedevNamed(StringBuilder sb, ulong dev)
    {
        ulong major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL);
        ulong minor = (dev & 0xff) | ((dev >> 12) & ~0xffUL);
        sb.Append("makedev(");
        StraceText.Hex(sb, major);
        sb.Append(", ");
        StraceText.Hex(sb, minor);
        sb.Append(')');
    }

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

    internal static void EpollEvent(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        uint events = BinaryPrimitives.ReadUInt32LittleEndian(b);
        ulong data = BinaryPrimitives.ReadUInt64LittleEndian(b[4..]);
        sb.Append("{events=");
        Flags(sb, events, EpollEvents, "EPOLL???");
        sb.Append(", data={u32=").Append(((uint)data).ToString(Inv)).Append(", u64=").Append(data.ToString(Inv)).Append("}}");
    }

    /// <summary>A signal by name (SIGUSR1), or with -X its number (10 /* SIGUSR1 */).</summary>
    internal static void Signal(StringBuilder sb, int signal)
    {
        int mark = DecodeStyle.Begin(sb);
        sb.Append(SignalNames.GetName(signal));
        DecodeStyle.End(sb, mark, (ulong)(long)signal, DecodeStyle.Number.Decimal);
    }

    /// <summary>An errno by name (ENOENT), or with -X its number (2 /* ENOENT */); unknown ones as the number.</summary>
    internal static void Errno(StringBuilder sb, int errno)
    {
        if (ErrnoNames.GetName(errno) is not { } name)
        {
            sb.Append(((uint)errno).ToString(Inv));
            return;
        }
        int mark = DecodeStyle.Begin(sb);
        sb.Append(name);
        DecodeStyle.End(sb, mark, (ulong)(long)errno, DecodeStyle.Number.Decimal);
    }

    /// <summary>A named code printed with a hex number under -X (si_code's POLL_IN: 0x1 /* POLL_IN */).</summary>
    internal static void Code(StringBuilder sb, string name, long value)
    {
        int mark = DecodeStyle.Begin(sb);
        sb.Append(name);
        DecodeStyle.End(sb, mark, (ulong)value, DecodeStyle.Number.Hex, unknown: name.Contains("/*", StringComparison.Ordinal));
    }
}
