using System.Diagnostics;

namespace PSSyscall.Engine.Tracing;

/// <summary>
/// Hands a partly filled batch to the consumer while the tracer thread is blocked in waitpid, so
/// events stay live (a tracee that makes a few calls and then sleeps shows them within
/// <see cref="Period"/>) without the tracer publishing at every idle moment.
///
/// Why not publish whenever waitpid(WNOHANG) finds no stop: a resumed tracee on the other CPU
/// stops again within microseconds, so "idle" happened between almost every two calls; measured on
/// `find /usr/share` (81k calls), that made 76k batches of about one record each unpinned (31k
/// pinned), each a queue hand-off and a wake-up of the consumer, which spun in sched_yield 700k
/// times waiting for the next. Now the tracer publishes at idle only once records have waited a
/// period, and otherwise arms this flusher before blocking; the ticker publishes on the tracer's
/// behalf only if the tracer is still blocked (armed) when it fires.
///
/// The tracer owns its batch except between <see cref="Arm"/> and <see cref="Disarm"/>: a ticker
/// callback that wins the armed state publishes, and Disarm waits for it to finish, so the batch
/// is never touched by both threads at once. No lock and no syscall on the tracer's path.
/// </summary>
internal sealed class IdleFlusher : IDisposable
{
    /// <summary>How long records may wait before an idle tracer hands them over itself, and the
    /// ticker's period: the worst delay before an event reaches the pipeline is about twice this.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);

    private static readonly long PeriodTicks = (long)(Period.TotalSeconds * Stopwatch.Frequency);

    private const int Idle = 0;     // tracer running: the batch is the tracer's
    private const int Armed = 1;    // tracer blocked with records pending: the ticker may take it
    private const int Taking = 2;   // the ticker is publishing
    private const int Taken = 3;    // the ticker published; the tracer sees it on Disarm

    private readonly Action _publish;
    private readonly Thread _thread;
    private volatile bool _disposed;
    private int _state;
    private long _pendingSince;

    public IdleFlusher(Action publish)
    {
        _publish = publish;
        // A thread of its own that sleeps between ticks: a thread-pool timer woke a pool worker
        // per tick, which then spun in sched_yield (LowLevelLifoSemaphore) before sleeping again.
        _thread = new Thread(() =>
        {
            while (!_disposed)
            {
                Thread.Sleep(Period);
                OnTick();
            }
        })
        { IsBackground = true, Name = "PSSyscall flush" };
        _thread.Start();
    }

    /// <summary>Batches the ticker published (for tests and figures).</summary>
    public int TickerPublishes { get; private set; }

    /// <summary>Tracer thread, at idle with records pending: true when they have waited a period
    /// and should be published now; false when the tracer should arm and block.</summary>
    public bool ShouldPublishNow()
    {
        long now = Stopwatch.GetTimestamp();
        if (_pendingSince == 0)
            _pendingSince = now;
        return now - _pendingSince >= PeriodTicks;
    }

    /// <summary>Tracer thread: its batch was published (by either thread); the wait starts anew.</summary>
    public void Published() => _pendingSince = 0;

    /// <summary>Tracer thread, just before a blocking wait with records pending.</summary>
    public void Arm() => Volatile.Write(ref _state, Armed);

    /// <summary>Tracer thread, after the blocking wait: takes the batch back, waiting for a ticker
    /// callback that is publishing it. No effect when not armed.</summary>
    public void Disarm()
    {
        int was = Interlocked.CompareExchange(ref _state, Idle, Armed);
        if (was == Idle || was == Armed)
            return;
        var spin = new SpinWait();
        while (Volatile.Read(ref _state) != Taken)
            spin.SpinOnce();
        Volatile.Write(ref _state, Idle);
        _pendingSince = 0;
    }

    private void OnTick()
    {
        if (Interlocked.CompareExchange(ref _state, Taking, Armed) != Armed)
            return;
        try
        {
            _publish();
            TickerPublishes++;
        }
        finally
        {
            Volatile.Write(ref _state, Taken);
        }
    }

    /// <summary>Stops the ticks and waits for one in flight, so nothing publishes after the
    /// tracer's own last batch and CompleteAdding.</summary>
    public void Dispose()
    {
        _disposed = true;
        _thread.Join();
    }
}
