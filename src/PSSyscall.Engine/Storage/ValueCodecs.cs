using System.Collections.Concurrent;
using System.Globalization;
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
        if (type == typeof(int)) return new Int32Codec();
        if (type == typeof(long)) return new Int64Codec();
        if (type == typeof(ulong)) return new UInt64Codec();
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
}

internal sealed class Int32Codec : ValueCodec<int>
{
    public override void WriteJson(Utf8JsonWriter writer, int value) => writer.WriteNumberValue(value);
    public override int ReadJson(ref Utf8JsonReader reader, Utf8StringCache strings) => reader.GetInt32();
    public override string FormatText(int value) => value.ToString(CultureInfo.InvariantCulture);
    public override int ParseText(string? text) => int.Parse(Required(text), NumberStyles.Integer, CultureInfo.InvariantCulture);
}

internal sealed class Int64Codec : ValueCodec<long>
{
    public override void WriteJson(Utf8JsonWriter writer, long value) => writer.WriteNumberValue(value);
    public override long ReadJson(ref Utf8JsonReader reader, Utf8StringCache strings) => reader.GetInt64();
    public override string FormatText(long value) => value.ToString(CultureInfo.InvariantCulture);
    public override long ParseText(string? text) => long.Parse(Required(text), NumberStyles.Integer, CultureInfo.InvariantCulture);
}

internal sealed class UInt64Codec : ValueCodec<ulong>
{
    public override void WriteJson(Utf8JsonWriter writer, ulong value) => writer.WriteNumberValue(value);
    public override ulong ReadJson(ref Utf8JsonReader reader, Utf8StringCache strings) => reader.GetUInt64();
    public override string FormatText(ulong value) => value.ToString(CultureInfo.InvariantCulture);
    public override ulong ParseText(string? text) => ulong.Parse(Required(text), NumberStyles.Integer, CultureInfo.InvariantCulture);
}

internal sealed class DoubleCodec : ValueCodec<double>
{
    public override void WriteJson(Utf8JsonWriter writer, double value) => writer.WriteNumberValue(value);
    public override double ReadJson(ref Utf8JsonReader reader, Utf8StringCache strings) => reader.GetDouble();
    public override string FormatText(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    public override double ParseText(string? text) => double.Parse(Required(text), NumberStyles.Float, CultureInfo.InvariantCulture);
}

internal sealed class BooleanCodec : ValueCodec<bool>
{
    public override void WriteJson(Utf8JsonWriter writer, bool value) => writer.WriteBooleanValue(value);
    public override bool ReadJson(ref Utf8JsonReader reader, Utf8StringCache strings) => reader.GetBoolean();
    public override string FormatText(bool value) => value ? "True" : "False";
    public override bool ParseText(string? text) => bool.Parse(Required(text));
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

    public override TimeSpan ReadJson(ref Utf8JsonReader reader, Utf8StringCache strings)
    {
        if (reader.TokenType == JsonTokenType.Number && !reader.HasValueSequence && TryParseSeconds(reader.ValueSpan, out long ticks))
            return new TimeSpan(ticks);
        return new TimeSpan(decimal.ToInt64(decimal.Round(reader.GetDecimal() * TimeSpan.TicksPerSecond)));
    }

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
        {
            // Most files use two or three values of an enum: compare bytes, no string.
            ReadOnlySpan<byte> utf8 = reader.ValueSpan;
            (byte[] Utf8, TEnum Value)[] known = _known;
            foreach ((byte[] bytes, TEnum value) in known)
                if (utf8.SequenceEqual(bytes))
                    return value;
            TEnum parsed = ParseText(strings.Get(utf8));
            if (known.Length < 16)
                _known = [.. known, (utf8.ToArray(), parsed)];
            return parsed;
        }
        return ParseText(reader.GetString());
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

    public override string? FormatText(T? value) => value is T v ? _inner.FormatText(v) : null;

    public override T? ParseText(string? text) => text is null || text.Length == 0 ? null : _inner.ParseText(text);
}
