using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.DecodeText;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>The two times of utimes/futimesat (struct timeval[2]) and utimensat (struct
/// timespec[2], with UTIME_NOW and UTIME_OMIT), each followed by its date as strace prints it.</summary>
internal sealed class TimePairCodec(bool nanoseconds) : ArgCodec
{
    private const long UtimeNow = (1L << 30) - 1;
    private const long UtimeOmit = (1L << 30) - 2;

    public override CapturePlan Plan { get; } = CapturePlan.AtEntry(32);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 32)
            return false;
        sb.Append('[');
        for (int k = 0; k < 2; k++)
        {
            if (k > 0) sb.Append(", ");
            long sec = BinaryPrimitives.ReadInt64LittleEndian(b[(k * 16)..]);
            long frac = BinaryPrimitives.ReadInt64LittleEndian(b[(k * 16 + 8)..]);
            if (nanoseconds && frac is UtimeNow or UtimeOmit)
            {
                string special = frac == UtimeNow ? "UTIME_NOW" : "UTIME_OMIT";
                if (DecodeStyle.Constants == ConstantStyle.Abbrev) { sb.Append(special); continue; }
                // -X: the structure as it is, verbose adds the name
                sb.Append("{tv_sec=").Append(sec.ToString(CultureInfo.InvariantCulture)).Append(", tv_nsec=").Append(frac.ToString(CultureInfo.InvariantCulture)).Append('}');
                if (DecodeStyle.Constants == ConstantStyle.Verbose) sb.Append(" /* ").Append(special).Append(" */");
                continue;
            }
            sb.Append("{tv_sec=").Append(sec.ToString(CultureInfo.InvariantCulture))
              .Append(nanoseconds ? ", tv_nsec=" : ", tv_usec=").Append(((ulong)frac).ToString(CultureInfo.InvariantCulture)).Append('}');
            // strace: the fraction unsigned; no date for {0, 0} or a fraction out of range.
            if ((sec != 0 || frac != 0) && (ulong)frac <= (nanoseconds ? 999_999_999UL : 999_999UL))
                DateComment(sb, sec, frac, nanoseconds ? 9 : 6);
        }
        sb.Append(']');
        return true;
    }

    /// <summary>" /* 2001-09-09T01:46:40.000001+0000 */": local time, the fraction only when not zero.</summary>
    internal static void DateComment(StringBuilder sb, long sec, long frac, int digits)
    {
        DateTimeOffset t;
        try
        {
            t = DateTimeOffset.FromUnixTimeSeconds(sec).ToLocalTime();
        }
        catch (ArgumentOutOfRangeException)
        {
            return;
        }
        sb.Append(" /* ").Append(t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        if (frac != 0 && frac > 0 && frac < (digits == 9 ? 1_000_000_000 : 1_000_000))
            sb.Append('.').Append(frac.ToString(new string('0', digits), CultureInfo.InvariantCulture));
        TimeSpan off = t.Offset;
        sb.Append(off < TimeSpan.Zero ? '-' : '+').Append(Math.Abs(off.Hours).ToString("00", CultureInfo.InvariantCulture))
          .Append(Math.Abs(off.Minutes).ToString("00", CultureInfo.InvariantCulture)).Append(" */");
    }
}

/// <summary>A struct timespec or timeval, read or written by direction.</summary>
internal sealed class TimeCodec(Direction direction, bool timeval) : ArgCodec
{
    public override CapturePlan Plan { get; } = direction == Direction.In ? CapturePlan.AtEntry(16) : CapturePlan.AtExit(16);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 16)
            return false;
        Time(sb, b, timeval);
        return true;
    }
}

/// <summary>nanosleep's and clock_nanosleep's "remaining" timespec: the kernel writes it only when
/// a signal cut the sleep short (EINTR), so it is copied whatever the result and shown only then.</summary>
internal sealed class RemainingTimeCodec : ArgCodec
{
    private const int EINTR = 4, ERESTART_RESTARTBLOCK = 516; // the tracer sees the latter when a handler runs

    public override CapturePlan Plan { get; } = new(CaptureWhen.ExitAny, CaptureLength.Fixed, 16);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (!c.Failed || (c.Errno != EINTR && c.Errno != ERESTART_RESTARTBLOCK) || b.Length < 16)
            return false;
        Time(sb, b, false);
        return true;
    }
}

/// <summary>struct itimerspec or itimerval: {it_interval={...}, it_value={...}}.</summary>
internal sealed class ItimerCodec(Direction direction, bool timeval) : ArgCodec
{
    public override CapturePlan Plan { get; } = direction == Direction.In ? CapturePlan.AtEntry(32) : CapturePlan.AtExit(32);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 32)
            return false;
        Itimer(sb, b, timeval);
        return true;
    }

    /// <summary>struct itimerspec or itimerval: {it_interval={...}, it_value={...}}.</summary>
    private static void Itimer(StringBuilder sb, ReadOnlySpan<byte> b, bool timeval)
    {
        sb.Append("{it_interval=");
        Time(sb, b, timeval);
        sb.Append(", it_value=");
        Time(sb, b[16..], timeval);
        sb.Append('}');
    }
}

/// <summary>A time in seconds since the epoch as its date, for time()'s result:
/// 1796423402 (2026-12-04T22:30:02+0000).</summary>
internal sealed class EpochDateCodec : ArgCodec
{
    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        var comment = new StringBuilder();
        TimePairCodec.DateComment(comment, (long)v, 0, 0);
        // " /* DATE */" -> "DATE"
        sb.Append(comment.ToString(4, comment.Length - 7));
        return true;
    }
}

/// <summary>A timeout the call reads and updates with the time left (recvmmsg): shown as given; the
/// time left goes in the result (<see cref="TimeLeftResultCodec"/>).</summary>
internal sealed class UpdatedTimeoutCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.EntryAndExit, CaptureLength.Fixed, 16);

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (v == 0) sb.Append("NULL");
        else if (c.Data.TryGetFull(CaptureSlot.Entry(i), 16, out ReadOnlySpan<byte> b)) Time(sb, b, false);
        else StraceText.Pointer(sb, v);
        return true;
    }
}

/// <summary>The result's "(left {...})": the timeout argument as the call left it.</summary>
internal sealed class TimeLeftResultCodec(int timeoutArgument) : ArgCodec
{
    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        if (c.Args[timeoutArgument] == 0 || !c.Data.TryGetFull(CaptureSlot.Exit(timeoutArgument), 16, out ReadOnlySpan<byte> b))
            return false;
        sb.Append("left ");
        Time(sb, b, false);
        return true;
    }
}

/// <summary>struct timezone (gettimeofday, settimeofday): {tz_minuteswest=0, tz_dsttime=0}.</summary>
internal sealed class TimezoneCodec(Direction direction) : FixedStructCodec
{
    public override CapturePlan Plan { get; } = direction == Direction.In ? CapturePlan.AtEntry(8) : CapturePlan.AtExit(8);

    protected override void PrintStruct(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append("{tz_minuteswest=").Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(CultureInfo.InvariantCulture))
          .Append(", tz_dsttime=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[4..]).ToString(CultureInfo.InvariantCulture)).Append('}');
    }
}

/// <summary>time's time_t out-pointer: [seconds /* date */].</summary>
internal sealed class PointedTimeCodec : FixedStructCodec
{
    public override CapturePlan Plan { get; } = CapturePlan.AtExit(8);

    protected override void PrintStruct(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        long t = BinaryPrimitives.ReadInt64LittleEndian(b);
        sb.Append('[').Append(t.ToString(CultureInfo.InvariantCulture));
        TimePairCodec.DateComment(sb, t, 0, 0);
        sb.Append(']');
    }
}
