using System.Runtime.CompilerServices;
namespace PSSyscall.Engine.Storage;

/// <summary>
/// Parses the one timestamp form our JSON Lines files hold (what Utf8JsonWriter writes:
/// 2026-11-22T15:21:14.6737480+01:00, 2026-11-22T15:21:14.673748Z, fraction trimmed) without the
/// general ISO 8601 parser, which is a large share of the time to read an event. Anything else
/// returns false and goes to the general parser. Offsets are converted to local time as
/// Utf8JsonReader.GetDateTime does; the local offset is looked up once per hour of the trace.
/// </summary>
internal static class FastDateTime
{
    [ThreadStatic] private static long t_cachedHour = long.MinValue;
    [ThreadStatic] private static long t_cachedOffsetTicks;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<byte> s, out DateTime value)
    {
        value = default;
        // yyyy-MM-ddTHH:mm:ss
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
            return false;
        if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day)
            || !Digits(s, 11, 2, out int hour) || !Digits(s, 14, 2, out int minute) || !Digits(s, 17, 2, out int second))
            return false;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Clamp(year, 1, 9999), month) || hour > 23 || minute > 59 || second > 59 || year < 1)
            return false;
        int i = 19;
        long fraction = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            long scale = TimeSpan.TicksPerSecond;
            int start = i;
            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                if (i - start >= 7)
                    return false;
                scale /= 10;
                fraction += (s[i++] - '0') * scale;
            }
            if (i == start)
                return false;
        }
        long ticks = new DateTime(year, month, day, hour, minute, second).Ticks + fraction;
        if (i == s.Length)
        {
            value = new DateTime(ticks, DateTimeKind.Unspecified);
            return true;
        }
        if (s[i] == 'Z' && i + 1 == s.Length)
        {
            value = new DateTime(ticks, DateTimeKind.Utc);
            return true;
        }
        if ((s[i] != '+' && s[i] != '-') || i + 6 != s.Length || s[i + 3] != ':'
            || !Digits(s, i + 1, 2, out int offsetHours) || !Digits(s, i + 4, 2, out int offsetMinutes))
            return false;
        long offset = offsetHours * TimeSpan.TicksPerHour + offsetMinutes * TimeSpan.TicksPerMinute;
        if (s[i] == '-')
            offset = -offset;
        long utc = ticks - offset;
        if (utc < 0 || utc > DateTime.MaxValue.Ticks)
            return false;
        value = new DateTime(utc + LocalOffsetTicks(utc), DateTimeKind.Local);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long LocalOffsetTicks(long utcTicks)
    {
        long hourBucket = utcTicks / TimeSpan.TicksPerHour;
        if (hourBucket != t_cachedHour)
        {
            // Offsets change on whole hours (and half hours in a few zones, at the same instants).
            t_cachedOffsetTicks = TimeZoneInfo.Local.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;
            long bucketStart = hourBucket * TimeSpan.TicksPerHour;
            long bucketEnd = bucketStart + TimeSpan.TicksPerHour - 1;
            bool stable = TimeZoneInfo.Local.GetUtcOffset(new DateTime(bucketStart, DateTimeKind.Utc)).Ticks == t_cachedOffsetTicks
                          && TimeZoneInfo.Local.GetUtcOffset(new DateTime(Math.Min(bucketEnd, DateTime.MaxValue.Ticks), DateTimeKind.Utc)).Ticks == t_cachedOffsetTicks;
            if (!stable)
                return t_cachedOffsetTicks; // a transition inside this hour: do not cache
            t_cachedHour = hourBucket;
        }
        return t_cachedOffsetTicks;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9)
                return false;
            value = value * 10 + (int)d;
        }
        return true;
    }
}
