using System.Globalization;

namespace PSSyscall.Engine.Tracing.Faults;

/// <summary>Delays as people write them: "200ms", "1.5s", "500us", "2m", or a TimeSpan string
/// ("00:00:00.200"). A bare number has no unit and is refused rather than guessed.</summary>
public static class FaultDelay
{
    private static readonly (string Suffix, double TicksPerUnit)[] Units =
    {
        ("ns", 0.01), ("us", 10), ("µs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    };

    public static bool TryParse(string? text, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        string s = (text ?? "").Trim();
        if (s.Length == 0)
            return false;
        // Longest suffix first: "ms" before "s", "us" before "s".
        foreach (var (suffix, ticks) in Units.OrderByDescending(u => u.Suffix.Length))
        {
            if (!s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                continue;
            string number = s[..^suffix.Length].Trim();
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                && value >= 0 && !double.IsInfinity(value) && value * ticks < TimeSpan.MaxValue.Ticks)
            {
                delay = TimeSpan.FromTicks((long)Math.Round(value * ticks));
                return true;
            }
            return false;
        }
        return s.Contains(':') && TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out delay) && delay >= TimeSpan.Zero;
    }
}
