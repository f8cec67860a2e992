namespace PSSyscall.Engine.Tracing;

/// <summary>
/// The bounded hand-off of full batches from the tracer thread to the consumer. It blocks without
/// spinning: BlockingCollection's SemaphoreSlim spins in sched_yield before it sleeps, which on a
/// 2-CPU machine took the CPU the tracee or the tracer needed (25,000 yields per trace of
/// `find /usr/share` with a few hundred batches). A hand-off is rare (one per batch), so a plain
/// monitor wait costs nothing that matters.
/// </summary>
internal sealed class BatchQueue
{
    private readonly Queue<TraceBatch> _items = new();
    private readonly int _capacity;
    private readonly CancellationToken _consumerGone;
    private bool _completed;

    /// <param name="consumerGone">Cancelled when nobody reads any more: a producer waiting for
    /// room is woken and Add throws OperationCanceledException.</param>
    public BatchQueue(int capacity, CancellationToken consumerGone)
    {
        _capacity = Math.Max(1, capacity);
        _consumerGone = consumerGone;
        consumerGone.Register(PulseAll);
    }

    /// <summary>Producer: waits while the queue is full.</summary>
    public void Add(TraceBatch batch)
    {
        lock (_items)
        {
            while (_items.Count >= _capacity)
            {
                _consumerGone.ThrowIfCancellationRequested();
                Monitor.Wait(_items);
            }
            _consumerGone.ThrowIfCancellationRequested();
            _items.Enqueue(batch);
            Monitor.PulseAll(_items);
        }
    }

    /// <summary>Producer: no more batches; a waiting consumer ends once the queue is empty.</summary>
    public void CompleteAdding()
    {
        lock (_items)
        {
            _completed = true;
            Monitor.PulseAll(_items);
        }
    }

    public bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TraceBatch? batch)
    {
        lock (_items)
        {
            if (_items.TryDequeue(out batch))
            {
                Monitor.PulseAll(_items);
                return true;
            }
            return false;
        }
    }

    /// <summary>Consumer: batches in order until the producer completes and the queue is empty.</summary>
    public IEnumerable<TraceBatch> GetConsumingEnumerable()
    {
        while (Take() is { } batch)
            yield return batch;
    }

    private TraceBatch? Take()
    {
        lock (_items)
        {
            while (_items.Count == 0 && !_completed)
                Monitor.Wait(_items);
            if (!_items.TryDequeue(out TraceBatch? batch))
                return null;
            Monitor.PulseAll(_items);
            return batch;
        }
    }

    private void PulseAll()
    {
        lock (_items)
            Monitor.PulseAll(_items);
    }
}
