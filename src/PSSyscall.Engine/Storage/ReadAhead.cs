using System.Runtime.CompilerServices;
using System.Collections.Concurrent;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// Reads trace files on other threads, a few units ahead of the consumer, so that reading overlaps
/// with the pipeline handling the events read before. Formats whose records stand alone (JSON Lines,
/// CSV) are cut into chunks of raw records by one thread and parsed by several worker threads at
/// once, one per core; strace text, whose lines depend on each other, is parsed by the reading thread.
/// Either way the consumer gets every event and error in file order. Errors are reported on the
/// consumer's thread (a cmdlet may only call WriteError there). Memory is bounded: at most
/// <see cref="QueuedUnits"/> units wait. Stopping early (a downstream Select-Object -First, Ctrl+C)
/// stops every thread and closes the files.
/// </summary>
internal static class ReadAhead
{
    private const int BatchSize = 512;
    private const int QueuedUnits = 16;
    private const int MaxWorkers = 4;

    /// <summary>What the readers of one file share: counts for the "not a trace" rule, applied in
    /// file order by the consumer, and the word to stop reading the file.</summary>
    private sealed class FileProgress(IndependentRecordReader reader)
    {
        public readonly IndependentRecordReader Reader = reader;
        public NotATraceRule? Rule;
        public volatile bool Stopped;
    }

    /// <summary>A run of events and errors in file order: parsed already, or raw records that a
    /// worker parses (<see cref="Chunk"/> set, <see cref="Parsed"/> signalled when done).</summary>
    private sealed class Unit
    {
        public readonly List<TraceEvent> Events = new(BatchSize);
        public readonly List<(int Index, TraceFileError Error)> Errors = new();
        public Exception? Failure;
        public RecordChunk? Chunk;
        public FileProgress? File;
        public (int Index, TraceFileError Error)? Fatal;
        public ManualResetEventSlim? Parsed;
    }

    /// <param name="sources">The parts of the trace; the token it is given ends waits on a stream
    /// (stopped reading, or <paramref name="stop"/> cancelled).</param>
    public static IEnumerable<TraceEvent> Read(Func<Action<TraceFileError>, CancellationToken, IEnumerable<TraceSource>> sources,
        Action<TraceFileError> onError, CancellationToken stop = default)
    {
        using var ordered = new BlockingCollection<Unit>(QueuedUnits);
        using var work = new BlockingCollection<Unit>();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var threads = new List<Thread>
        {
            new(() => Produce(sources, ordered, work, cancel.Token)) { IsBackground = true, Name = "PSSyscall trace reader" },
        };
        int workers = Math.Clamp(Environment.ProcessorCount, 1, MaxWorkers);
        for (int i = 0; i < workers; i++)
            threads.Add(new Thread(() => ParseChunks(work, cancel.Token)) { IsBackground = true, Name = "PSSyscall trace parser" });
        foreach (Thread thread in threads)
            thread.Start();
        try
        {
            FileProgress? current = null;
            foreach (Unit unit in ordered.GetConsumingEnumerable(stop))
            {
                if (unit.Parsed is not null)
                {
                    unit.Parsed.Wait();
                    unit.Parsed.Dispose();
                }
                FileProgress? file = unit.File;
                if (!ReferenceEquals(file, current))
                {
                    // A chunked file's units come one after the other: one that is not of it ends it.
                    End(current);
                    current = file;
                }
                if (file is { Stopped: true })
                    continue; // the file was given up on: the rest of it was read already
                file?.Rule ??= new NotATraceRule(file.Reader.FilePath, file.Reader.Format, onError);
                int nextError = 0;
                for (int i = 0; i < unit.Events.Count; i++)
                {
                    while (nextError < unit.Errors.Count && unit.Errors[nextError].Index <= i)
                        Report(unit.Errors[nextError++].Error, file, onError);
                    if (file is not null)
                    {
                        if (file.Stopped)
                            break;
                        file.Rule!.Event();
                    }
                    yield return unit.Events[i];
                }
                while (nextError < unit.Errors.Count && file is not { Stopped: true })
                    Report(unit.Errors[nextError++].Error, file, onError);
                if (unit.Fatal is { } fatal && file is not { Stopped: true })
                {
                    file!.Rule!.Other(fatal.Error);
                    file.Stopped = true;
                }
                if (unit.Failure is not null)
                    throw new IOException("Reading the trace failed: " + unit.Failure.Message, unit.Failure);
            }
            End(current);
        }
        finally
        {
            cancel.Cancel();
            foreach (Thread thread in threads)
                thread.Join();
            while (ordered.TryTake(out Unit? left))
            {
                left.Chunk?.Release();
                left.Parsed?.Dispose();
            }
        }
    }

    /// <summary>Reports an error of a chunked file in order, through the same rule as a plain read
    /// (held back until the first event; after too many and no event, the file is no trace).</summary>
    private static void Report(TraceFileError error, FileProgress? file, Action<TraceFileError> onError)
    {
        if (file is null)
        {
            onError(error);
            return;
        }
        if (error.Kind == TraceFileErrorKind.MalformedLine)
            file.Rule!.Malformed(error);
        else
            file.Rule!.Other(error);
        if (file.Rule.GivenUp)
            file.Stopped = true;
    }

    /// <summary>A chunked file has been read to its end.</summary>
    private static void End(FileProgress? file)
    {
        if (file is { Stopped: false, Rule: { } rule })
        {
            rule.End();
            file.Stopped = true;
        }
    }

    private static void Produce(Func<Action<TraceFileError>, CancellationToken, IEnumerable<TraceSource>> sources, BlockingCollection<Unit> ordered,
        BlockingCollection<Unit> work, CancellationToken cancel)
    {
        var unit = new Unit();
        // A stream (FIFO, pipe) about to wait for its writer: hand on the batch read so far.
        PollingStream.BeforeWaiting = () =>
        {
            if (unit.Events.Count > 0 || unit.Errors.Count > 0)
            {
                ordered.Add(unit, cancel);
                unit = new Unit();
            }
        };
        try
        {
            foreach (TraceSource source in sources(error => unit.Errors.Add((unit.Events.Count, error)), cancel))
            {
                if (source.Records is IndependentRecordReader records)
                {
                    if (unit.Events.Count > 0 || unit.Errors.Count > 0)
                    {
                        ordered.Add(unit, cancel);
                        unit = new Unit();
                    }
                    Chunk(records, ordered, work, cancel);
                    continue;
                }
                foreach (TraceEvent e in source.Events)
                {
                    unit.Events.Add(e);
                    if (unit.Events.Count == BatchSize)
                    {
                        ordered.Add(unit, cancel);
                        unit = new Unit();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            unit.Failure = e;
        }
        try
        {
            if (unit.Events.Count > 0 || unit.Errors.Count > 0 || unit.Failure is not null)
                ordered.Add(unit, cancel);
            ordered.CompleteAdding();
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            work.CompleteAdding();
        }
    }

    /// <summary>Cuts a file into chunks of raw records and hands them to the workers, in order.</summary>
    private static void Chunk(IndependentRecordReader reader, BlockingCollection<Unit> ordered, BlockingCollection<Unit> work, CancellationToken cancel)
    {
        var file = new FileProgress(reader);
        bool more = true;
        while (more && !file.Stopped)
        {
            var chunk = new RecordChunk();
            (int, TraceFileError)? failed = null;
            try
            {
                while (!chunk.IsFull && (more = reader.ReadRecord(chunk)))
                {
                }
            }
            catch (IOException e)
            {
                // The file cannot be read further (an I/O error, a /proc file that refuses reads):
                // what was read still counts, then one error for the file.
                failed = (0, new TraceFileError(TraceFileErrorKind.Unreadable, reader.FilePath, 0,
                    $"Reading stopped after line {reader.LineNumber}: {e.Message}"));
                more = false;
            }
            catch
            {
                chunk.Release();
                throw;
            }
            if (failed is not null)
            {
                if (chunk.Count > 0)
                {
                    var last = new Unit { Chunk = chunk, File = file, Parsed = new ManualResetEventSlim() };
                    ordered.Add(last, cancel);
                    work.Add(last, cancel);
                }
                else
                {
                    chunk.Release();
                }
                ordered.Add(new Unit { File = file, Fatal = failed }, cancel);
                break;
            }
            if (chunk.Count == 0)
            {
                chunk.Release();
                break;
            }
            var unit = new Unit { Chunk = chunk, File = file, Parsed = new ManualResetEventSlim() };
            ordered.Add(unit, cancel);
            work.Add(unit, cancel);
        }
    }

    private static void ParseChunks(BlockingCollection<Unit> work, CancellationToken cancel)
    {
        IndependentRecordReader? parserOf = null;
        RecordParser? parser = null;
        try
        {
            foreach (Unit unit in work.GetConsumingEnumerable(cancel))
            {
                try
                {
                    if (!ReferenceEquals(parserOf, unit.File!.Reader))
                    {
                        parserOf = unit.File.Reader;
                        parser = parserOf.CreateParser();
                    }
                    Parse(unit, parser!);
                }
                catch (Exception e)
                {
                    unit.Failure = e;
                }
                finally
                {
                    unit.Chunk!.Release();
                    unit.Chunk = null;
                    unit.Parsed!.Set();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Parse(Unit unit, RecordParser parser)
    {
        RecordChunk chunk = unit.Chunk!;
        string path = unit.File!.Reader.FilePath;
        for (int i = 0; i < chunk.Count && !unit.File.Stopped; i++)
        {
            ref readonly RecordChunk.Entry entry = ref chunk[i];
            string? error = entry.Error;
            if (error is null)
            {
                try
                {
                    if (parser.Parse(chunk.Bytes(entry)) is TraceEvent e)
                        unit.Events.Add(e);
                    continue;
                }
                catch (TraceFileFatalException fatal)
                {
                    unit.Fatal = (unit.Events.Count, new TraceFileError(fatal.Kind, path, 0, fatal.Message));
                    return;
                }
                catch (Exception ex) when (RecordParser.IsMalformedRecord(ex))
                {
                    error = "not a valid event: " + ex.Message;
                }
            }
            unit.Errors.Add((unit.Events.Count, TraceFileReader.MalformedLine(path, error, entry.LineNumber, entry.Unterminated)));
        }
    }
}
