using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>The PTP hardware clock ioctls of linux/ptp_clock.h (type '=') whose input strace 6.1
/// shows (tests/ioctl_ptp.c): struct ptp_sys_offset(_extended)'s n_samples and reserved words,
/// struct ptp_pin_desc's index, func and chan, struct ptp_extts_request; read at entry. The
/// reserved words are shown when not zero, and for pins and external timestamps only by the
/// "2" requests (the first versions ignore them).</summary>
internal static class IoctlPtpPrinter
{
    private const ulong SysOffset = 0x43403d05, SysOffset2 = 0x43403d0e, Extended = 0xc4c03d09, Extended2 = 0xc4c03d12,
        PinGet = 0xc0603d06, PinGet2 = 0xc0603d0f, PinSet = 0x40603d07, PinSet2 = 0x40603d10,
        Extts = 0x40103d02, Extts2 = 0x40103d0b, Precise = 0xc0403d08, Precise2 = 0xc0403d11,
        GetCaps = 0x80503d01, GetCaps2 = 0x80503d0a;

    /// <summary>Names the ioctl name generator misses (its probe rejects the structures
    /// of linux/ptp_clock.h that use clockid_t), or null.</summary>
    public static string? MissingName(ulong request) => request switch
    {
        Precise => "PTP_SYS_OFFSET_PRECISE",
        Precise2 => "PTP_SYS_OFFSET_PRECISE2",
        Extended => "PTP_SYS_OFFSET_EXTENDED",
        Extended2 => "PTP_SYS_OFFSET_EXTENDED2",
        _ => null,
    };

    public static readonly ConditionalPlan[] Captures =
    {
        // Whole structures: strace shows an address when any of it cannot be read.
        new(1, new[] { SysOffset, SysOffset2 }, 2, CapturePlan.AtEntry(832)),
        new(1, new[] { Extended, Extended2 }, 2, CapturePlan.AtEntry(1216)),
        new(1, new[] { Extts, Extts2 }, 2, CapturePlan.AtEntry(16)),
        new(1, new[] { PinGet, PinGet2, PinSet, PinSet2 }, 2, CapturePlan.AtEntry(96)),
    };

    private static readonly Named[] ExttsFlags =
    {
        new(0x1, "PTP_ENABLE_FEATURE"), new(0x2, "PTP_RISING_EDGE"), new(0x4, "PTP_FALLING_EDGE"), new(0x8, "PTP_STRICT_FLAGS"),
    };

    private static readonly string[] PinFuncs = { "PTP_PF_NONE", "PTP_PF_EXTTS", "PTP_PF_PEROUT", "PTP_PF_PHYSYNC" };

    /// <summary>Appends the argument of a ptp request it knows; false for others.</summary>
    public static bool TryAppendArgument(ref DecodeContext c, StringBuilder sb, ulong request)
    {
        var ic = CultureInfo.InvariantCulture;
        ReadOnlySpan<byte> b;
        switch (request)
        {
            case SysOffset or SysOffset2 or Extended or Extended2:
                if (!c.Data.TryGetFull(CaptureSlot.Entry(2), request is SysOffset or SysOffset2 ? 832 : 1216, out b))
                    break;
                sb.Append("{n_samples=").Append(U32(b, 0).ToString(ic));
                Reserved(sb, b[4..16]);
                sb.Append('}');
                return true;
            case Extts or Extts2:
                if (!c.Data.TryGetFull(CaptureSlot.Entry(2), 16, out b))
                    break;
                sb.Append("{index=").Append(U32(b, 0).ToString(ic)).Append(", flags=");
                FlagTables.Flags(sb, U32(b, 4), ExttsFlags, "PTP_???");
                if (request == Extts2)
                    Reserved(sb, b[8..16]);
                sb.Append('}');
                return true;
            case PinGet or PinGet2 or PinSet or PinSet2:
                if (!c.Data.TryGetFull(CaptureSlot.Entry(2), 96, out b))
                    break;
                // struct ptp_pin_desc: name[64], index, func, chan, rsv[5]
                sb.Append("{index=").Append(U32(b, 64).ToString(ic));
                if (request == PinGet2)
                    Reserved(sb, b[76..96]);
                if (request is PinSet or PinSet2)
                {
                    uint func = U32(b, 68);
                    sb.Append(", func=");
                    if (func < PinFuncs.Length)
                        sb.Append(PinFuncs[func]);
                    else
                        sb.Append("0x").Append(func.ToString("x", ic)).Append(" /* PTP_PF_??? */");
                    sb.Append(", chan=").Append(U32(b, 72).ToString(ic));
                    if (request == PinSet2)
                        Reserved(sb, b[76..96]);
                }
                sb.Append('}');
                return true;
            case Precise or Precise2 or GetCaps or GetCaps2:
                break; // written by the kernel: an address when the call fails
            default:
                return false;
        }
        StraceText.Pointer(sb, c.Args[2]);
        return true;
    }

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]);

    /// <summary>", rsv=[...]" in %#x when any reserved word is set.</summary>
    private static void Reserved(StringBuilder sb, ReadOnlySpan<byte> rsv)
    {
        if (rsv.IndexOfAnyExcept((byte)0) < 0)
            return;
        sb.Append(", rsv=[");
        for (int i = 0; i + 4 <= rsv.Length; i += 4)
        {
            if (i > 0) sb.Append(", ");
            uint v = U32(rsv, i);
            if (v == 0) sb.Append('0');
            else sb.Append("0x").Append(v.ToString("x", CultureInfo.InvariantCulture));
        }
        sb.Append(']');
    }
}
