using System.Globalization;
using System.Text.RegularExpressions;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall;

/// <summary>
/// One comparison of a syscall argument (index 0-5) with a 64-bit value: <c>arg0 == 2</c>,
/// <c>arg2 &gt;= 5</c>, <c>arg1 &amp; 0xff00 == 0x1000</c>. All of a rule's conditions must hold.
/// </summary>
public sealed partial class SeccompCondition : IEquatable<SeccompCondition>
{
    public const int MaxIndex = 5;

    public SeccompCondition()
    {
    }

    public SeccompCondition(int index, SeccompOperator op, ulong value, ulong mask = 0)
    {
        if (index < 0 || index > MaxIndex)
            throw new SeccompException("ArgumentIndexOutOfRange", $"A syscall has arguments 0 to {MaxIndex}; there is no argument {index}.", index);
        Index = index;
        Operator = op;
        Value = value;
        Mask = op == SeccompOperator.MaskedEqual ? mask : 0;
    }

    /// <summary>The argument, 0 to 5.</summary>
    public int Index { get; set; }

    public SeccompOperator Operator { get; set; }

    /// <summary>The value compared with (for MaskedEqual: with the masked argument).</summary>
    public ulong Value { get; set; }

    /// <summary>For MaskedEqual, the mask applied to the argument first; else 0.</summary>
    public ulong Mask { get; set; }

    /// <summary>True when an argument value satisfies this condition (what the compiled BPF does
    /// on a 64-bit ABI).</summary>
    public bool Matches(ulong argument) => Operator switch
    {
        SeccompOperator.Equal => argument == Value,
        SeccompOperator.NotEqual => argument != Value,
        SeccompOperator.Less => argument < Value,
        SeccompOperator.LessOrEqual => argument <= Value,
        SeccompOperator.Greater => argument > Value,
        SeccompOperator.GreaterOrEqual => argument >= Value,
        SeccompOperator.MaskedEqual => (argument & Mask) == Value,
        _ => false,
    };

    // arg<N> [& <mask>] <op> <value>; values decimal, 0x hex, or negative (two's complement).
    [GeneratedRegex(@"^\s*arg(?:ument)?\s*(?<index>\d+)\s*(?:&\s*(?<mask>-?(?:0[xX][0-9a-fA-F_]+|[0-9_]+))\s*)?(?<op>==|!=|<=|>=|<|>|=)\s*(?<value>-?(?:0[xX][0-9a-fA-F_]+|[0-9_]+))\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Expression();

    /// <summary>Parses <c>'arg0 == 2'</c>, <c>'arg2 &gt;= 5'</c>, <c>'arg1 &amp; 0xff00 == 0x1000'</c>
    /// (operators == != &lt; &lt;= &gt; &gt;=; values decimal, hex, or negative for two's complement).</summary>
    public static SeccompCondition Parse(string text)
    {
        Match m = Expression().Match(text ?? "");
        if (!m.Success)
            throw new SeccompException("InvalidCondition",
                $"'{text}' is not a condition. Write 'argN <op> value' or 'argN & mask == value', with N 0-5 and <op> one of == != < <= > >= (for example 'arg0 == 2', 'arg1 & 0xff00 == 0x1000').", text);
        if (!int.TryParse(m.Groups["index"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index > MaxIndex)
            throw new SeccompException("ArgumentIndexOutOfRange", $"'{text}': a syscall has arguments arg0 to arg{MaxIndex}.", text);
        if (!SeccompAction.TryParseNumber(m.Groups["value"].Value, out ulong value))
            throw new SeccompException("InvalidCondition", $"'{text}': '{m.Groups["value"].Value}' is not a 64-bit number.", text);
        string op = m.Groups["op"].Value;
        if (m.Groups["mask"].Success)
        {
            if (op is not ("==" or "="))
                throw new SeccompException("InvalidCondition", $"'{text}': a masked comparison can only test equality ('argN & mask == value').", text);
            if (!SeccompAction.TryParseNumber(m.Groups["mask"].Value, out ulong mask))
                throw new SeccompException("InvalidCondition", $"'{text}': '{m.Groups["mask"].Value}' is not a 64-bit number.", text);
            return new SeccompCondition(index, SeccompOperator.MaskedEqual, value, mask);
        }
        SeccompOperator parsed = op switch
        {
            "==" or "=" => SeccompOperator.Equal,
            "!=" => SeccompOperator.NotEqual,
            "<" => SeccompOperator.Less,
            "<=" => SeccompOperator.LessOrEqual,
            ">" => SeccompOperator.Greater,
            _ => SeccompOperator.GreaterOrEqual,
        };
        return new SeccompCondition(index, parsed, value);
    }

    public SeccompCondition Copy() => new() { Index = Index, Operator = Operator, Value = Value, Mask = Mask };

    // Small values read best in decimal (arg2 < 100), flags and masks in hex (0x1000, 0xff00).
    private static string Hex(ulong v) => v < 0x1000 ? v.ToString(CultureInfo.InvariantCulture) : "0x" + v.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>The expression form that <see cref="Parse"/> reads back.</summary>
    public override string ToString() => Operator switch
    {
        SeccompOperator.MaskedEqual => $"arg{Index} & {Hex(Mask)} == {Hex(Value)}",
        _ => $"arg{Index} {OperatorText(Operator)} {Hex(Value)}",
    };

    private static string OperatorText(SeccompOperator op) => op switch
    {
        SeccompOperator.Equal => "==",
        SeccompOperator.NotEqual => "!=",
        SeccompOperator.Less => "<",
        SeccompOperator.LessOrEqual => "<=",
        SeccompOperator.Greater => ">",
        _ => ">=",
    };

    public bool Equals(SeccompCondition? other) => other is not null && other.Index == Index && other.Operator == Operator && other.Value == Value && other.Mask == Mask;
    public override bool Equals(object? obj) => Equals(obj as SeccompCondition);
    public override int GetHashCode() => HashCode.Combine(Index, Operator, Value, Mask);
}
