using System.Runtime.CompilerServices;
using System.Buffers;
using System.Text;

namespace PSSyscall.Engine.Storage;

/// <summary>The kinds of JSON value the writer's layout holds.</summary>
internal enum JsonTokenKind : byte
{
    String,
    /// <summary>A string with backslash escapes (its raw bytes still hold them).</summary>
    EscapedString,
    Number,
    True,
    False,
    Null,
}

/// <summary>
/// One JSON scalar value found by <see cref="JsonScalarScanner"/>: its kind and its raw bytes (a
/// string's without the quotes). Strict JSON: what the scanner accepts, Utf8JsonReader accepts too.
/// </summary>
internal readonly ref struct JsonToken
{
    public JsonToken(JsonTokenKind kind, ReadOnlySpan<byte> raw)
    {
        Kind = kind;
        Raw = raw;
    }

    public JsonTokenKind Kind { get; }

    public ReadOnlySpan<byte> Raw { get; }

    public bool IsString => Kind is JsonTokenKind.String or JsonTokenKind.EscapedString;

    /// <summary>The string's text, escapes undone; short unescaped strings are shared.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string GetString(Utf8StringCache strings)
    {
        if (Kind == JsonTokenKind.String)
            return strings.Get(Raw);
        char[] rented = ArrayPool<char>.Shared.Rent(Raw.Length);
        try
        {
            int n = Unescape(Raw, rented);
            return new string(rented, 0, n);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>Undoes JSON escapes; the scanner has checked them. UTF-16 output is never longer
    /// than the UTF-8 input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Unescape(ReadOnlySpan<byte> raw, Span<char> output)
    {
        int n = 0;
        while (!raw.IsEmpty)
        {
            int backslash = raw.IndexOf((byte)'\\');
            ReadOnlySpan<byte> plain = backslash < 0 ? raw : raw[..backslash];
            n += Encoding.UTF8.GetChars(plain, output[n..]);
            if (backslash < 0)
                break;
            byte escape = raw[backslash + 1];
            raw = raw[(backslash + 2)..];
            switch (escape)
            {
                case (byte)'b': output[n++] = '\b'; break;
                case (byte)'f': output[n++] = '\f'; break;
                case (byte)'n': output[n++] = '\n'; break;
                case (byte)'r': output[n++] = '\r'; break;
                case (byte)'t': output[n++] = '\t'; break;
                case (byte)'u':
                    System.Buffers.Text.Utf8Parser.TryParse(raw[..4], out ushort unit, out _, 'X');
                    output[n++] = (char)unit;
                    raw = raw[4..];
                    break;
                default: output[n++] = (char)escape; break; // " \ /
            }
        }
        return n;
    }
}

/// <summary>
/// Finds JSON scalar values in a line, checking the grammar as it goes; returns false at anything
/// that is not a well-formed scalar (the caller then leaves the line to Utf8JsonReader).
/// </summary>
internal static class JsonScalarScanner
{
    private static readonly SearchValues<byte> StringSpecials = SearchValues.Create(MakeStringSpecials());

    private static byte[] MakeStringSpecials()
    {
        var bytes = new List<byte> { (byte)'"', (byte)'\\' };
        for (int b = 0; b < 0x20; b++)
            bytes.Add((byte)b);
        return bytes.ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryScan(ReadOnlySpan<byte> line, ref int position, out JsonToken token)
    {
        token = default;
        if (position >= line.Length)
            return false;
        switch (line[position])
        {
            case (byte)'"':
                return TryScanString(line, ref position, out token);
            case (byte)'t':
                return TryLiteral(line, ref position, "true"u8, JsonTokenKind.True, out token);
            case (byte)'f':
                return TryLiteral(line, ref position, "false"u8, JsonTokenKind.False, out token);
            case (byte)'n':
                return TryLiteral(line, ref position, "null"u8, JsonTokenKind.Null, out token);
            default:
                return TryScanNumber(line, ref position, out token);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryLiteral(ReadOnlySpan<byte> line, ref int position, ReadOnlySpan<byte> literal, JsonTokenKind kind, out JsonToken token)
    {
        token = default;
        if (!line[position..].StartsWith(literal))
            return false;
        token = new JsonToken(kind, line.Slice(position, literal.Length));
        position += literal.Length;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryScanString(ReadOnlySpan<byte> line, ref int position, out JsonToken token)
    {
        token = default;
        int start = position + 1;
        int i = start;
        bool escaped = false;
        while (true)
        {
            int special = line[i..].IndexOfAny(StringSpecials);
            if (special < 0)
                return false;
            i += special;
            byte b = line[i];
            if (b == (byte)'"')
                break;
            if (b != (byte)'\\' || i + 1 >= line.Length)
                return false; // a control character, or a backslash at the end
            escaped = true;
            byte escape = line[i + 1];
            if (escape == (byte)'u')
            {
                if (i + 6 > line.Length || !IsHex(line.Slice(i + 2, 4)))
                    return false;
                i += 6;
            }
            else if (escape is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t')
            {
                i += 2;
            }
            else
            {
                return false;
            }
        }
        token = new JsonToken(escaped ? JsonTokenKind.EscapedString : JsonTokenKind.String, line[start..i]);
        position = i + 1;
        return true;
    }

    private static bool IsHex(ReadOnlySpan<byte> digits)
    {
        foreach (byte d in digits)
            if (!char.IsAsciiHexDigit((char)d))
                return false;
        return true;
    }

    /// <summary>-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryScanNumber(ReadOnlySpan<byte> line, ref int position, out JsonToken token)
    {
        token = default;
        int i = position;
        if (i < line.Length && line[i] == (byte)'-')
            i++;
        if (i >= line.Length || !char.IsAsciiDigit((char)line[i]))
            return false;
        if (line[i] == (byte)'0')
            i++;
        else
            i = SkipDigits(line, i);
        if (i < line.Length && line[i] == (byte)'.')
        {
            int digits = ++i;
            i = SkipDigits(line, i);
            if (i == digits)
                return false;
        }
        if (i < line.Length && (line[i] | 0x20) == (byte)'e')
        {
            i++;
            if (i < line.Length && line[i] is (byte)'+' or (byte)'-')
                i++;
            int digits = i;
            i = SkipDigits(line, i);
            if (i == digits)
                return false;
        }
        token = new JsonToken(JsonTokenKind.Number, line[position..i]);
        position = i;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SkipDigits(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && char.IsAsciiDigit((char)line[i]))
            i++;
        return i;
    }
}
