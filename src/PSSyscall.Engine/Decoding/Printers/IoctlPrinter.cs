using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>ioctl(fd, request, arg): the request by name (IoctlNames, from the uapi headers) or in
/// strace's _IOC(...) form, and the argument for the requests whose structure is known (terminal
/// attributes, window sizes, ints); others in hex, as strace shows an argument of unknown type.</summary>
internal sealed class IoctlPrinter : SyscallPrinter
{
    /// <summary>What requests read from their argument (shown as given).</summary>
    private static readonly (ulong[] Requests, int Size)[] Reads =
    {
        (new ulong[] { 0x5402, 0x5403, 0x5404, 0x5457 }, 36), // TCSETS, TCSETSW, TCSETSF, TIOCSLCKTRMIOS: struct termios
        (new ulong[] { 0x402c542b, 0x402c542c, 0x402c542d }, 44), // TCSETS2, TCSETSW2, TCSETSF2: struct termios2
        (new ulong[] { 0x5406, 0x5407, 0x5408 }, 18), // TCSETA, TCSETAW, TCSETAF: struct termio
        (new ulong[] { 0x5414 }, 8),                  // TIOCSWINSZ: struct winsize
        (new ulong[] { 0x40045431, 0x5421, 0x5452 }, 4), // TIOCSPTLCK, FIONBIO, FIOASYNC: int
    };

    /// <summary>What successful requests write to their argument (shown as written).</summary>
    private static readonly (ulong[] Requests, int Size)[] Writes =
    {
        (new ulong[] { 0x5401, 0x5456 }, 36),         // TCGETS, TIOCGLCKTRMIOS
        (new ulong[] { 0x802c542a }, 44),             // TCGETS2: struct termios2
        (new ulong[] { 0x5405 }, 18),                 // TCGETA: struct termio
        (new ulong[] { 0x5413 }, 8),                  // TIOCGWINSZ
        (new ulong[] { 0x541B, 0x80045430 }, 4),      // FIONREAD, TIOCGPTN: int
    };

    /// <summary>Per-family decoders (files beside this one), asked in order before the tables above.</summary>
    private static readonly IoctlFamily[] Families =
    {
        IoctlFsPrinter.Instance,
        IoctlPerfPrinter.Instance,
        IoctlLoopPrinter.Instance,
        IoctlHdioPrinter.Instance,
        IoctlBlockPrinter.Instance,
        IoctlEvdevPrinter.Instance,
        IoctlSockPrinter.Instance,
        IoctlSeccompPrinter.Instance,
    };

    // After the tables: static fields initialise in order, and the instance reads them.
    public static readonly IoctlPrinter Instance = new();

    /// <summary>i386: the same bytes (a structure whose size differs on i386 has another request number (_IOC encodes the size), so the requests decoded here read the same bytes).</summary>
    public override ConditionalPlan[]? CompatCaptures => Captures;

    public override ConditionalPlan[] Captures { get; } =
        Reads.Select(r => new ConditionalPlan(1, r.Requests, 2, CapturePlan.AtEntry(r.Size)))
             .Concat(Writes.Select(w => new ConditionalPlan(1, w.Requests, 2, CapturePlan.AtExit(w.Size))))
             .Concat(IoctlRtcPrinter.Captures)
             .Concat(IoctlTiocmPrinter.Captures)
             .Concat(IoctlKdPrinter.Captures)
             .Concat(IoctlPtpPrinter.Captures)
             .Concat(Families.SelectMany(f => f.Captures))
             .ToArray();

    private static int SizeOf((ulong[] Requests, int Size)[] table, ulong request)
    {
        foreach (var (requests, size) in table)
        {
            if (Array.IndexOf(requests, request) >= 0)
                return size;
        }
        return 0;
    }

    public override void PrintArguments(ref DecodeContext c, StringBuilder sb)
    {
        DecodeText.Fd(ref c, sb, (int)c.Args[0], CaptureSlot.FdLink(0));
        sb.Append(", ");
        ulong request = c.Args[1];
        string? termios2 = request switch
        {
            // asm-generic/ioctls.h's struct termios2 requests, which the name generator's probe
            // cannot compile (the struct is in asm/termbits.h).
            0x802c542a => "TCGETS2", 0x402c542b => "TCSETS2", 0x402c542c => "TCSETSW2", 0x402c542d => "TCSETSF2",
            _ => IoctlPtpPrinter.MissingName(request),
        };
        int mark = DecodeStyle.Begin(sb); // -X raw: 0x5401; verbose: 0x5401 /* TCGETS */
        if (termios2 != null)
            sb.Append(termios2);
        else if (!Families.Any(f => f.TryAppendName(sb, request)) && !IoctlNames.TryAppend(sb, (uint)request))
        {
            // strace's _IOC(dir, type, nr, size) form for unknown requests.
            ulong dir = request >> 30, size = (request >> 16) & 0x3fff, type = (request >> 8) & 0xff, nr = request & 0xff;
            string d = dir switch { 0 => "_IOC_NONE", 1 => "_IOC_WRITE", 2 => "_IOC_READ", _ => "_IOC_READ|_IOC_WRITE" };
            sb.Append("_IOC(").Append(d).Append(", ");
            HashX(sb, type);
            sb.Append(", ");
            HashX(sb, nr);
            sb.Append(", ");
            HashX(sb, size);
            sb.Append(')');
        }
        DecodeStyle.End(sb, mark, (uint)request);
        foreach (IoctlFamily family in Families)
        {
            if (family.TryPrintArgument(ref c, sb, request))
                return;
        }
        // Requests that take no argument, which strace leaves out: FIONCLEX, FIOCLEX, LOOP_CLR_FD,
        // NS_GET_USERNS, NS_GET_PARENT, NS_GET_NSTYPE.
        if (request is 0x5450 or 0x5451 or 0x4c01 or 0xb701 or 0xb702 or 0xb703 || IoctlKdPrinter.TakesNoArgument(request)
            || IoctlRtcPrinter.TakesNoArgument(request))
            return;
        sb.Append(", ");
        if ((request & 0xff00) == 0x4b00 && (request >> 16) == 0
            && (IoctlKdPrinter.TryAppendStructure(ref c, sb, request) || IoctlKdPrinter.TryAppendArgument(sb, request, c.Args[2])))
            return;
        if (((request >> 8) & 0xff) == 0x70 && IoctlRtcPrinter.TryAppendArgument(ref c, sb, request))
            return;
        if (((request >> 8) & 0xff) == 0x3d && IoctlPtpPrinter.TryAppendArgument(ref c, sb, request))
            return;
        if (request is >= 0x5415 and <= 0x5418 && IoctlTiocmPrinter.TryAppendArgument(ref c, sb, request))
            return;
        ReadOnlySpan<byte> b;
        int inSize = SizeOf(Reads, request), outSize = SizeOf(Writes, request);
        if (inSize > 0 && c.Data.TryGetFull(CaptureSlot.Entry(2), inSize, out b))
            IoctlValue(sb, b);
        else if (outSize > 0 && !c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(2), outSize, out b))
            IoctlValue(sb, b);
        else if (inSize > 0 || outSize > 0)
            StraceText.Pointer(sb, c.Args[2]); // a structure the decoder knows, not readable
        else
            StraceText.Hex(sb, c.Args[2]);     // an argument of unknown type: strace's hex (0, not NULL)
    }

    /// <summary>C's %#x: 0 as "0", others as 0x and lower-case hex.</summary>
    private static void HashX(StringBuilder sb, ulong v)
    {
        if (v == 0)
            sb.Append('0');
        else
            sb.Append("0x").Append(v.ToString("x", CultureInfo.InvariantCulture));
    }

    /// <summary>An ioctl's argument by its size: struct termios, struct termio, struct winsize or [int].</summary>
    private static void IoctlValue(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        switch (b.Length)
        {
            case 36:
            case 44: // struct termios2: struct termios and the two speeds, which strace leaves out
                Termios(sb, BinaryPrimitives.ReadUInt32LittleEndian(b), BinaryPrimitives.ReadUInt32LittleEndian(b[4..]),
                    BinaryPrimitives.ReadUInt32LittleEndian(b[8..]), BinaryPrimitives.ReadUInt32LittleEndian(b[12..]));
                break;
            case 18: // struct termio: the same flags in 16-bit fields
                Termios(sb, BinaryPrimitives.ReadUInt16LittleEndian(b), BinaryPrimitives.ReadUInt16LittleEndian(b[2..]),
                    BinaryPrimitives.ReadUInt16LittleEndian(b[4..]), BinaryPrimitives.ReadUInt16LittleEndian(b[6..]));
                break;
            case 8:
                sb.Append("{ws_row=").Append(BinaryPrimitives.ReadUInt16LittleEndian(b).ToString(CultureInfo.InvariantCulture))
                  .Append(", ws_col=").Append(BinaryPrimitives.ReadUInt16LittleEndian(b[2..]).ToString(CultureInfo.InvariantCulture))
                  .Append(", ws_xpixel=").Append(BinaryPrimitives.ReadUInt16LittleEndian(b[4..]).ToString(CultureInfo.InvariantCulture))
                  .Append(", ws_ypixel=").Append(BinaryPrimitives.ReadUInt16LittleEndian(b[6..]).ToString(CultureInfo.InvariantCulture)).Append('}');
                break;
            default:
                sb.Append('[').Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(CultureInfo.InvariantCulture)).Append(']');
                break;
        }
    }

    /// <summary>struct termios (and struct termio) as strace abbreviates it: the four flag words, each
    /// delay and size field by name (NL0|CR0|...), flags that are all clear as nothing, then "...".</summary>
    private static void Termios(StringBuilder sb, uint iflag, uint oflag, uint cflag, uint lflag)
    {
        sb.Append("{c_iflag=");
        Flags(sb, iflag, TermiosIflags, "???", "");
        sb.Append(", c_oflag=");
        FlagTables.Enum(sb, oflag & 0x100, TermiosNlDelay, "NL???");
        sb.Append('|');
        FlagTables.Enum(sb, oflag & 0x600, TermiosCrDelay, "CR???");
        sb.Append('|');
        FlagTables.Enum(sb, oflag & 0x1800, TermiosTabDelay, "TAB???");
        sb.Append('|');
        FlagTables.Enum(sb, oflag & 0x2000, TermiosBsDelay, "BS???");
        sb.Append('|');
        FlagTables.Enum(sb, oflag & 0x4000, TermiosVtDelay, "VT???");
        sb.Append('|');
        FlagTables.Enum(sb, oflag & 0x8000, TermiosFfDelay, "FF???");
        sb.Append('|');
        Flags(sb, oflag & ~0xff00u, TermiosOflags, "???", "");
        sb.Append(", c_cflag=");
        FlagTables.Enum(sb, cflag & 0x100f, TermiosBaud, "B???");
        if ((cflag & 0x100f0000) != 0)
        {
            sb.Append('|');
            FlagTables.Enum(sb, (cflag >> 16) & 0x100f, TermiosBaud, "B???");
            sb.Append("<<IBSHIFT");
        }
        sb.Append('|');
        FlagTables.Enum(sb, cflag & 0x30, TermiosCharSize, "CS???");
        sb.Append('|');
        Flags(sb, cflag & ~0x100f103fu, TermiosCflags, "???", "");
        sb.Append(", c_lflag=");
        Flags(sb, lflag, TermiosLflags, "???", "");
        sb.Append(", ...}");
    }


}
