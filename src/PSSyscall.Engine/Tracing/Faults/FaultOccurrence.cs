using System.Globalization;

namespace PSSyscall.Engine.Tracing.Faults;

/// <summary>
/// Which matching calls a fault hits, in strace's --inject "when=" sense:
/// <c>first</c>, <c>first..last</c>, <c>first+</c> (also written <c>first..</c>), <c>first..last+</c>,
/// <c>first+step</c>, <c>first..last+step</c>. Calls are counted from 1. No expression: every call.
/// </summary>
public readonly struct FaultOccurrence : IEquatable<FaultOccurrence>
{
    private FaultOccurrence(long first, long last, long step)
    {
        First = first;
        Last = last;
        Step = step;
    }

    /// <summary>Every matching call (strace's default, "1+").</summary>
    public static FaultOccurrence Always => new(1, long.MaxValue, 1);

    public long First { get; }

    /// <summary>The last call that can be hit (long.MaxValue: no end).</summary>
    public long Last { get; }

    public long Step { get; }

    /// <summary>True when call number <paramref name="n"/> (from 1) is one the fault hits.</summary>
    public bool Contains(long n) => n >= First && n <= Last && (n - First) % Step == 0;

    /// <summary>Parses an expression; throws <see cref="FaultException"/> ("InvalidOccurrence") with
    /// what is wrong in it.</summary>
    public static FaultOccurrence Parse(string text)
    {
        if (!TryParse(text, out FaultOccurrence occurrence, out string? problem))
            throw new FaultException("InvalidOccurrence", text,
                $"'{text}' is not an occurrence expression: {problem} Write first[..last][+[step]], e.g. 3, 2.., 2+, 1..10, 1..10+2 (calls count from 1).");
        return occurrence;
    }

    public static bool TryParse(string? text, out FaultOccurrence occurrence, out string? problem)
    {
        occurrence = Always;
        problem = null;
        string s = (text ?? "").Trim();
        if (s.Length == 0)
        {
            problem = "it is empty.";
            return false;
        }

        // Split "first[..last][+[step]]".
        string head = s, stepText = "";
        bool hasPlus = false;
        int plus = s.IndexOf('+');
        if (plus >= 0)
        {
            hasPlus = true;
            head = s[..plus];
            stepText = s[(plus + 1)..];
        }
        string firstText = head, lastText = "";
        bool hasRange = false;
        int dots = head.IndexOf("..", StringComparison.Ordinal);
        if (dots >= 0)
        {
            hasRange = true;
            firstText = head[..dots];
            lastText = head[(dots + 2)..];
        }

        if (!ParseNumber(firstText, "first", out long first, ref problem))
            return false;
        long last;
        if (hasRange && lastText.Length > 0)
        {
            if (!ParseNumber(lastText, "last", out last, ref problem))
                return false;
            if (last < first)
            {
                problem = $"the last call ({last}) comes before the first ({first}).";
                return false;
            }
        }
        else
        {
            // "2.." and "2+" run to the end; a bare "2" is that call only (unless a step follows).
            last = hasRange || hasPlus ? long.MaxValue : first;
        }
        long step = 1;
        if (hasPlus && stepText.Length > 0 && !ParseNumber(stepText, "step", out step, ref problem))
            return false;
        occurrence = new FaultOccurrence(first, last, step);
        return true;
    }

    private static bool ParseNumber(string text, string what, out long value, ref string? problem)
    {
        if (text.Length == 0)
        {
            problem = $"the {what} number is missing.";
            value = 0;
            return false;
        }
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            problem = $"'{text}' is not a number (the {what} number).";
            return false;
        }
        if (value < 1)
        {
            problem = $"the {what} number must be 1 or more.";
            return false;
        }
        return true;
    }

    /// <summary>The canonical strace form: "3", "2+", "1..10", "1..10+2", "2+2".</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        if (Last == long.MaxValue)
            return Step == 1 ? First.ToString(c) + "+" : First.ToString(c) + "+" + Step.ToString(c);
        if (Last == First)
            return First.ToString(c);
        string range = First.ToString(c) + ".." + Last.ToString(c);
        return Step == 1 ? range : range + "+" + Step.ToString(c);
    }

    public bool Equals(FaultOccurrence other) => First == other.First && Last == other.Last && Step == other.Step;
    public override bool Equals(object? obj) => obj is FaultOccurrence o && Equals(o);
    public override int GetHashCode() => HashCode.Combine(First, Last, Step);
}
