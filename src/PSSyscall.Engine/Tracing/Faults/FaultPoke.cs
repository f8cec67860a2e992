using System.Globalization;
using System.Text;

namespace PSSyscall.Engine.Tracing.Faults;

/// <summary>
/// strace --inject's poke_enter=/poke_exit=: bytes written into the tracee's memory at the address
/// an argument holds (@arg1 is the first argument), on the call's entry or at its exit.
/// </summary>
public sealed record FaultPoke(int Argument, byte[] Data)
{
    /// <summary>Most bytes one poke writes.</summary>
    public const int MaxBytes = 4096;

    /// <summary>strace's form: "@arg2=4142".</summary>
    public override string ToString() => "@arg" + Argument.ToString(CultureInfo.InvariantCulture) + "=" + Convert.ToHexString(Data);

    /// <summary>Parses strace's list "@arg1=DEAD,@arg2=0000BEEF" (the @ is optional). Throws
    /// <see cref="FaultException"/> (InvalidPoke) for anything else.</summary>
    public static IReadOnlyList<FaultPoke> ParseList(string text)
    {
        var list = new List<FaultPoke>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq < 0)
                throw Invalid(part);
            list.Add(Create(part[..eq], part[(eq + 1)..]));
        }
        if (list.Count == 0)
            throw Invalid(text);
        return list;
    }

    /// <summary>One poke from an argument ("@arg2", "arg2" or "2") and hex data ("4142", "0x4142").</summary>
    public static FaultPoke Create(string argument, string hex)
    {
        string a = argument.Trim().TrimStart('@');
        if (a.StartsWith("arg", StringComparison.OrdinalIgnoreCase))
            a = a[3..];
        if (!int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > 6)
            throw Invalid($"{argument}={hex}", $"'{argument}' is not an argument: name one of @arg1 to @arg6.");
        string h = hex.Trim();
        if (h.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            h = h[2..];
        byte[] data;
        try
        {
            data = h.Length % 2 == 0 && h.Length > 0 ? Convert.FromHexString(h) : throw new FormatException();
        }
        catch (FormatException)
        {
            throw Invalid($"{argument}={hex}", $"'{hex}' is not data to write: give an even number of hexadecimal digits, such as 0000DEAD.");
        }
        if (data.Length > MaxBytes)
            throw Invalid($"{argument}={hex}", $"A poke writes at most {MaxBytes} bytes.");
        return new FaultPoke(n, data);
    }

    /// <summary>"@arg1=DEAD,@arg2=BEEF", as strace writes the list.</summary>
    public static string Format(IReadOnlyList<FaultPoke> pokes)
    {
        var sb = new StringBuilder();
        foreach (FaultPoke p in pokes)
        {
            if (sb.Length > 0)
                sb.Append(',');
            sb.Append(p);
        }
        return sb.ToString();
    }

    private static FaultException Invalid(string text, string? why = null)
        => new("InvalidPoke", text, why ?? $"'{text}' is not a poke: write @argN=HEX, such as @arg2=0000DEAD (N from 1 to 6).");
}
