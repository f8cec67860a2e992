using System.Text.Json;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// Reads PSSyscall JSON Lines: an optional header line ({"Format":"PSSyscall.TraceEvents",...}) and
/// one event object a line, "EventType" first. Members are matched in the order the writer puts
/// them (one comparison each), falling back to a search, so files written by other tools load too;
/// unknown members are skipped.
/// </summary>
internal sealed class JsonLinesTraceReader : TraceFileReader
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow };

    private readonly Utf8StringCache _strings = new();

    public JsonLinesTraceReader(string filePath, Utf8LineReader lines, Action<TraceFileError> onError)
        : base(filePath, lines, onError)
    {
    }

    public override TraceFileFormat Format => TraceFileFormat.JsonLines;

    /// <summary>The file's header, once its first line has been read (null if it has none).</summary>
    public TraceFileHeader? Header { get; private set; }

    private protected override bool ReadLine()
    {
        if (!Lines.TryReadLine(out ReadOnlySpan<byte> line))
            return false;
        if (Lines.LastLineTooLong)
        {
            ReportMalformed("");
            return true;
        }
        if (line.TrimStart(" \t"u8).IsEmpty)
            return true;
        try
        {
            TraceEvent? e = Parse(line);
            if (e is not null)
                Emit(e);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            ReportMalformed("not a valid event: " + ex.Message);
        }
        return true;
    }

    private TraceEvent? Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, isFinalBlock: true, new JsonReaderState(Options));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new FormatException("a line must be one JSON object");
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
            throw new FormatException("the object has no members");

        EventSchema schema;
        if (reader.ValueTextEquals("EventType"u8))
        {
            reader.Read();
            schema = SchemaFromToken(ref reader);
            reader.Read();
        }
        else if (reader.ValueTextEquals("Format"u8))
        {
            ReadHeader(line);
            return null;
        }
        else
        {
            schema = FindEventType(line);
        }

        TraceEvent e = schema.Create();
        EventProperty[] stored = schema.StoredProperties;
        int expected = 0;
        while (reader.TokenType == JsonTokenType.PropertyName)
        {
            EventProperty? property = null;
            if (expected < stored.Length && reader.ValueTextEquals(stored[expected].JsonName.EncodedUtf8Bytes))
            {
                property = stored[expected++];
            }
            else
            {
                for (int i = 0; i < stored.Length; i++)
                {
                    if (reader.ValueTextEquals(stored[i].JsonName.EncodedUtf8Bytes))
                    {
                        property = stored[i];
                        expected = i + 1;
                        break;
                    }
                }
            }
            reader.Read();
            if (property is null)
                reader.Skip();
            else
                property.ReadJson(ref reader, e, _strings);
            reader.Read();
        }
        if (reader.TokenType != JsonTokenType.EndObject)
            throw new FormatException("the object does not end where expected");
        if (reader.Read())
            throw new FormatException("there is more text after the object");
        return e;
    }

    private static EventSchema SchemaFromToken(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("Syscall"u8)) return EventSchema.Syscall;
            if (reader.ValueTextEquals("Signal"u8)) return EventSchema.Signal;
            if (reader.ValueTextEquals("Exit"u8)) return EventSchema.Exit;
            string? name = reader.GetString();
            if (Enum.TryParse(name, ignoreCase: true, out TraceEventType parsed) && !int.TryParse(name, out _))
                return EventSchema.For(parsed);
            throw new FormatException($"'{name}' is not an event type (Syscall, Signal or Exit)");
        }
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int n) && Enum.IsDefined((TraceEventType)n))
            return EventSchema.For((TraceEventType)n);
        throw new FormatException("EventType must be Syscall, Signal or Exit");
    }

    private static EventSchema FindEventType(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, isFinalBlock: true, new JsonReaderState(Options));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isType = reader.ValueTextEquals("EventType"u8);
            reader.Read();
            if (isType)
                return SchemaFromToken(ref reader);
            reader.Skip();
        }
        // Without a type the object is taken to be a system call, the common case.
        return EventSchema.Syscall;
    }

    private void ReadHeader(ReadOnlySpan<byte> line)
    {
        using JsonDocument doc = JsonDocument.Parse(line.ToArray());
        JsonElement root = doc.RootElement;
        if (root.GetProperty("Format").GetString() != TraceFileHeader.FormatName)
            throw new FormatException($"the header names the format '{root.GetProperty("Format").GetString()}', not {TraceFileHeader.FormatName}");
        int version = root.TryGetProperty("Version", out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 1;
        if (version > TraceFileHeader.CurrentVersion)
        {
            ReportFatal(TraceFileErrorKind.UnsupportedVersion,
                $"The file is format version {version}; this PSSyscall reads versions up to {TraceFileHeader.CurrentVersion}. Update the PSSyscall module to read it.");
            return;
        }
        Header = new TraceFileHeader
        {
            Version = version,
            Command = root.TryGetProperty("Command", out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "",
            Host = root.TryGetProperty("Host", out JsonElement h) && h.ValueKind == JsonValueKind.String ? h.GetString()! : "",
            StartTime = root.TryGetProperty("StartTime", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetDateTime() : default,
        };
    }
}
