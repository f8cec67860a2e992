using System.Text;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// Reads CSV traces: ours, and what Export-Csv writes for trace events. The header row names the
/// columns; columns are matched to properties by name (any order, unknown ones ignored, computed ones
/// such as Result skipped); the EventType column picks the event kind (SyscallEvent without one).
/// Quoted fields may hold commas, doubled quotes and line breaks. An empty unquoted field is null.
/// </summary>
internal sealed class CsvTraceReader : TraceFileReader
{
    private readonly List<string?> _fields = new(48);
    private readonly StringBuilder _field = new(256);
    private readonly Dictionary<EventSchema, EventProperty?[]> _map = new();
    private string[]? _columns;
    private int _eventTypeColumn = -1;

    public CsvTraceReader(string filePath, Utf8LineReader lines, Action<TraceFileError> onError)
        : base(filePath, lines, onError)
    {
    }

    public override TraceFileFormat Format => TraceFileFormat.Csv;

    /// <summary>The column names of an existing CSV file's header (for appending), or null if it has none.</summary>
    public static IReadOnlyList<string>? ReadColumnNames(string path)
    {
        using var lines = new Utf8LineReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), 64 * 1024);
        var reader = new CsvTraceReader(path, lines, _ => { });
        while (reader.ReadRecord() is { } _)
        {
            if (reader._fields.Count == 0 || reader._fields[0] is string first && first.StartsWith("#TYPE", StringComparison.OrdinalIgnoreCase))
                continue;
            return reader._fields.Select(f => f ?? "").ToArray();
        }
        return null;
    }

    private protected override bool ReadLine()
    {
        long? startLine = ReadRecord();
        if (startLine is null)
            return false;
        if (_fields.Count == 0 || (_fields.Count == 1 && string.IsNullOrEmpty(_fields[0])))
            return true;
        if (_columns is null)
        {
            if (_fields[0] is string first && first.StartsWith("#TYPE", StringComparison.OrdinalIgnoreCase))
                return true;
            _columns = _fields.Select(f => f ?? "").ToArray();
            _eventTypeColumn = Array.FindIndex(_columns, c => c.Equals("EventType", StringComparison.OrdinalIgnoreCase));
            if (!_columns.Any(c => EventSchema.Syscall.Find(c) is not null))
                ReportMalformed("the header row names none of the event properties (EventType, Name, ProcessId...)");
            return true;
        }
        try
        {
            Emit(ParseRow());
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            ReportMalformed("not a valid event: " + ex.Message);
        }
        return true;
    }

    private TraceEvent ParseRow()
    {
        if (_fields.Count != _columns!.Length)
            throw new FormatException($"the row has {_fields.Count} fields; the header has {_columns.Length} columns");
        EventSchema schema = EventSchema.Syscall;
        if (_eventTypeColumn >= 0)
        {
            string? type = _fields[_eventTypeColumn];
            if (!Enum.TryParse(type, ignoreCase: true, out TraceEventType kind) || int.TryParse(type, out _))
                throw new FormatException($"'{type}' is not an event type (Syscall, Signal or Exit)");
            schema = EventSchema.For(kind);
        }
        if (!_map.TryGetValue(schema, out EventProperty?[]? properties))
        {
            properties = _columns.Select(c => schema.Find(c) is { CanWrite: true } p ? p : null).ToArray();
            _map[schema] = properties;
        }
        TraceEvent e = schema.Create();
        for (int i = 0; i < properties.Length; i++)
        {
            EventProperty? p = properties[i];
            if (p is null)
                continue;
            try
            {
                p.ParseText(_fields[i], e);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                throw new FormatException($"column {p.Name}: '{_fields[i]}' is not valid ({ex.Message})");
            }
        }
        return e;
    }

    /// <summary>Reads one record (which may span lines) into <see cref="_fields"/>; returns its first
    /// line number, or null at the end of the file.</summary>
    private long? ReadRecord()
    {
        _fields.Clear();
        if (!Lines.TryReadLine(out ReadOnlySpan<byte> first))
            return null;
        long startLine = Lines.LineNumber;
        string line = Encoding.UTF8.GetString(first);
        _field.Clear();
        bool quoted = false, wasQuoted = false, inQuotes = false;
        int i = 0;
        while (true)
        {
            if (i >= line.Length)
            {
                if (inQuotes && Lines.TryReadLine(out ReadOnlySpan<byte> next))
                {
                    // A line break inside a quoted field belongs to the field.
                    _field.Append('\n');
                    line = Encoding.UTF8.GetString(next);
                    i = 0;
                    continue;
                }
                if (inQuotes)
                    throw new FormatException("a quoted field is not closed before the end of the file");
                AddField(wasQuoted);
                return startLine;
            }
            char c = line[i++];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i < line.Length && line[i] == '"')
                    {
                        _field.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    _field.Append(c);
                }
            }
            else if (c == ',')
            {
                AddField(wasQuoted);
                wasQuoted = false;
                quoted = false;
            }
            else if (c == '"' && _field.Length == 0 && !quoted)
            {
                inQuotes = quoted = wasQuoted = true;
            }
            else
            {
                _field.Append(c);
            }
        }
    }

    private void AddField(bool wasQuoted)
    {
        // Export-Csv writes null as nothing and "" as a quoted empty field: keep the difference.
        if (_field.Length == 0)
            _fields.Add(wasQuoted ? "" : null);
        else
            _fields.Add(_field.ToString());
        _field.Clear();
    }
}
