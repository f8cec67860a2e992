using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>The console ioctls of linux/kd.h (type 0x4B) whose argument is a value, as strace 6.1
/// prints them (tests/ioctl_kd.c): tone generators with their frequency in a comment, LED and mode
/// constants, I/O port numbers relative to GPFIRST, signals; requests without an argument; and
/// the pointer requests as NULL or an address (their structures are not decoded yet).</summary>
internal static class IoctlKdPrinter
{
    private const uint ClockTickRate = 1193182; // PIT_TICK_RATE: the tone divisor's base
    private const ulong GpFirst = 0x3b4, GpLast = 0x3df;

    private const ulong SetKbEnt = 0x4B47, GetKbSent = 0x4B48, SetKbSent = 0x4B49, GetFontX = 0x4B6B;
    private const ulong GetKbEnt = 0x4B46, GetKeycode = 0x4B4C, SetKeycode = 0x4B4D, KbdRep = 0x4B52;

    /// <summary>What the structure requests read from their argument, captured at entry.</summary>
    public static readonly ConditionalPlan[] Captures =
    {
        new(1, new[] { GetKbEnt, SetKbEnt }, 2, CapturePlan.AtEntry(4)),
        new(1, new[] { GetKbSent, SetKbSent }, 2, CapturePlan.AtEntry(513)), // struct kbsentry
        new(1, new[] { GetFontX }, 2, CapturePlan.AtEntry(16)),             // struct consolefontdesc
        new(1, new[] { GetKeycode, SetKeycode, KbdRep }, 2, CapturePlan.AtEntry(8)),
    };

    /// <summary>kb_table's names: the plain tables, else the modifier bits KG_* of linux/keyboard.h.</summary>
    private static readonly string[] KbTables = { "K_NORMTAB", "K_SHIFTTAB", "K_ALTTAB", "K_ALTSHIFTTAB" };
    private static readonly string[] KgBits = { "1<<KG_SHIFT", "1<<KG_ALTGR", "1<<KG_CTRL", "1<<KG_ALT", "1<<KG_SHIFTL", "1<<KG_SHIFTR", "1<<KG_CTRLL", "1<<KG_CTRLR" };

    /// <summary>The structure requests' arguments (struct kbentry without its value for KDGKBENT,
    /// struct kbkeycode, struct kbd_repeat); false for others.</summary>
    public static bool TryAppendStructure(ref DecodeContext c, StringBuilder sb, ulong request)
    {
        var ic = CultureInfo.InvariantCulture;
        ReadOnlySpan<byte> b;
        switch (request)
        {
            case GetKbEnt:
            case SetKbEnt:
                if (!c.Data.TryGetFull(CaptureSlot.Entry(2), 4, out b))
                    break;
                sb.Append("{kb_table=");
                if (b[0] < KbTables.Length)
                    sb.Append(KbTables[b[0]]);
                else
                {
                    bool any = false;
                    for (int bit = 0; bit < 8; bit++)
                    {
                        if ((b[0] & (1 << bit)) == 0)
                            continue;
                        if (any) sb.Append('|');
                        sb.Append(KgBits[bit]);
                        any = true;
                    }
                }
                sb.Append(", kb_index=").Append(b[1].ToString(ic));
                if (request == SetKbEnt)
                {
                    sb.Append(", kb_value=");
                    Keysym(sb, BinaryPrimitives.ReadUInt16LittleEndian(b[2..]));
                }
                sb.Append('}');
                return true;
            case GetKbSent:
            case SetKbSent:
            {
                // kb_func, then (KDSKBSENT) kb_string as a C string of at most 32 characters,
                // "???" when it cannot be read to its end.
                if (!c.Data.TryGet(CaptureSlot.Entry(2), out b, out CaptureStatus st) || b.Length < 1)
                    break;
                sb.Append("{kb_func=");
                uint fn = 0x100u + b[0]; // a KT_FN keysym
                int at = Array.FindIndex(Keysyms, k => k.Value == fn);
                if (at >= 0)
                    sb.Append("KVAL(").Append(Keysyms[at].Name).Append(')');
                else
                {
                    HashX(sb, b[0]);
                    sb.Append(" /* KVAL(K_???) */");
                }
                if (request == SetKbSent)
                {
                    sb.Append(", kb_string=");
                    ReadOnlySpan<byte> text = b[1..];
                    int nul = text.IndexOf((byte)0);
                    if (nul >= 0 && nul < 32)
                        StraceText.Quote(sb, text[..nul], false);
                    else if (text.Length >= 32)
                        StraceText.Quote(sb, text[..32], true);
                    else
                        sb.Append("???");
                }
                sb.Append('}');
                return true;
            }
            case GetFontX: // struct consolefontdesc as given: the font comes back through chardata
                if (!c.Data.TryGetFull(CaptureSlot.Entry(2), 16, out b))
                    break;
                sb.Append("{charcount=").Append(BinaryPrimitives.ReadUInt16LittleEndian(b).ToString(ic))
                  .Append(", charheight=").Append(BinaryPrimitives.ReadUInt16LittleEndian(b[2..]).ToString(ic))
                  .Append(", chardata=");
                StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[8..]));
                sb.Append('}');
                return true;
            case GetKeycode:
            case SetKeycode:
                if (!c.Data.TryGetFull(CaptureSlot.Entry(2), 8, out b))
                    break;
                sb.Append("{scancode=");
                HashX(sb, BinaryPrimitives.ReadUInt32LittleEndian(b));
                sb.Append(", keycode=");
                HashX(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[4..]));
                sb.Append('}');
                return true;
            case KbdRep:
                if (!c.Data.TryGetFull(CaptureSlot.Entry(2), 8, out b))
                    break;
                sb.Append("{delay=").Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(ic))
                  .Append(", period=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[4..]).ToString(ic)).Append('}');
                return true;
            default:
                return false;
        }
        StraceText.Pointer(sb, c.Args[2]);
        return true;
    }

    /// <summary>Requests that take no argument (strace leaves it out).</summary>
    public static bool TakesNoArgument(ulong request) =>
        request is 0x4B36 or 0x4B37 or 0x4B3C or 0x4B3D; // KDENABIO, KDDISABIO, KDMAPDISP, KDUNMAPDISP

    /// <summary>Pointer arguments: GIO_/PIO_ maps and fonts, the KDG*/KDS* tables, KDFONTOP...</summary>
    private static bool IsPointer(ulong request) => request switch
    {
        0x4B31 or 0x4B33 or 0x4B3B or 0x4B40 or 0x4B41 or 0x4B44 or 0x4B46 or 0x4B47 or 0x4B48 or 0x4B49
            or 0x4B4A or 0x4B4B or 0x4B4C or 0x4B4D or 0x4B52 or 0x4B60 or 0x4B61 or 0x4B62 or 0x4B64
            or 0x4B66 or 0x4B67 or 0x4B68 or 0x4B69 or 0x4B6A or 0x4B6B or 0x4B6C or 0x4B70 or 0x4B71
            or 0x4B72 or 0x4BFA or 0x4BFB => true,
        _ => false,
    };

    /// <summary>Appends the argument of a kd request it knows; false for others.</summary>
    public static bool TryAppendArgument(StringBuilder sb, ulong request, ulong arg)
    {
        int mark = sb.Length;
        bool done = AppendArgument(sb, request, arg);
        if (done) DecodeStyle.StripCommentsIfRaw(sb, mark); // -X raw: the numbers without explanations
        return done;
    }

    private static bool AppendArgument(StringBuilder sb, ulong request, ulong arg)
    {
        var ic = CultureInfo.InvariantCulture;
        switch (request)
        {
            case 0x4B2F: // KIOCSOUND: the timer divisor, 0 (or beyond the clock) is off
                sb.Append(arg.ToString(ic));
                if (arg == 0 || arg > ClockTickRate)
                    sb.Append(" /* off */");
                else
                    sb.Append(" /* ").Append((ClockTickRate / arg).ToString(ic)).Append(" Hz */");
                return true;
            case 0x4B30: // KDMKTONE: duration (ms) << 16 | divisor
            {
                uint hz = (uint)arg & 0xffff, ms = ((uint)arg >> 16) & 0xffff;
                if (ms != 0)
                    sb.Append(ms.ToString(ic)).Append("<<16|");
                sb.Append(hz.ToString(ic));
                if (ms != 0 && hz != 0)
                    sb.Append(" /* ").Append((ClockTickRate / hz).ToString(ic)).Append(" Hz, ").Append(ms.ToString(ic)).Append(" ms */");
                else
                    sb.Append(" /* off */");
                return true;
            }
            case 0x4B32: // KDSETLED: an unsigned char of LED_* flags
                Leds(sb, (byte)arg, false);
                return true;
            case 0x4B65: // KDSKBLED: the LEDs in the low nibble, their defaults in the high one
                Leds(sb, (byte)arg, true);
                return true;
            case 0x4B34: // KDADDIO
            case 0x4B35: // KDDELIO
                HashX(sb, arg);
                if (arg >= GpFirst && arg <= GpLast)
                    sb.Append(" /* GPFIRST + ").Append((arg - GpFirst).ToString(ic)).Append(" */");
                return true;
            case 0x4B3A: // KDSETMODE: an unsigned int
            {
                uint mode = (uint)arg;
                string? name = mode switch { 0 => "KD_TEXT", 1 => "KD_GRAPHICS", 2 => "KD_TEXT0", 3 => "KD_TEXT1", _ => null };
                if (name != null)
                    DecodeText.Code(sb, name, mode);
                else
                {
                    HashX(sb, mode);
                    if (DecodeStyle.Constants != ConstantStyle.Raw) sb.Append(" /* KD_??? */");
                }
                return true;
            }
            case 0x4B45: // KDSKBMODE: an int
            {
                int mode = (int)arg;
                string? name = mode switch { 0 => "K_RAW", 1 => "K_XLATE", 2 => "K_MEDIUMRAW", 3 => "K_UNICODE", 4 => "K_OFF", _ => null };
                if (name != null)
                    sb.Append(name);
                else
                    sb.Append(mode.ToString(ic)).Append(" /* K_??? */");
                return true;
            }
            case 0x4B63: // KDSKBMETA: an unsigned int
            {
                uint meta = (uint)arg;
                if (meta == 3)
                    sb.Append("K_METABIT");
                else if (meta == 4)
                    sb.Append("K_ESCPREFIX");
                else
                {
                    HashX(sb, meta);
                    sb.Append(" /* K_??? */");
                }
                return true;
            }
            case 0x4B4E: // KDSIGACCEPT: a signal number in an unsigned long
                if (arg >= 1 && arg <= (ulong)SignalNames.Max)
                    DecodeText.Signal(sb, (int)arg);
                else
                    sb.Append(arg.ToString(ic));
                return true;
        }
        if (!IsPointer(request))
            return false;
        if (arg == 0)
            sb.Append("NULL");
        else
            sb.Append("0x").Append(arg.ToString("x", ic));
        return true;
    }

    /// <summary>The key types KT_* of linux/keyboard.h.</summary>
    private static readonly string[] KeyTypes =
    {
        "KT_LATIN", "KT_FN", "KT_SPEC", "KT_PAD", "KT_DEAD", "KT_CONS", "KT_CUR", "KT_SHIFT",
        "KT_META", "KT_ASCII", "KT_LOCK", "KT_LETTER", "KT_SLOCK", "KT_DEAD2", "KT_BRL",
    };

    /// <summary>The named keysyms K_* of linux/keyboard.h, by value.</summary>
    private static readonly Named[] Keysyms =
    {
        new(0x100, "K_F1"), new(0x101, "K_F2"), new(0x102, "K_F3"), new(0x103, "K_F4"), new(0x104, "K_F5"),
        new(0x105, "K_F6"), new(0x106, "K_F7"), new(0x107, "K_F8"), new(0x108, "K_F9"), new(0x109, "K_F10"),
        new(0x10a, "K_F11"), new(0x10b, "K_F12"), new(0x10c, "K_F13"), new(0x10d, "K_F14"), new(0x10e, "K_F15"),
        new(0x10f, "K_F16"), new(0x110, "K_F17"), new(0x111, "K_F18"), new(0x112, "K_F19"), new(0x113, "K_F20"),
        new(0x114, "K_FIND"), new(0x115, "K_INSERT"), new(0x116, "K_REMOVE"), new(0x117, "K_SELECT"), new(0x118, "K_PGUP"),
        new(0x119, "K_PGDN"), new(0x11a, "K_MACRO"), new(0x11b, "K_HELP"), new(0x11c, "K_DO"), new(0x11d, "K_PAUSE"),
        new(0x11e, "K_F21"), new(0x11f, "K_F22"), new(0x120, "K_F23"), new(0x121, "K_F24"), new(0x122, "K_F25"),
        new(0x123, "K_F26"), new(0x124, "K_F27"), new(0x125, "K_F28"), new(0x126, "K_F29"), new(0x127, "K_F30"),
        new(0x128, "K_F31"), new(0x129, "K_F32"), new(0x12a, "K_F33"), new(0x12b, "K_F34"), new(0x12c, "K_F35"),
        new(0x12d, "K_F36"), new(0x12e, "K_F37"), new(0x12f, "K_F38"), new(0x130, "K_F39"), new(0x131, "K_F40"),
        new(0x132, "K_F41"), new(0x133, "K_F42"), new(0x134, "K_F43"), new(0x135, "K_F44"), new(0x136, "K_F45"),
        new(0x137, "K_F46"), new(0x138, "K_F47"), new(0x139, "K_F48"), new(0x13a, "K_F49"), new(0x13b, "K_F50"),
        new(0x13c, "K_F51"), new(0x13d, "K_F52"), new(0x13e, "K_F53"), new(0x13f, "K_F54"), new(0x140, "K_F55"),
        new(0x141, "K_F56"), new(0x142, "K_F57"), new(0x143, "K_F58"), new(0x144, "K_F59"), new(0x145, "K_F60"),
        new(0x146, "K_F61"), new(0x147, "K_F62"), new(0x148, "K_F63"), new(0x149, "K_F64"), new(0x14a, "K_F65"),
        new(0x14b, "K_F66"), new(0x14c, "K_F67"), new(0x14d, "K_F68"), new(0x14e, "K_F69"), new(0x14f, "K_F70"),
        new(0x150, "K_F71"), new(0x151, "K_F72"), new(0x152, "K_F73"), new(0x153, "K_F74"), new(0x154, "K_F75"),
        new(0x155, "K_F76"), new(0x156, "K_F77"), new(0x157, "K_F78"), new(0x158, "K_F79"), new(0x159, "K_F80"),
        new(0x15a, "K_F81"), new(0x15b, "K_F82"), new(0x15c, "K_F83"), new(0x15d, "K_F84"), new(0x15e, "K_F85"),
        new(0x15f, "K_F86"), new(0x160, "K_F87"), new(0x161, "K_F88"), new(0x162, "K_F89"), new(0x163, "K_F90"),
        new(0x164, "K_F91"), new(0x165, "K_F92"), new(0x166, "K_F93"), new(0x167, "K_F94"), new(0x168, "K_F95"),
        new(0x169, "K_F96"), new(0x16a, "K_F97"), new(0x16b, "K_F98"), new(0x16c, "K_F99"), new(0x16d, "K_F100"),
        new(0x16e, "K_F101"), new(0x16f, "K_F102"), new(0x170, "K_F103"), new(0x171, "K_F104"), new(0x172, "K_F105"),
        new(0x173, "K_F106"), new(0x174, "K_F107"), new(0x175, "K_F108"), new(0x176, "K_F109"), new(0x177, "K_F110"),
        new(0x178, "K_F111"), new(0x179, "K_F112"), new(0x17a, "K_F113"), new(0x17b, "K_F114"), new(0x17c, "K_F115"),
        new(0x17d, "K_F116"), new(0x17e, "K_F117"), new(0x17f, "K_F118"), new(0x180, "K_F119"), new(0x181, "K_F120"),
        new(0x182, "K_F121"), new(0x183, "K_F122"), new(0x184, "K_F123"), new(0x185, "K_F124"), new(0x186, "K_F125"),
        new(0x187, "K_F126"), new(0x188, "K_F127"), new(0x189, "K_F128"), new(0x18a, "K_F129"), new(0x18b, "K_F130"),
        new(0x18c, "K_F131"), new(0x18d, "K_F132"), new(0x18e, "K_F133"), new(0x18f, "K_F134"), new(0x190, "K_F135"),
        new(0x191, "K_F136"), new(0x192, "K_F137"), new(0x193, "K_F138"), new(0x194, "K_F139"), new(0x195, "K_F140"),
        new(0x196, "K_F141"), new(0x197, "K_F142"), new(0x198, "K_F143"), new(0x199, "K_F144"), new(0x19a, "K_F145"),
        new(0x19b, "K_F146"), new(0x19c, "K_F147"), new(0x19d, "K_F148"), new(0x19e, "K_F149"), new(0x19f, "K_F150"),
        new(0x1a0, "K_F151"), new(0x1a1, "K_F152"), new(0x1a2, "K_F153"), new(0x1a3, "K_F154"), new(0x1a4, "K_F155"),
        new(0x1a5, "K_F156"), new(0x1a6, "K_F157"), new(0x1a7, "K_F158"), new(0x1a8, "K_F159"), new(0x1a9, "K_F160"),
        new(0x1aa, "K_F161"), new(0x1ab, "K_F162"), new(0x1ac, "K_F163"), new(0x1ad, "K_F164"), new(0x1ae, "K_F165"),
        new(0x1af, "K_F166"), new(0x1b0, "K_F167"), new(0x1b1, "K_F168"), new(0x1b2, "K_F169"), new(0x1b3, "K_F170"),
        new(0x1b4, "K_F171"), new(0x1b5, "K_F172"), new(0x1b6, "K_F173"), new(0x1b7, "K_F174"), new(0x1b8, "K_F175"),
        new(0x1b9, "K_F176"), new(0x1ba, "K_F177"), new(0x1bb, "K_F178"), new(0x1bc, "K_F179"), new(0x1bd, "K_F180"),
        new(0x1be, "K_F181"), new(0x1bf, "K_F182"), new(0x1c0, "K_F183"), new(0x1c1, "K_F184"), new(0x1c2, "K_F185"),
        new(0x1c3, "K_F186"), new(0x1c4, "K_F187"), new(0x1c5, "K_F188"), new(0x1c6, "K_F189"), new(0x1c7, "K_F190"),
        new(0x1c8, "K_F191"), new(0x1c9, "K_F192"), new(0x1ca, "K_F193"), new(0x1cb, "K_F194"), new(0x1cc, "K_F195"),
        new(0x1cd, "K_F196"), new(0x1ce, "K_F197"), new(0x1cf, "K_F198"), new(0x1d0, "K_F199"), new(0x1d1, "K_F200"),
        new(0x1d2, "K_F201"), new(0x1d3, "K_F202"), new(0x1d4, "K_F203"), new(0x1d5, "K_F204"), new(0x1d6, "K_F205"),
        new(0x1d7, "K_F206"), new(0x1d8, "K_F207"), new(0x1d9, "K_F208"), new(0x1da, "K_F209"), new(0x1db, "K_F210"),
        new(0x1dc, "K_F211"), new(0x1dd, "K_F212"), new(0x1de, "K_F213"), new(0x1df, "K_F214"), new(0x1e0, "K_F215"),
        new(0x1e1, "K_F216"), new(0x1e2, "K_F217"), new(0x1e3, "K_F218"), new(0x1e4, "K_F219"), new(0x1e5, "K_F220"),
        new(0x1e6, "K_F221"), new(0x1e7, "K_F222"), new(0x1e8, "K_F223"), new(0x1e9, "K_F224"), new(0x1ea, "K_F225"),
        new(0x1eb, "K_F226"), new(0x1ec, "K_F227"), new(0x1ed, "K_F228"), new(0x1ee, "K_F229"), new(0x1ef, "K_F230"),
        new(0x1f0, "K_F231"), new(0x1f1, "K_F232"), new(0x1f2, "K_F233"), new(0x1f3, "K_F234"), new(0x1f4, "K_F235"),
        new(0x1f5, "K_F236"), new(0x1f6, "K_F237"), new(0x1f7, "K_F238"), new(0x1f8, "K_F239"), new(0x1f9, "K_F240"),
        new(0x1fa, "K_F241"), new(0x1fb, "K_F242"), new(0x1fc, "K_F243"), new(0x1fd, "K_F244"), new(0x1fe, "K_F245"),
        new(0x1ff, "K_UNDO"), new(0x200, "K_HOLE"), new(0x201, "K_ENTER"), new(0x202, "K_SH_REGS"), new(0x203, "K_SH_MEM"),
        new(0x204, "K_SH_STAT"), new(0x205, "K_BREAK"), new(0x206, "K_CONS"), new(0x207, "K_CAPS"), new(0x208, "K_NUM"),
        new(0x209, "K_HOLD"), new(0x20a, "K_SCROLLFORW"), new(0x20b, "K_SCROLLBACK"), new(0x20c, "K_BOOT"), new(0x20d, "K_CAPSON"),
        new(0x20e, "K_COMPOSE"), new(0x20f, "K_SAK"), new(0x210, "K_DECRCONSOLE"), new(0x211, "K_INCRCONSOLE"), new(0x212, "K_SPAWNCONSOLE"),
        new(0x213, "K_BARENUMLOCK"), new(0x27e, "K_ALLOCATED"), new(0x27f, "K_NOSUCHMAP"), new(0x300, "K_P0"), new(0x301, "K_P1"),
        new(0x302, "K_P2"), new(0x303, "K_P3"), new(0x304, "K_P4"), new(0x305, "K_P5"), new(0x306, "K_P6"),
        new(0x307, "K_P7"), new(0x308, "K_P8"), new(0x309, "K_P9"), new(0x30a, "K_PPLUS"), new(0x30b, "K_PMINUS"),
        new(0x30c, "K_PSTAR"), new(0x30d, "K_PSLASH"), new(0x30e, "K_PENTER"), new(0x30f, "K_PCOMMA"), new(0x310, "K_PDOT"),
        new(0x311, "K_PPLUSMINUS"), new(0x312, "K_PPARENL"), new(0x313, "K_PPARENR"), new(0x400, "K_DGRAVE"), new(0x401, "K_DACUTE"),
        new(0x402, "K_DCIRCM"), new(0x403, "K_DTILDE"), new(0x404, "K_DDIERE"), new(0x405, "K_DCEDIL"), new(0x406, "K_DMACRON"),
        new(0x407, "K_DBREVE"), new(0x408, "K_DABDOT"), new(0x409, "K_DABRING"), new(0x40a, "K_DDBACUTE"), new(0x40b, "K_DCARON"),
        new(0x40c, "K_DOGONEK"), new(0x40d, "K_DIOTA"), new(0x40e, "K_DVOICED"), new(0x40f, "K_DSEMVOICED"), new(0x410, "K_DBEDOT"),
        new(0x411, "K_DHOOK"), new(0x412, "K_DHORN"), new(0x413, "K_DSTROKE"), new(0x414, "K_DABCOMMA"), new(0x415, "K_DABREVCOMMA"),
        new(0x416, "K_DDBGRAVE"), new(0x417, "K_DINVBREVE"), new(0x418, "K_DBECOMMA"), new(0x419, "K_DCURRENCY"), new(0x41a, "K_DGREEK"),
        new(0x600, "K_DOWN"), new(0x601, "K_LEFT"), new(0x602, "K_RIGHT"), new(0x603, "K_UP"), new(0x700, "K_SHIFT"),
        new(0x701, "K_ALTGR"), new(0x702, "K_CTRL"), new(0x703, "K_ALT"), new(0x704, "K_SHIFTL"), new(0x705, "K_SHIFTR"),
        new(0x706, "K_CTRLL"), new(0x707, "K_CTRLR"), new(0x708, "K_CAPSSHIFT"), new(0x900, "K_ASC0"), new(0x901, "K_ASC1"),
        new(0x902, "K_ASC2"), new(0x903, "K_ASC3"), new(0x904, "K_ASC4"), new(0x905, "K_ASC5"), new(0x906, "K_ASC6"),
        new(0x907, "K_ASC7"), new(0x908, "K_ASC8"), new(0x909, "K_ASC9"), new(0x90a, "K_HEX0"), new(0x90b, "K_HEX1"),
        new(0x90c, "K_HEX2"), new(0x90d, "K_HEX3"), new(0x90e, "K_HEX4"), new(0x90f, "K_HEX5"), new(0x910, "K_HEX6"),
        new(0x911, "K_HEX7"), new(0x912, "K_HEX8"), new(0x913, "K_HEX9"), new(0x914, "K_HEXa"), new(0x915, "K_HEXb"),
        new(0x916, "K_HEXc"), new(0x917, "K_HEXd"), new(0x918, "K_HEXe"), new(0x919, "K_HEXf"), new(0xa00, "K_SHIFTLOCK"),
        new(0xa01, "K_ALTGRLOCK"), new(0xa02, "K_CTRLLOCK"), new(0xa03, "K_ALTLOCK"), new(0xa04, "K_SHIFTLLOCK"), new(0xa05, "K_SHIFTRLOCK"),
        new(0xa06, "K_CTRLLLOCK"), new(0xa07, "K_CTRLRLOCK"), new(0xa08, "K_CAPSSHIFTLOCK"), new(0xc00, "K_SHIFT_SLOCK"), new(0xc01, "K_ALTGR_SLOCK"),
        new(0xc02, "K_CTRL_SLOCK"), new(0xc03, "K_ALT_SLOCK"), new(0xc04, "K_SHIFTL_SLOCK"), new(0xc05, "K_SHIFTR_SLOCK"), new(0xc06, "K_CTRLL_SLOCK"),
        new(0xc07, "K_CTRLR_SLOCK"), new(0xc08, "K_CAPSSHIFT_SLOCK"), new(0xe00, "K_BRL_BLANK"), new(0xe01, "K_BRL_DOT1"), new(0xe02, "K_BRL_DOT2"),
        new(0xe03, "K_BRL_DOT3"), new(0xe04, "K_BRL_DOT4"), new(0xe05, "K_BRL_DOT5"), new(0xe06, "K_BRL_DOT6"), new(0xe07, "K_BRL_DOT7"),
        new(0xe08, "K_BRL_DOT8"), new(0xe09, "K_BRL_DOT9"), new(0xe0a, "K_BRL_DOT10"),
    };

    /// <summary>A keysym in hex with its name in a comment: K_NAME, or K(KT_TYPE, value) with
    /// the value as a character for the types that hold one.</summary>
    private static void Keysym(StringBuilder sb, ushort v)
    {
        HashX(sb, v);
        sb.Append(" /* ");
        int lo = 0, hi = Keysyms.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Keysyms[mid].Value < v) lo = mid + 1; else hi = mid;
        }
        if (lo < Keysyms.Length && Keysyms[lo].Value == v)
        {
            sb.Append(Keysyms[lo].Name).Append(" */");
            return;
        }
        int type = v >> 8, value = v & 0xff;
        sb.Append("K(");
        if (type < KeyTypes.Length)
            sb.Append(KeyTypes[type]);
        else
            HashX(sb, (ulong)type);
        sb.Append(", ");
        if (type is 0 or 8 or 11 or 13) // KT_LATIN, KT_META, KT_LETTER, KT_DEAD2: a character
        {
            sb.Append('\'');
            if (value == '\\' || value == '\'')
                sb.Append('\\').Append((char)value);
            else if (value >= 0x20 && value < 0x7f)
                sb.Append((char)value);
            else
                sb.Append("\\x").Append(value.ToString("x2", CultureInfo.InvariantCulture));
            sb.Append('\'');
        }
        else
            HashX(sb, (ulong)value);
        sb.Append(") */");
    }

    private static void Leds(StringBuilder sb, byte v, bool withDefaults)
    {
        int mark = DecodeStyle.Begin(sb); // -X: 0x7 /* LED_SCR|LED_NUM|LED_CAP */
        LedNames(sb, v, withDefaults);
        DecodeStyle.End(sb, mark, v);
    }

    private static void LedNames(StringBuilder sb, byte v, bool withDefaults)
    {
        int start = sb.Length;
        uint rest = v;
        int shifts = withDefaults ? 2 : 1;
        for (int s = 0; s < shifts; s++)
        {
            for (int bit = 0; bit < 3; bit++)
            {
                uint flag = 1u << (bit + 4 * s);
                if ((rest & flag) == 0)
                    continue;
                rest &= ~flag;
                if (sb.Length > start)
                    sb.Append('|');
                sb.Append(bit switch { 0 => "LED_SCR", 1 => "LED_NUM", _ => "LED_CAP" });
                if (s == 1)
                    sb.Append("<<4");
            }
        }
        if (sb.Length == start)
        {
            HashX(sb, rest);
            if (rest != 0)
                sb.Append(" /* LED_??? */");
        }
        else if (rest != 0)
        {
            sb.Append('|');
            HashX(sb, rest);
        }
    }

    private static void HashX(StringBuilder sb, ulong v)
    {
        if (v == 0)
            sb.Append('0');
        else
            sb.Append("0x").Append(v.ToString("x", CultureInfo.InvariantCulture));
    }
}
