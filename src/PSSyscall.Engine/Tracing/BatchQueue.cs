namespace PSSyscall.Engine.Tracing;

/// <summary>
/// The bounded hand-off of batches from the tracer thread (or the eBPF reader) to the consumer.
/// The consumer polls an empty queue for a while before it sleeps (<see cref="SpinWhileEmpty"/>
/// says why); the producer never spins. A monitor, not BlockingCollection, so that how long the
/// consumer polls is this class's decision and not SemaphoreSlim's.
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
            UpdateCount();
            Monitor.PulseAll(_items);
        }
    }

    /// <summary>Producer: no more batches; a waiting consumer ends once the queue is empty.</summary>
    public void CompleteAdding()
    {
        lock (_items)
        {
            _completed = true;
            UpdateCount();
            Monitor.PulseAll(_items);
        }
    }

    public bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TraceBatch? batch)
    {
        lock (_items)
        {
            if (_items.TryDequeue(out batch))
            {
                UpdateCount();
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
        SpinWhileEmpty();
        lock (_items)
        {
            while (_items.Count == 0 && !_completed)
                Monitor.Wait(_items);
            if (!_items.TryDequeue(out TraceBatch? batch))
                return null;
            UpdateCount();
            Monitor.PulseAll(_items);
            return batch;
        }
    }

    /// <summary>How long the consumer polls an empty queue before it sleeps: longer than the
    /// tracer's idle flush period, so that while a trace is busy the consumer never sleeps.</summary>
    public static readonly TimeSpan SpinWindow = IdleFlusher.Period * 2;

    private int _count; // the queue's length for the lock-free poll; -1 once completed and empty

    private void UpdateCount() => Volatile.Write(ref _count, _items.Count == 0 && _completed ? -1 : _items.Count); // under the lock

    /// <summary>Polls (sched_yield) for a batch before blocking. Why spin at all: on a 2-vCPU VM a
    /// CPU that goes idle halts, and waking it for the next ptrace stop costs a VM exit; measured on
    /// `find /usr/share` unpinned, a consumer that sleeps between batches let the trace take 6.8 s,
    /// one that polls 1.5-1.9 s (strace, whose CPUs idle between stops, 6.9 s). On one CPU (the
    /// process's affinity) there is no other CPU to keep awake, and each yield is a system call the
    /// tracer and the tracee wait for: 1.0-1.4 µs of the consumer's kernel time per traced call,
    /// measured pinned (docs/performance.md); so it does not poll there.</summary>
    private void SpinWhileEmpty()
    {
        if (Environment.ProcessorCount == 1)
            return;
        long until = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(SpinWindow.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        while (Volatile.Read(ref _count) == 0 && System.Diagnostics.Stopwatch.GetTimestamp() < until)
            Thread.Yield();
    }

    private void PulseAll()
    {
        lock (_items)
            Monitor.PulseAll(_items);
    }
}
