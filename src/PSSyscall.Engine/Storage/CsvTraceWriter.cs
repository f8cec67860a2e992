using System.Text;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// Writes CSV as pwsh 7's Export-Csv does by default: no #TYPE line, a header row of property names,
/// every field in double quotes with " doubled, a null value as an empty unquoted field, "\n" line
/// ends, UTF-8 without a byte order mark. The columns are SyscallEvent's properties in PowerShell's
/// order (what Export-Csv would write for a syscall trace), followed by the properties only signal
/// and exit events have, so every event kind fits one file. Values are what ToString() gives, except
/// Timestamp, written in the round-trip form (2024-05-01T12:00:00.1234560+02:00) so it keeps its ticks.
/// </summary>
internal sealed class CsvTraceWriter : TraceFileWriter
{
    private const int FlushThreshold = 256 * 1024;

    private readonly string[] _columns;
    private readonly Dictionary<EventSchema, EventProperty?[]> _map = new();
    private readonly StringBuilder _line = new(1024);
    private readonly StreamWriter _writer;
    private bool _headerPending;

    /// <param name="existingColumns">The header of the file being appended to, or null for a new file.</param>
    public CsvTraceWriter(Stream stream, IReadOnlyList<string>? existingColumns) : base(stream)
    {
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024) { NewLine = "\n" };
        _columns = existingColumns?.ToArray() ?? DefaultColumns();
        _headerPending = existingColumns is null;
    }

    public override TraceFileFormat Format => TraceFileFormat.Csv;

    /// <summary>Every column a CSV trace has: SyscallEvent's properties in PowerShell's order, then
    /// those of the other event kinds that SyscallEvent lacks.</summary>
    public static string[] DefaultColumns()
    {
        var columns = new List<string>();
        foreach (EventSchema schema in EventSchema.All)
            foreach (EventProperty p in schema.AllProperties)
                if (!columns.Contains(p.Name, StringComparer.OrdinalIgnoreCase))
                    columns.Add(p.Name);
        return columns.ToArray();
    }

    private protected override void WriteEvent(TraceEvent e)
    {
        if (_headerPending)
            WriteHeader();
        EventSchema schema = EventSchema.For(e);
        if (!_map.TryGetValue(schema, out EventProperty?[]? properties))
        {
            properties = _columns.Select(schema.Find).ToArray();
            _map[schema] = properties;
        }
        _line.Clear();
        for (int i = 0; i < properties.Length; i++)
        {
            if (i > 0)
                _line.Append(',');
            AppendQuoted(_line, properties[i]?.FormatText(e));
        }
        _writer.WriteLine(_line);
    }

    private void WriteHeader()
    {
        _headerPending = false;
        _line.Clear();
        for (int i = 0; i < _columns.Length; i++)
        {
            if (i > 0)
                _line.Append(',');
            AppendQuoted(_line, _columns[i]);
        }
        _writer.WriteLine(_line);
    }

    private static void AppendQuoted(StringBuilder sb, string? value)
    {
        if (value is null)
            return;
        sb.Append('"');
        int start = 0;
        for (int i = value.IndexOf('"'); i >= 0; i = value.IndexOf('"', i + 1))
        {
            sb.Append(value, start, i + 1 - start).Append('"');
            start = i + 1;
        }
        sb.Append(value, start, value.Length - start).Append('"');
    }

    public override void Flush()
    {
        if (_headerPending)
            WriteHeader();
        _writer.Flush();
    }
}
