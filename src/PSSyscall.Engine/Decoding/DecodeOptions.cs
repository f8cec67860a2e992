using System.Globalization;
using System.Text;

namespace PSSyscall.Engine.Decoding;

/// <summary>How named constants (flags, enums, signals, AT_FDCWD, modes) are printed: strace's -X.</summary>
public enum ConstantStyle : byte
{
    /// <summary>Names only, numbers for unknown bits (strace's default, -X abbrev): O_RDWR|O_CLOEXEC.</summary>
    Abbrev,
    /// <summary>Numbers only (-X raw): 0x80002.</summary>
    Raw,
    /// <summary>Numbers with their names in a comment (-X verbose): 0x80002 /* O_RDWR|O_CLOEXEC */.</summary>
    Verbose,
}

/// <summary>Which strings are printed as \x escapes: strace's -x and -xx.</summary>
public enum HexStringStyle : byte
{
    /// <summary>C escapes and octal for unprintable bytes (strace's default).</summary>
    None,
    /// <summary>A string holding any byte that is neither printable ASCII nor \t \n \v \f \r is
    /// printed wholly in hex (-x).</summary>
    NonAscii,
    /// <summary>Every string in hex (-xx), descriptor paths included.</summary>
    All,
}

/// <summary>
/// The decoding forms of a trace, as strace's -X, -v, -x and -xx choose them. Each event keeps the
/// options of its trace and is decoded (lazily, off the tracer thread) with them; the capture side
/// reads only <see cref="Unabbreviated"/> (execve's environment is copied whole then).
/// </summary>
/// <param name="Constants">Names, numbers, or both (-X abbrev|raw|verbose).</param>
/// <param name="Unabbreviated">Structures in full (-v): every field of struct stat, execve's
/// environment strings, no "..." for fields strace leaves out by default.</param>
/// <param name="HexStrings">Strings in hex: none, non-ASCII ones (-x), all (-xx).</param>
public readonly record struct DecodeOptions(ConstantStyle Constants = ConstantStyle.Abbrev, bool Unabbreviated = false, HexStringStyle HexStrings = HexStringStyle.None)
{
    /// <summary>strace's defaults.</summary>
    public static readonly DecodeOptions Default = default;

    /// <summary>The strace options these stand for ("-X verbose -v -x"), empty for the defaults.</summary>
    public override string ToString()
    {
        var parts = new List<string>(3);
        if (Constants != ConstantStyle.Abbrev) parts.Add("-X " + Constants.ToString().ToLowerInvariant());
        if (Unabbreviated) parts.Add("-v");
        if (HexStrings == HexStringStyle.NonAscii) parts.Add("-x");
        if (HexStrings == HexStringStyle.All) parts.Add("-xx");
        return string.Join(' ', parts);
    }
}

/// <summary>
/// The options of the event being decoded on this thread (the consumer's: decoding is lazy and one
/// event at a time), so that the shared text primitives (flag tables, quoting) follow them without
/// every printer passing them along. <see cref="Use"/> sets them for one decode.
/// </summary>
internal static class DecodeStyle
{
    [ThreadStatic] private static DecodeOptions t_current;
    [ThreadStatic] private static int t_composite;
    [ThreadStatic] private static StringBuilder? t_named;

    public static DecodeOptions Current => t_current;

    /// <summary>The constant style for the constant being printed now: Abbrev inside a composite
    /// constant (<see cref="Begin"/>), whose parts are rewritten as one at <see cref="End"/>.</summary>
    public static ConstantStyle Constants => t_composite > 0 ? ConstantStyle.Abbrev : t_current.Constants;

    public static bool Unabbreviated => t_current.Unabbreviated;

    public static HexStringStyle HexStrings => t_current.HexStrings;

    /// <summary>Sets the options for the decode that follows; dispose to restore the previous ones.</summary>
    public static Scope Use(DecodeOptions options)
    {
        var scope = new Scope(t_current, t_composite);
        t_current = options;
        t_composite = 0;
        return scope;
    }

    /// <summary>Names only until disposed, whatever the style (strace's result explanations such as
    /// fcntl's "(flags O_RDWR)", which it formats abbreviated in every style).</summary>
    public static Scope Abbreviated()
    {
        var scope = new Scope(t_current, t_composite);
        t_composite++;
        return scope;
    }

    public readonly struct Scope(DecodeOptions previous, int composite) : IDisposable
    {
        public void Dispose()
        {
            t_current = previous;
            t_composite = composite;
        }
    }

    /// <summary>How a constant's number is written in raw and verbose forms.</summary>
    public enum Number : byte { Hex, Decimal, Octal, Unsigned }

    /// <summary>Starts a constant printed by parts (open's access mode and flags, a file mode):
    /// the parts print in names; <see cref="End"/> rewrites them for the style. Returns -1 (nothing
    /// to do) in the abbreviated style or inside another composite.</summary>
    public static int Begin(StringBuilder sb)
    {
        if (Constants == ConstantStyle.Abbrev)
            return -1;
        t_composite++;
        return sb.Length;
    }

    /// <summary>Starts a constant whose parts print in the trace's style themselves (strace's
    /// IOPRIO_PRIO_VALUE(0 /* IOPRIO_CLASS_NONE */, 4)); end it with <see cref="End"/>'s
    /// <c>keptParts</c> set.</summary>
    public static int BeginKeepingParts(StringBuilder sb) => Constants == ConstantStyle.Abbrev ? -1 : sb.Length;

    /// <summary>Ends <see cref="Begin"/>: raw keeps the number, verbose the number and the names in a
    /// comment. <paramref name="unknown"/>: no name fits, and the names part already shows the
    /// number ("0x7 /* SEEK_??? */"), which verbose keeps as it is.</summary>
    public static void End(StringBuilder sb, int mark, ulong value, Number number = Number.Hex, bool unknown = false, bool keptParts = false)
    {
        if (mark < 0)
            return;
        if (!keptParts)
            t_composite--;
        StringBuilder named = t_named ??= new StringBuilder(64);
        named.Clear().Append(sb, mark, sb.Length - mark);
        sb.Length = mark;
        AppendNumber(sb, value, number);
        if (t_current.Constants == ConstantStyle.Raw)
            return;
        int n = sb.Length - mark;
        bool same = unknown || (named.Length >= n && Equal(named, sb, mark, n) && (named.Length == n || named[n] == ' '));
        if (same)
        {
            sb.Length = mark;
            sb.Append(named);
        }
        else if (named.Length > 0)
        {
            sb.Append(" /* ").Append(named).Append(" */");
        }
    }

    /// <summary>Ends <see cref="Begin"/> for a value stored in network order, which strace's raw
    /// and verbose forms show as its bytes ("\x30\x39" /* htons(12345) */).</summary>
    public static void EndBytes(StringBuilder sb, int mark, ReadOnlySpan<byte> bytes)
    {
        if (mark < 0)
            return;
        t_composite--;
        StringBuilder named = t_named ??= new StringBuilder(64);
        named.Clear().Append(sb, mark, sb.Length - mark);
        sb.Length = mark;
        StraceText.Quote(sb, bytes, false, hex: true);
        if (t_current.Constants == ConstantStyle.Verbose)
            sb.Append(" /* ").Append(named).Append(" */");
    }

    /// <summary>-X raw: removes the " /* ... */" explanations appended after <paramref name="mark"/>
    /// (strace prints an argument's number alone in the raw style).</summary>
    public static void StripCommentsIfRaw(StringBuilder sb, int mark)
    {
        if (t_current.Constants != ConstantStyle.Raw || t_composite > 0)
            return;
        string text = sb.ToString(mark, sb.Length - mark);
        int open = text.IndexOf(" /* ", StringComparison.Ordinal);
        if (open < 0)
            return;
        var kept = new StringBuilder(text.Length);
        int at = 0;
        while (open >= 0)
        {
            int close = text.IndexOf(" */", open + 4, StringComparison.Ordinal);
            if (close < 0)
                break;
            kept.Append(text, at, open - at);
            at = close + 3;
            open = text.IndexOf(" /* ", at, StringComparison.Ordinal);
        }
        kept.Append(text, at, text.Length - at);
        sb.Length = mark;
        sb.Append(kept);
    }

    private static bool Equal(StringBuilder named, StringBuilder sb, int mark, int n)
    {
        for (int k = 0; k < n; k++)
            if (named[k] != sb[mark + k])
                return false;
        return true;
    }

    private static void AppendNumber(StringBuilder sb, ulong value, Number number)
    {
        switch (number)
        {
            case Number.Decimal: sb.Append(((long)value).ToString(CultureInfo.InvariantCulture)); break;
            case Number.Octal: StraceText.Octal(sb, value); break;
            case Number.Unsigned: sb.Append(value.ToString(CultureInfo.InvariantCulture)); break;
            default: StraceText.Hex(sb, value); break;
        }
    }
}
