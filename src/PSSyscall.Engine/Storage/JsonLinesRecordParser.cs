using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// Parses one line of PSSyscall JSON Lines: the header ({"Format":...}) or one event object,
/// "EventType" first. A line in exactly the writer's layout (its members in its order, no spaces)
/// is read by a scanner made for that layout, which costs a fraction of a general JSON reader's
/// work; any other line goes to Utf8JsonReader, which matches members in the writer's order (one
/// comparison each), falls back to a search, so files written by other tools load too, skips
/// unknown members, and says what is wrong with a malformed line.
/// </summary>
internal sealed class JsonLinesRecordParser : RecordParser
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow };

    private readonly Utf8StringCache _strings = new();

    /// <summary>Per event type: the literal "EventType" member the writer puts first, and the text
    /// before each stored member's value (<c>,"Name":</c>).</summary>
    private static readonly (byte[] Start, byte[][] MemberPrefixes)[] Layouts = EventSchema.All
        .Select(schema => (
            System.Text.Encoding.UTF8.GetBytes($"{{\"EventType\":\"{JsonLinesTraceWriter.EventTypeName(schema.Kind)}\""),
            schema.StoredProperties.Select(p => System.Text.Encoding.UTF8.GetBytes($",\"{p.Name}\":")).ToArray()))
        .ToArray();

    /// <summary>The file's header, once its line has been parsed (null if it has none).</summary>
    public TraceFileHeader? Header { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override TraceEvent? Parse(ReadOnlySpan<byte> line)
    {
        if (TryParseWrittenLayout(line) is TraceEvent written)
            return written;
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

    /// <summary>The event, when the line is exactly in the writer's layout and valid; else null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private TraceEvent? TryParseWrittenLayout(ReadOnlySpan<byte> line)
    {
        if (line.Length < 16 || line[^1] != (byte)'}')
            return null;
        for (int kind = 0; kind < Layouts.Length; kind++)
        {
            (byte[] start, byte[][] prefixes) = Layouts[kind];
            if (!line.StartsWith(start))
                continue;
            // Utf8JsonReader refuses text that is not UTF-8; so must this path.
            if (!System.Text.Unicode.Utf8.IsValid(line))
                return null;
            EventSchema schema = EventSchema.All[kind];
            EventProperty[] stored = schema.StoredProperties;
            TraceEvent e = schema.Create();
            int position = start.Length;
            for (int i = 0; i < stored.Length; i++)
            {
                if (!line[position..].StartsWith(prefixes[i]))
                    return null;
                position += prefixes[i].Length;
                if (!JsonScalarScanner.TryScan(line, ref position, out JsonToken token) || !stored[i].TryReadToken(token, e, _strings))
                    return null;
            }
            return position == line.Length - 1 ? e : null;
        }
        return null;
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
            throw new TraceFileFatalException(TraceFileErrorKind.UnsupportedVersion,
                $"The file is format version {version}; this PSSyscall reads versions up to {TraceFileHeader.CurrentVersion}. Update the PSSyscall module to read it.");
        Header = new TraceFileHeader
        {
            Version = version,
            Command = root.TryGetProperty("Command", out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "",
            Host = root.TryGetProperty("Host", out JsonElement h) && h.ValueKind == JsonValueKind.String ? h.GetString()! : "",
            StartTime = root.TryGetProperty("StartTime", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetDateTime() : default,
        };
    }
}
