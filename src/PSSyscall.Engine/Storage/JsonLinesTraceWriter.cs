using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// Writes JSON Lines: a header line naming the format, version, command, host and start time, then
/// one object per event with every settable property ("EventType" first), so reading it back gives
/// equal events. Text is not HTML-escaped: strace's &lt;...&gt; fd annotations stay readable.
/// </summary>
internal sealed class JsonLinesTraceWriter : TraceFileWriter
{
    private const int FlushThreshold = 256 * 1024;

    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold + 64 * 1024);
    private readonly Utf8JsonWriter _json;
    private TraceFileHeader? _pendingHeader;

    /// <param name="header">The header to write before the first event; null when appending to a file that has one.</param>
    public JsonLinesTraceWriter(Stream stream, TraceFileHeader? header) : base(stream)
    {
        _json = new Utf8JsonWriter(_buffer, Options);
        _pendingHeader = header;
    }

    public override TraceFileFormat Format => TraceFileFormat.JsonLines;

    private protected override void WriteEvent(TraceEvent e)
    {
        if (_pendingHeader is not null)
            WriteHeader(e.Timestamp);
        EventSchema schema = EventSchema.For(e);
        _json.WriteStartObject();
        _json.WriteString("EventType"u8, EventTypeName(schema.Kind));
        foreach (EventProperty p in schema.StoredProperties)
            p.WriteJson(_json, e);
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>The value of the "EventType" member that each line begins with.</summary>
    internal static string EventTypeName(TraceEventType kind) => kind switch
    {
        TraceEventType.Signal => "Signal",
        TraceEventType.Exit => "Exit",
        _ => "Syscall",
    };

    private void WriteHeader(DateTime startTime)
    {
        TraceFileHeader header = _pendingHeader!;
        _pendingHeader = null;
        _json.WriteStartObject();
        _json.WriteString("Format"u8, TraceFileHeader.FormatName);
        _json.WriteNumber("Version"u8, header.Version);
        _json.WriteString("Command"u8, header.Command);
        _json.WriteString("Host"u8, header.Host);
        _json.WriteString("StartTime"u8, startTime == default ? DateTime.Now : startTime);
        _json.WriteEndObject();
        EndLine();
    }

    private void EndLine()
    {
        _json.Flush();
        _json.Reset();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        if (_buffer.WrittenCount >= FlushThreshold)
            FlushBuffer();
    }

    private void FlushBuffer()
    {
        Stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }

    public override void Flush()
    {
        // A file with no events still gets its header, so it is recognisably a (empty) trace.
        if (_pendingHeader is not null)
            WriteHeader(default);
        FlushBuffer();
        Stream.Flush();
    }
}
