namespace PSSyscall.Engine.Storage;

/// <summary>
/// Writes events to a trace file as they come (streaming). Create one with <see cref="Create"/>;
/// dispose it to flush and close the file.
/// </summary>
public abstract class TraceFileWriter : IDisposable
{
    private protected TraceFileWriter(Stream stream) => Stream = stream;

    private protected Stream Stream { get; }

    public abstract TraceFileFormat Format { get; }

    /// <summary>Events written so far.</summary>
    public long Count { get; private set; }

    public void Write(TraceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        WriteEvent(e);
        Count++;
    }

    private protected abstract void WriteEvent(TraceEvent e);

    /// <summary>Pushes buffered events to the file.</summary>
    public abstract void Flush();

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            Flush();
        }
        finally
        {
            Stream.Dispose();
            OnDisposed();
        }
    }

    /// <summary>Closes what a writer holds besides its stream (the per-thread files of -ff).</summary>
    private protected virtual void OnDisposed()
    {
    }

    /// <summary>Opens (creates, or with <paramref name="append"/> extends) a trace file. The header's
    /// command and host describe the trace; its start time is the first event's. <paramref name="straceText"/>
    /// chooses strace text's prefixes (-t/-tt/-ttt/-r, -i).</summary>
    public static TraceFileWriter Create(string path, TraceFileFormat format, bool append, string command, StraceTextOptions? straceText = null)
    {
        FileMode mode = append ? FileMode.Append : FileMode.Create;
        Stream stream = TraceInput.OpenStreamForWriting(path) ?? new FileStream(path, mode, FileAccess.Write, FileShare.Read, bufferSize: 1);
        try
        {
            // A FIFO, pipe or device holds nothing to append to: it gets the head a new file gets.
            bool empty = !stream.CanSeek || stream.Length == 0;
            return format switch
            {
                TraceFileFormat.JsonLines => new JsonLinesTraceWriter(stream, empty ? new TraceFileHeader { Command = command } : null),
                TraceFileFormat.Csv => new CsvTraceWriter(stream, empty ? null : CsvTraceReader.ReadColumnNames(path)),
                _ => new StraceTextWriter(stream, straceText),
            };
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }


    /// <summary>The format a file name suggests: .csv is CSV, .txt/.log/.strace strace text, anything else JSON Lines.</summary>
    public static TraceFileFormat FormatFromExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => TraceFileFormat.Csv,
        ".txt" or ".log" or ".strace" => TraceFileFormat.Strace,
        _ => TraceFileFormat.JsonLines,
    };
}
