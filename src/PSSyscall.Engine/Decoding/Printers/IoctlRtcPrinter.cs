using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>The real-time clock ioctls of linux/rtc.h (type 'p') as strace 6.1 prints them
/// (tests/ioctl_rtc.c): the interrupt switches without an argument, the rates as unsigned longs,
/// the structures they set (struct rtc_time abbreviated after tm_year, struct rtc_wkalrm, struct
/// rtc_pll_info) read at entry, and the pointers of the others as NULL or an address.</summary>
internal static class IoctlRtcPrinter
{
    private const ulong AlmSet = 0x4024_7007, SetTime = 0x4024_700a, WkalmSet = 0x4028_700f, PllSet = 0x4020_7012;

    /// <summary>What the set requests read from their argument, captured at entry.</summary>
    public static readonly ConditionalPlan[] Captures =
    {
        new(1, new[] { AlmSet, SetTime }, 2, CapturePlan.AtEntry(36)),
        new(1, new[] { WkalmSet }, 2, CapturePlan.AtEntry(40)),
        new(1, new[] { PllSet }, 2, CapturePlan.AtEntry(32)),
    };

    private static readonly string[] TimeFields = { "{tm_sec=", ", tm_min=", ", tm_hour=", ", tm_mday=", ", tm_mon=", ", tm_year=" };
    private static readonly string[] PllFields = { "{pll_ctrl=", ", pll_value=", ", pll_max=", ", pll_min=", ", pll_posmult=", ", pll_negmult=" };

    /// <summary>RTC_{AIE,UIE,PIE,WIE}_{ON,OFF} and RTC_VL_CLR: no argument (strace leaves it out).</summary>
    public static bool TakesNoArgument(ulong request) =>
        request is 0x7001 or 0x7002 or 0x7003 or 0x7004 or 0x7005 or 0x7006 or 0x700f or 0x7010 or 0x7014;

    private static bool IsPointer(ulong request) => request switch
    {
        0x8024_7008 or 0x8024_7009 or 0x8008_700b or 0x8008_700d or 0x8028_7010 or 0x8020_7011
            or 0x8004_7013 or 0x4018_7013 or 0x4018_7014 => true, // ALM_READ, RD_TIME, IRQP_READ, EPOCH_READ,
        _ => false,                                                // WKALM_RD, PLL_GET, VL_READ, PARAM_GET/SET
    };

    /// <summary>Appends the argument of an rtc request it knows; false for others.</summary>
    public static bool TryAppendArgument(ref DecodeContext c, StringBuilder sb, ulong request)
    {
        ulong arg = c.Args[2];
        ReadOnlySpan<byte> b;
        switch (request)
        {
            case 0x4008_700c: // RTC_IRQP_SET
            case 0x4008_700e: // RTC_EPOCH_SET
                sb.Append(arg.ToString(CultureInfo.InvariantCulture));
                return true;
            case AlmSet:
            case SetTime:
                if (!c.Data.TryGetFull(CaptureSlot.Entry(2), 36, out b))
                    break;
                RtcTime(sb, b);
                return true;
            case WkalmSet:
                if (!c.Data.TryGetFull(CaptureSlot.Entry(2), 40, out b))
                    break;
                sb.Append("{enabled=").Append(b[0].ToString(CultureInfo.InvariantCulture))
                  .Append(", pending=").Append(b[1].ToString(CultureInfo.InvariantCulture)).Append(", time=");
                RtcTime(sb, b[4..]);
                sb.Append('}');
                return true;
            case PllSet:
                if (!c.Data.TryGetFull(CaptureSlot.Entry(2), 32, out b))
                    break;
                for (int i = 0; i < PllFields.Length; i++)
                    sb.Append(PllFields[i]).Append(BinaryPrimitives.ReadInt32LittleEndian(b[(4 * i)..]).ToString(CultureInfo.InvariantCulture));
                sb.Append(", pll_clock=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[24..]).ToString(CultureInfo.InvariantCulture)).Append('}');
                return true;
            default:
                if (!IsPointer(request))
                    return false;
                break;
        }
        StraceText.Pointer(sb, arg);
        return true;
    }

    /// <summary>struct rtc_time as strace abbreviates it: through tm_year, then "...".</summary>
    private static void RtcTime(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        for (int i = 0; i < TimeFields.Length; i++)
            sb.Append(TimeFields[i]).Append(BinaryPrimitives.ReadInt32LittleEndian(b[(4 * i)..]).ToString(CultureInfo.InvariantCulture));
        sb.Append(", ...}");
    }
}
