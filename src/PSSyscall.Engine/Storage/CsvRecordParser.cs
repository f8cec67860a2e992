using System.Runtime.CompilerServices;
using System.Text;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// Parses one CSV record (a row, its line breaks inside quotes included) into an event, reading the
/// fields straight from the UTF-8 bytes: a quoted field's doubled quotes are undone only when it has
/// some, and numbers, times and enum names are parsed from the bytes without a string between.
/// </summary>
internal sealed class CsvRecordParser : RecordParser
{
    private struct Field
    {
        public int Start;
        public int Length;
        public bool Quoted;
        public bool Escaped;
    }

    private readonly string[] _columns;
    private readonly int _eventTypeColumn;
    private readonly EventProperty?[][] _properties = new EventProperty?[EventSchema.All.Length][];
    private readonly Utf8StringCache _strings = new();
    private Field[] _fields;
    private byte[] _unescaped = new byte[256];

    public CsvRecordParser(string[] columns)
    {
        _columns = columns;
        _eventTypeColumn = Array.FindIndex(columns, c => c.Equals("EventType", StringComparison.OrdinalIgnoreCase));
        _fields = new Field[Math.Max(columns.Length, 8)];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override TraceEvent? Parse(ReadOnlySpan<byte> record)
    {
        int count = Split(record, ref _fields);
        if (count != _columns.Length)
            throw new FormatException($"the row has {count} fields; the header has {_columns.Length} columns");
        EventSchema schema = EventSchema.Syscall;
        if (_eventTypeColumn >= 0)
        {
            string? type = Text(record, _fields[_eventTypeColumn]);
            if (!Enum.TryParse(type, ignoreCase: true, out TraceEventType kind) || int.TryParse(type, out _))
                throw new FormatException($"'{type}' is not an event type (Syscall, Signal or Exit)");
            schema = EventSchema.For(kind);
        }
        EventProperty?[] properties = PropertiesFor(schema);
        TraceEvent e = schema.Create();
        for (int i = 0; i < properties.Length; i++)
        {
            EventProperty? p = properties[i];
            if (p is null)
                continue;
            Field field = _fields[i];
            ReadOnlySpan<byte> value = Value(record, field);
            try
            {
                p.ParseUtf8(value, isNull: field.Length == 0 && !field.Quoted, e, _strings);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                throw new FormatException($"column {p.Name}: '{Encoding.UTF8.GetString(value)}' is not valid ({ex.Message})");
            }
        }
        return e;
    }

    private EventProperty?[] PropertiesFor(EventSchema schema)
    {
        int index = (int)schema.Kind;
        return _properties[index] ??= _columns.Select(c => schema.Find(c) is { CanWrite: true } p ? p : null).ToArray();
    }

    /// <summary>The field's bytes, doubled quotes undone (into a buffer reused for the next field).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<byte> Value(ReadOnlySpan<byte> record, Field field)
    {
        ReadOnlySpan<byte> raw = record.Slice(field.Start, field.Length);
        if (!field.Escaped)
            return raw;
        if (_unescaped.Length < raw.Length)
            _unescaped = new byte[raw.Length * 2];
        int n = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            _unescaped[n++] = raw[i];
            if (raw[i] == (byte)'"')
                i++; // the second of a doubled quote
        }
        return _unescaped.AsSpan(0, n);
    }

    private string? Text(ReadOnlySpan<byte> record, Field field)
        => field.Length == 0 && !field.Quoted ? null : _strings.Get(Value(record, field));

    /// <summary>The fields of a record as strings (null for an empty unquoted field): the header row.</summary>
    internal static string?[] SplitToStrings(ReadOnlySpan<byte> record)
    {
        var parser = new CsvRecordParser(Array.Empty<string>());
        int count = Split(record, ref parser._fields);
        var fields = new string?[count];
        for (int i = 0; i < count; i++)
            fields[i] = parser.Text(record, parser._fields[i]);
        return fields;
    }

    /// <summary>Finds the fields: a quoted field starts with a quote and ends at a quote that is not
    /// doubled; any other field runs to the next comma.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Split(ReadOnlySpan<byte> record, ref Field[] fields)
    {
        int count = 0;
        int i = 0;
        while (true)
        {
            if (count == fields.Length)
                Array.Resize(ref fields, fields.Length * 2);
            var field = new Field { Start = i };
            int end;
            if (i < record.Length && record[i] == (byte)'"')
            {
                field.Start = ++i;
                while (true)
                {
                    int quote = record[i..].IndexOf((byte)'"');
                    if (quote < 0)
                        throw new FormatException("a quoted field is not closed");
                    i += quote;
                    if (i + 1 < record.Length && record[i + 1] == (byte)'"')
                    {
                        field.Escaped = true;
                        i += 2;
                        continue;
                    }
                    break;
                }
                field.Length = i - field.Start;
                field.Quoted = true;
                end = i + 1;
                if (end < record.Length && record[end] != (byte)',')
                    throw new FormatException("text follows a quoted field's closing quote");
            }
            else
            {
                int comma = record[i..].IndexOf((byte)',');
                end = comma < 0 ? record.Length : i + comma;
                field.Length = end - i;
            }
            fields[count++] = field;
            if (end >= record.Length)
                return count;
            i = end + 1; // past the comma; a comma at the very end leaves one empty field
        }
    }
}
