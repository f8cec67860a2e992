using System.Collections.Concurrent;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// Runs a trace reader on its own thread, a few batches ahead of the consumer, so that parsing one
/// part of a file overlaps with the pipeline handling the events of the part before. Errors travel
/// in order with the events and are reported on the consumer's thread (a cmdlet may only call
/// WriteError there). Memory is bounded: at most <see cref="QueuedBatches"/> batches wait.
/// Stopping early (a downstream Select-Object -First, Ctrl+C) stops the reader and closes its files.
/// </summary>
internal static class ReadAhead
{
    private const int BatchSize = 512;
    private const int QueuedBatches = 8;

    private sealed class Batch
    {
        public readonly List<TraceEvent> Events = new(BatchSize);
        public readonly List<(int Index, TraceFileError Error)> Errors = new();
        public Exception? Failure;
    }

    public static IEnumerable<TraceEvent> Read(Func<Action<TraceFileError>, IEnumerable<TraceEvent>> source, Action<TraceFileError> onError)
    {
        using var queue = new BlockingCollection<Batch>(QueuedBatches);
        using var cancel = new CancellationTokenSource();
        var thread = new Thread(() => Produce(source, queue, cancel.Token)) { IsBackground = true, Name = "PSSyscall trace reader" };
        thread.Start();
        try
        {
            foreach (Batch batch in queue.GetConsumingEnumerable())
            {
                int nextError = 0;
                for (int i = 0; i < batch.Events.Count; i++)
                {
                    while (nextError < batch.Errors.Count && batch.Errors[nextError].Index <= i)
                        onError(batch.Errors[nextError++].Error);
                    yield return batch.Events[i];
                }
                while (nextError < batch.Errors.Count)
                    onError(batch.Errors[nextError++].Error);
                if (batch.Failure is not null)
                    throw new IOException("Reading the trace failed: " + batch.Failure.Message, batch.Failure);
            }
        }
        finally
        {
            cancel.Cancel();
            thread.Join();
        }
    }

    private static void Produce(Func<Action<TraceFileError>, IEnumerable<TraceEvent>> source, BlockingCollection<Batch> queue, CancellationToken cancel)
    {
        var batch = new Batch();
        try
        {
            foreach (TraceEvent e in source(error => batch.Errors.Add((batch.Events.Count, error))))
            {
                batch.Events.Add(e);
                if (batch.Events.Count == BatchSize)
                {
                    queue.Add(batch, cancel);
                    batch = new Batch();
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            batch.Failure = e;
        }
        try
        {
            if (batch.Events.Count > 0 || batch.Errors.Count > 0 || batch.Failure is not null)
                queue.Add(batch, cancel);
            queue.CompleteAdding();
        }
        catch (OperationCanceledException)
        {
        }
    }
}
