using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// How one property type is stored. JSON: numbers as numbers, enums by name, DateTime in ISO 8601
/// with all seven fractional digits it needs (exact ticks and kind), TimeSpan as seconds with up to
/// seven decimals (exact ticks), null as null. Text (CSV): what the value's ToString() gives, as
/// Export-Csv writes it, except DateTime, written in the round-trip form ("o") so no precision is lost.
/// </summary>
internal abstract class ValueCodec<T>
{
    public abstract void WriteJson(Utf8JsonWriter writer, T value);

    public abstract T ReadJson(ref Utf8JsonReader reader, Utf8StringCache strings);

    public abstract string? FormatText(T value);

    public abstract T ParseText(string? text);

    /// <summary>Parses a CSV field straight from its UTF-8 bytes (<paramref name="isNull"/>: the
    /// field was empty and unquoted). The general form decodes a string and calls ParseText; the
    /// common types parse the bytes themselves.</summary>
    public virtual T ParseUtf8(ReadOnlySpan<byte> utf8, bool isNull, Utf8StringCache strings)
        => ParseText(isNull ? null : strings.Get(utf8));

    /// <summary>Converts a value found by <see cref="JsonScalarScanner"/>; false when the token is not
    /// this type's usual form (the line then goes to the general JSON reader, which decides).</summary>
    public virtual bool TryReadToken(JsonToken token, Utf8StringCache strings, out T value)
    {
        value = default!;
        return false;
    }

    protected static string Required(string? text) => text ?? throw new FormatException("a value is required");
}

internal static class ValueCodecs
{
    private static readonly ConcurrentDictionary<Type, object?> Cache = new();

    /// <summary>The codec for a property type, or null when the type is not a stored scalar.</summary>
    public static object? For(Type type) => Cache.GetOrAdd(type, Build);

    private static object? Build(Type type)
    {
        if (type == typeof(string)) return new StringCodec();
        if (type == typeof(int)) return new IntegerCodec<int>();
        if (type == typeof(long)) return new IntegerCodec<long>();
        if (type == typeof(ulong)) return new IntegerCodec<ulong>();
        if (type == typeof(bool)) return new BooleanCodec();
        if (type == typeof(double)) return new DoubleCodec();
        if (type == typeof(DateTime)) return new DateTimeCodec();
        if (type == typeof(TimeSpan)) return new TimeSpanCodec();
        if (type.IsEnum) return Activator.CreateInstance(typeof(EnumCodec<>).MakeGenericType(type));
        if (Nullable.GetUnderlyingType(type) is Type inner && For(inner) is object innerCodec)
            return Activator.CreateInstance(typeof(NullableCodec<>).MakeGenericType(inner), innerCodec);
        return null;
    }

    internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}

internal sealed class StringCodec : ValueCodec<string?>
{
    public override void WriteJson(Utf8JsonWriter writer, string? value)
    {
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(value);
    }

    public override string? ReadJson(ref Utf8JsonReader reader, Utf8StringCache strings)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.String)
            throw new FormatException("expected a string");
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
            return strings.Get(reader.ValueSpan);
        return reader.GetString();
    }

    public override string? FormatText(string? value) => value;

    // A string property's empty unquoted field is null; a quoted empty field is "".
    public override string? ParseText(string? text) => text;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override string? ParseUtf8(ReadOnlySpan<byte> utf8, bool isNull, Utf8StringCache strings)
        => isNull ? null : strings.Get(utf8);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryReadToken(JsonToken token, Utf8StringCache strings, out string? value)
    {
        value = token.IsString ? token.GetString(strings) : null;
        return token.IsString || token.Kind == JsonTokenKind.Null;
    }
}

/// <summary>int, long and ulong: JSON numbers, invariant decimal text.</summary>
internal sealed class IntegerCodec<T> : ValueCodec<T> where T : struct, IBinaryInteger<T>
{
    private const NumberStyles Style = NumberStyles.AllowLeadingSign;

    public override void WriteJson(Utf8JsonWriter writer, T value)
    {
        Span<byte> text = stackalloc byte[24];
        value.TryFormat(text, out int written, default, CultureInfo.InvariantCulture);
        writer.WriteRawValue(text[..written], skipInputValidation: true);
    }

    public override T ReadJson(ref Utf8JsonReader reader, Utf8StringCache strings)
    {
        if (reader.TokenType != JsonTokenType.Number)
            throw new FormatException("expected a number");
        ReadOnlySpan<byte> raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
        return T.TryParse(raw, Style, CultureInfo.InvariantCulture, out T value)
            ? value
            : throw new FormatException($"{System.Text.Encoding.UTF8.GetString(raw)} is not a whole number in the range of {typeof(T).Name}");
    }

    public override string FormatText(T value) => value.ToString(null, CultureInfo.InvariantCulture);

    public override T ParseText(string? text) => T.Parse(Required(text), NumberStyles.Integer, CultureInfo.InvariantCulture);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryReadToken(JsonToken token, Utf8StringCache strings, out T value)
    {
        value = default;
        return token.Kind == JsonTokenKind.Number && T.TryParse(token.Raw, Style, CultureInfo.InvariantCulture, out value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override T ParseUtf8(ReadOnlySpan<byte> utf8, bool isNull, Utf8StringCache strings)
        => T.TryParse(utf8, Style, CultureInfo.InvariantCulture, out T value) ? value : base.ParseUtf8(utf8, isNull, strings);
}

internal sealed class DoubleCodec : ValueCodec<double>
{
    public override void WriteJson(Utf8JsonWriter writer, double value) => writer.WriteNumberValue(value);
    public override double ReadJson(ref Utf8JsonReader reader, Utf8StringCache strings) => reader.GetDouble();
    public override string FormatText(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    public override double ParseText(string? text) => double.Parse(Required(text), NumberStyles.Float, CultureInfo.InvariantCulture);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryReadToken(JsonToken token, Utf8StringCache strings, out double value)
    {
        value = 0;
        return token.Kind == JsonTokenKind.Number && System.Buffers.Text.Utf8Parser.TryParse(token.Raw, out value, out int used) && used == token.Raw.Length;
    }
}

internal sealed class BooleanCodec : ValueCodec<bool>
{
    public override void WriteJson(Utf8JsonWriter writer, bool value) => writer.WriteBooleanValue(value);
    public override bool ReadJson(ref Utf8JsonReader reader, Utf8StringCache strings) => reader.GetBoolean();
    public override string FormatText(bool value) => value ? "True" : "False";
    public override bool ParseText(string? text) => bool.Parse(Required(text));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool ParseUtf8(ReadOnlySpan<byte> utf8, bool isNull, Utf8StringCache strings)
        => utf8.SequenceEqual("False"u8) ? false : utf8.SequenceEqual("True"u8) || base.ParseUtf8(utf8, isNull, strings);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryReadToken(JsonToken token, Utf8StringCache strings, out bool value)
    {
        value = token.Kind == JsonTokenKind.True;
        return token.Kind is JsonTokenKind.True or JsonTokenKind.False;
    }
}

internal sealed class DateTimeCodec : ValueCodec<DateTime>
{
    public override void WriteJson(Utf8JsonWriter writer, DateTime value) => writer.WriteStringValue(value);

    public override DateTime ReadJson(ref Utf8JsonReader reader, Utf8StringCache strings)
        => !reader.ValueIsEscaped && !reader.HasValueSequence && FastDateTime.TryParse(reader.ValueSpan, out DateTime value)
            ? value
            : reader.GetDateTime();

    public override string FormatText(DateTime value) => value.ToString("o", CultureInfo.InvariantCulture);

    // The round-trip form first (its parser has a fast path); then any form .NET understands.
    public override DateTime ParseText(string? text)
        => DateTime.TryParseExact(Required(text), "o", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTime value)
            ? value
            : DateTime.Parse(text!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    // The round-trip form with an offset, Z or neither gives the same value and kind as "o" parsing.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override DateTime ParseUtf8(ReadOnlySpan<byte> utf8, bool isNull, Utf8StringCache strings)
        => FastDateTime.TryParse(utf8, out DateTime value) ? value : base.ParseUtf8(utf8, isNull, strings);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryReadToken(JsonToken token, Utf8StringCache strings, out DateTime value)
    {
        value = default;
        return token.Kind == JsonTokenKind.String && FastDateTime.TryParse(token.Raw, out value);
    }
}

internal sealed class TimeSpanCodec : ValueCodec<TimeSpan>
{
    // Seconds with up to seven decimals (exact ticks), and what strace's <0.000012> means.
    public override void WriteJson(Utf8JsonWriter writer, TimeSpan value)
    {
        Span<byte> text = stackalloc byte[32];
        writer.WriteRawValue(text[..FormatSeconds(value.Ticks, text)], skipInputValidation: true);
    }

    internal static int FormatSeconds(long ticks, Span<byte> text)
    {
        int n = 0;
        if (ticks < 0)
        {
            text[n++] = (byte)'-';
            ticks = -ticks;
        }
        System.Buffers.Text.Utf8Formatter.TryFormat(ticks / TimeSpan.TicksPerSecond, text[n..], out int written);
        n += written;
        long fraction = ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            text[n++] = (byte)'.';
            for (long scale = TimeSpan.TicksPerSecond / 10; scale > 0 && fraction != 0; scale /= 10)
            {
                text[n++] = (byte)('0' + fraction / scale);
                fraction %= scale;
            }
        }
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryReadToken(JsonToken token, Utf8StringCache strings, out TimeSpan value)
    {
        value = default;
        if (token.Kind != JsonTokenKind.Number || !TryParseSeconds(token.Raw, out long ticks))
            return false;
        value = new TimeSpan(ticks);
        return true;
    }

    public override TimeSpan ReadJson(ref Utf8JsonReader reader, Utf8StringCache strings)
    {
        if (reader.TokenType == JsonTokenType.Number && !reader.HasValueSequence && TryParseSeconds(reader.ValueSpan, out long ticks))
            return new TimeSpan(ticks);
        return new TimeSpan(decimal.ToInt64(decimal.Round(reader.GetDecimal() * TimeSpan.TicksPerSecond)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseSeconds(ReadOnlySpan<byte> s, out long ticks)
    {
        ticks = 0;
        bool negative = s.Length > 0 && s[0] == (byte)'-';
        int i = negative ? 1 : 0;
        long seconds = 0;
        int start = i;
        while (i < s.Length && (uint)(s[i] - '0') <= 9 && i - start < 12)
            seconds = seconds * 10 + (s[i++] - '0');
        if (i == start)
            return false;
        long fraction = 0;
        if (i < s.Length && s[i] == (byte)'.')
        {
            i++;
            long scale = TimeSpan.TicksPerSecond;
            while (i < s.Length && (uint)(s[i] - '0') <= 9 && scale > 1)
            {
                scale /= 10;
                fraction += (s[i++] - '0') * scale;
            }
        }
        if (i != s.Length)
            return false; // exponents, more than seven decimals: the general path
        ticks = seconds * TimeSpan.TicksPerSecond + fraction;
        if (negative)
            ticks = -ticks;
        return true;
    }

    public override string FormatText(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    public override TimeSpan ParseText(string? text) => TimeSpan.Parse(Required(text), CultureInfo.InvariantCulture);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override TimeSpan ParseUtf8(ReadOnlySpan<byte> utf8, bool isNull, Utf8StringCache strings)
        => TryParseConstant(utf8, out long ticks) ? new TimeSpan(ticks) : base.ParseUtf8(utf8, isNull, strings);

    /// <summary>The "c" form Export-Csv writes for durations, hh:mm:ss[.fffffff] without days or sign
    /// (a system call's duration); anything else goes to the general parser.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseConstant(ReadOnlySpan<byte> s, out long ticks)
    {
        ticks = 0;
        if (s.Length < 8 || s[2] != ':' || s[5] != ':')
            return false;
        int hours = 0, minutes = 0, seconds = 0;
        if (!TwoDigits(s, 0, ref hours) || !TwoDigits(s, 3, ref minutes) || !TwoDigits(s, 6, ref seconds) || hours > 23 || minutes > 59 || seconds > 59)
            return false;
        long fraction = 0;
        if (s.Length > 8)
        {
            if (s[8] != '.' || s.Length == 9 || s.Length > 16)
                return false;
            long scale = TimeSpan.TicksPerSecond;
            for (int i = 9; i < s.Length; i++)
            {
                uint d = (uint)(s[i] - '0');
                if (d > 9)
                    return false;
                scale /= 10;
                fraction += d * scale;
            }
        }
        ticks = hours * TimeSpan.TicksPerHour + minutes * TimeSpan.TicksPerMinute + seconds * TimeSpan.TicksPerSecond + fraction;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TwoDigits(ReadOnlySpan<byte> s, int at, ref int value)
    {
        uint high = (uint)(s[at] - '0'), low = (uint)(s[at + 1] - '0');
        if (high > 9 || low > 9)
            return false;
        value = (int)(high * 10 + low);
        return true;
    }
}

internal sealed class EnumCodec<TEnum> : ValueCodec<TEnum> where TEnum : struct, Enum
{
    private readonly ConcurrentDictionary<TEnum, string> _names = new();
    private readonly ConcurrentDictionary<string, TEnum> _values = new(StringComparer.OrdinalIgnoreCase);

    public override void WriteJson(Utf8JsonWriter writer, TEnum value) => writer.WriteStringValue(FormatText(value));

    public override TEnum ReadJson(ref Utf8JsonReader reader, Utf8StringCache strings)
    {
        if (reader.TokenType == JsonTokenType.Number)
            return (TEnum)Enum.ToObject(typeof(TEnum), reader.GetInt64());
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
            return ParseUtf8(reader.ValueSpan, isNull: false, strings);
        return ParseText(reader.GetString());
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryReadToken(JsonToken token, Utf8StringCache strings, out TEnum value)
    {
        value = default;
        if (token.Kind != JsonTokenKind.String)
            return false;
        value = ParseUtf8(token.Raw, isNull: false, strings);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override TEnum ParseUtf8(ReadOnlySpan<byte> utf8, bool isNull, Utf8StringCache strings)
    {
        // Most files use two or three values of an enum: compare bytes, no string. Readers on
        // several threads may add at once; losing one addition only costs a later lookup.
        (byte[] Utf8, TEnum Value)[] known = _known;
        foreach ((byte[] bytes, TEnum value) in known)
            if (utf8.SequenceEqual(bytes))
                return value;
        TEnum parsed = base.ParseUtf8(utf8, isNull, strings);
        if (known.Length < 16)
            _known = [.. known, (utf8.ToArray(), parsed)];
        return parsed;
    }

    private (byte[] Utf8, TEnum Value)[] _known = [];

    public override string FormatText(TEnum value) => _names.GetOrAdd(value, v => v.ToString());

    public override TEnum ParseText(string? text)
    {
        string key = Required(text);
        if (_values.TryGetValue(key, out TEnum value))
            return value;
        if (!Enum.TryParse(key, ignoreCase: true, out value))
            throw new FormatException($"'{key}' is not a {typeof(TEnum).Name} value");
        _values.TryAdd(key, value);
        return value;
    }
}

internal sealed class NullableCodec<T> : ValueCodec<T?> where T : struct
{
    private readonly ValueCodec<T> _inner;

    public NullableCodec(ValueCodec<T> inner) => _inner = inner;

    public override void WriteJson(Utf8JsonWriter writer, T? value)
    {
        if (value is T v) _inner.WriteJson(writer, v);
        else writer.WriteNullValue();
    }

    public override T? ReadJson(ref Utf8JsonReader reader, Utf8StringCache strings)
        => reader.TokenType == JsonTokenType.Null ? null : _inner.ReadJson(ref reader, strings);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryReadToken(JsonToken token, Utf8StringCache strings, out T? value)
    {
        value = null;
        if (token.Kind == JsonTokenKind.Null)
            return true;
        if (!_inner.TryReadToken(token, strings, out T inner))
            return false;
        value = inner;
        return true;
    }

    public override string? FormatText(T? value) => value is T v ? _inner.FormatText(v) : null;

    public override T? ParseText(string? text) => text is null || text.Length == 0 ? null : _inner.ParseText(text);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override T? ParseUtf8(ReadOnlySpan<byte> utf8, bool isNull, Utf8StringCache strings)
        => utf8.IsEmpty ? null : _inner.ParseUtf8(utf8, false, strings);
}
