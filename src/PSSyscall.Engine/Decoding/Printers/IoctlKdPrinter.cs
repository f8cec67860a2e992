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

    private const ulong GetKbEnt = 0x4B46, GetKeycode = 0x4B4C, SetKeycode = 0x4B4D, KbdRep = 0x4B52;

    /// <summary>What the structure requests read from their argument, captured at entry.</summary>
    public static readonly ConditionalPlan[] Captures =
    {
        new(1, new[] { GetKbEnt }, 2, CapturePlan.AtEntry(4)),
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
                sb.Append(", kb_index=").Append(b[1].ToString(ic)).Append('}');
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
                    sb.Append(name);
                else
                {
                    HashX(sb, mode);
                    sb.Append(" /* KD_??? */");
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
                    sb.Append(SignalNames.GetName((int)arg));
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

    private static void Leds(StringBuilder sb, byte v, bool withDefaults)
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
