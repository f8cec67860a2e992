using System.Diagnostics;

namespace PSSyscall.Engine.Tracing;

/// <summary>
/// A running trace: one tracer thread, its tracees and the queue of events. Start it with
/// <see cref="Start"/>, read <see cref="ReadEvents"/> on the consuming thread until it ends, and
/// <see cref="Cancel"/> from any thread (Ctrl+C, a downstream stop). Dispose always: it cancels
/// and waits for the tracer thread, so no tracee outlives the session.
/// </summary>
public sealed class TraceSession : IDisposable
{
    private readonly ITraceBackend _tracer;
    private readonly Thread _thread;
    private readonly EventFactory _factory;
    private bool _disposed;

    private TraceSession(TraceOptions options, TraceBackend backend)
    {
        Backend = backend;
        _tracer = backend == TraceBackend.Ebpf ? new Ebpf.EbpfTracer(options) : new Tracer(options);
        _factory = new EventFactory(options.StringLimit, options.Filter) { Faults = options.Faults, Decode = options.Decode }; // [faults]
        _factory.DumpsIo = options.HexDumpRead is not null || options.HexDumpWrite is not null; // [opts-out]
        _factory.HasStacks = options.StackTrace;
        _thread = new Thread(_tracer.Run)
        {
            IsBackground = true,
            Name = "PSSyscall tracer",
        };
    }

    /// <summary>Starts the tracer thread and returns once the command runs (or the attach is done).
    /// Throws <see cref="TraceException"/> if it could not start; nothing is left running then.</summary>
    public static TraceSession Start(TraceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Launch is null && options.AttachProcessIds.Count == 0)
            throw new ArgumentException("Give a command to launch or processes to attach to.", nameof(options));
        TraceBackend backend = options.Backend;
        string? note = null;
        if (backend == TraceBackend.Ebpf && PtraceOnly(options) is { } feature)
            throw new TraceException(TraceFailure.BackendUnavailable, options.Launch?.FilePath ?? string.Join(",", options.AttachProcessIds),
                $"{feature} only the ptrace backend can do; use -Backend Ptrace or Auto.");
        if (backend == TraceBackend.Auto)
        {
            if (PtraceOnly(options) is { } needsStops)
            {
                backend = TraceBackend.Ptrace;
                note = $"ptrace: {needsStops} only the ptrace backend can do.";
            }
            else
            {
                try
                {
                    // Measured (docs/performance.md, bench/ebpf-vs-strace.sh): eBPF is faster than
                    // ptrace for a full trace (0.26 x strace) and, since the programs load in ~20 ms,
                    // also for a selection (0.95 x strace --seccomp-bpf; ptrace's seccomp path 1.26).
                    var ebpf = StartWith(options, TraceBackend.Ebpf);
                    ebpf.BackendNote = "eBPF: the kernel programs are attached.";
                    return ebpf;
                }
                catch (TraceException e) when (e.Failure == TraceFailure.BackendUnavailable)
                {
                    backend = TraceBackend.Ptrace;
                    note = "ptrace, because the eBPF backend is not available: " + e.Message;
                }
            }
        }
        TraceSession session = StartWith(options, backend);
        session.BackendNote = note;
        return session;
    }

    /// <summary>What of these options needs the tracee stopped at its calls (the eBPF backend never
    /// stops it), said as the start of a sentence; null when the eBPF backend can serve them all.</summary>
    internal static string? PtraceOnly(TraceOptions options)
    {
        if (options.Faults.Count > 0)
            return "Faults (-Inject) change calls in the tracee, which";
        if (options.StackTrace)
            return "Stack traces (-StackTrace) unwind the stopped thread, which";
        if (options.HexDumpRead is not null || options.HexDumpWrite is not null)
            return "Hex dumps of all the data (-HexDumpRead, -HexDumpWrite), which";
        if (options.FdDecoding != FdDecoding.Path)
            return "Socket and device details (-FdDecoding) ask the kernel about a descriptor at the stop, which";
        if (options.DetachOnExecve)
            return "Letting a process go at execve (-DetachOn) is what";
        if (options.Decode.Unabbreviated)
            return "Structures in full (-Unabbreviated) need larger captures, which";
        if (options.Launch is { Orphan: true })
            return "A command that is not this process's child (-DetachedTracer) is seized once stopped, which";
        if (options.Filter is { } f && (f.SignalMask != ~0UL || f.Statuses != f.Result switch
            {
                ResultFilter.Failed => SyscallStatus.Failed,
                ResultFilter.Successful => SyscallStatus.Successful,
                _ => SyscallStatus.All,
            }))
            return "Selecting calls by how they ended (-Status) and signals (-Signal) is what";
        return null;
    }

    private static TraceSession StartWith(TraceOptions options, TraceBackend backend)
    {
        var session = new TraceSession(options, backend);
        session._thread.Start();
        session._tracer.Started.Wait();
        if (session._tracer.StartError is { } error)
        {
            session._thread.Join();
            throw error;
        }
        return session;
    }

    /// <summary>The backend that records this trace (Auto resolved).</summary>
    public TraceBackend Backend { get; }

    /// <summary>With Auto: which backend was chosen and why (for -Verbose).</summary>
    public string? BackendNote { get; private set; }

    /// <summary>eBPF: records lost because the ring buffer was full (0 for ptrace). Final once
    /// <see cref="ReadEvents"/> has ended.</summary>
    public long DroppedRecords => (_tracer as Ebpf.EbpfTracer)?.DroppedRecords ?? 0;

    /// <summary>eBPF: captures of memory that could not be read (paged out or invalid); those
    /// arguments show as addresses, as strace shows memory it cannot read.</summary>
    public long UnreadableCaptures => (_tracer as Ebpf.EbpfTracer)?.UnreadableCaptures ?? 0;

    /// <summary>eBPF: records whose captures did not all fit in one record.</summary>
    public long PartialRecords => (_tracer as Ebpf.EbpfTracer)?.PartialRecords ?? 0;

    /// <summary>eBPF: the ring buffer's size in bytes (0 for ptrace).</summary>
    public int BufferSize => (_tracer as Ebpf.EbpfTracer)?.RingSize ?? 0;

    /// <summary>The eBPF backend's start and end costs, for -Verbose; null with ptrace.</summary>
    public string? BackendTimings => _tracer is Ebpf.EbpfTracer e
        ? $"eBPF: the kernel programs were loaded and verified in {e.LoadMilliseconds:0.0} ms, attached with their tables filled at {e.AttachedMilliseconds:0.0} ms."
        : null;

    /// <summary>The launched process, or the first attached one.</summary>
    public int ProcessId => _tracer.RootProcessId;

    /// <summary>The root process's exit status (128 + signal when killed) once it has ended.</summary>
    public int? ExitCode => _tracer.ExitCode;

    /// <summary>The signal that ended the root process, if one did.</summary>
    public int? TerminatingSignal => _tracer.TerminatingSignal;

    /// <summary>Bytes the tracer thread allocated while tracing (see <see cref="Tracer.LoopAllocatedBytes"/>).</summary>
    internal long TracerAllocatedBytes => (_tracer as Tracer)?.LoopAllocatedBytes ?? (_tracer as Ebpf.EbpfTracer)?.LoopAllocatedBytes ?? 0;

    internal int TracerBatchesAllocated => (_tracer as Tracer)?.BatchesAllocated ?? (_tracer as Ebpf.EbpfTracer)?.BatchesAllocated ?? 0;

    internal int TracerBatchesPublished => (_tracer as Tracer)?.BatchesPublished ?? 0;

    /// <summary>readlink calls the tracer made for descriptor annotations (cache misses).</summary>
    internal long TracerLinkReads => (_tracer as Tracer)?.LinkReads ?? 0;

    /// <summary>Reads of tracee memory, and how many of them went through /proc/PID/mem.</summary>
    internal long TracerMemoryReads => (_tracer as Tracer)?.MemoryReads ?? 0;

    internal long TracerProcMemReads => (_tracer as Tracer)?.ProcMemReads ?? 0;

    /// <summary>Calls whose capture failed internally (0 expected).</summary>
    internal int TracerCaptureFailures => (_tracer as Tracer)?.CaptureFailures ?? 0;

    /// <summary>Events as they happen, until every tracee has ended or been detached. Call from one
    /// thread. A tracer failure after the start is rethrown at the end.</summary>
    public IEnumerable<TraceEvent> ReadEvents()
    {
        foreach (TraceBatch batch in _tracer.Queue.GetConsumingEnumerable())
        {
            try
            {
                for (int i = 0; i < batch.Count; i++)
                {
                    if (_factory.Create(ref batch.Records[i], batch.Data) is { } e)
                        yield return e;
                }
            }
            finally
            {
                _tracer.Recycle(batch);
            }
        }
        _thread.Join();
        if (_tracer.Failure is { } failure)
            throw new InvalidOperationException("The tracer failed: " + failure.Message, failure);
    }

    /// <summary>From any thread: kill what the session launched, detach from what it attached to.</summary>
    public void Cancel() => _tracer.Cancel();

    /// <summary>Waits for the tracer thread to finish (after the command ends or a cancel).</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        // Drain so a full queue cannot hold the tracer back.
        var sw = Stopwatch.StartNew();
        while (!_thread.Join(10))
        {
            while (_tracer.Queue.TryTake(out TraceBatch? batch))
                _tracer.Recycle(batch);
            if (sw.Elapsed > timeout)
                return false;
        }
        return true;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_thread.IsAlive)
        {
            Cancel();
            WaitForExit(TimeSpan.FromSeconds(10));
        }
    }
}
