using System.Collections.Concurrent;

namespace PSSyscall.Engine.Tracing;

/// <summary>
/// The seam between a <see cref="TraceSession"/> and what records the calls: the ptrace stop
/// loop (<see cref="Tracer"/>) or the eBPF ring-buffer reader (<see cref="Ebpf.EbpfTracer"/>).
/// A backend runs on one dedicated thread (<see cref="Run"/>), signals <see cref="Started"/> once
/// the command runs (or failed to: <see cref="StartError"/>), and fills preallocated batches of
/// <see cref="TraceRecord"/>s and captures that <see cref="EventFactory"/> turns into events;
/// the queue is completed when the traced tree is gone or after <see cref="Cancel"/>.
/// </summary>
internal interface ITraceBackend
{
    BatchQueue Queue { get; }
    ManualResetEventSlim Started { get; }
    Exception? StartError { get; }
    Exception? Failure { get; }
    int RootProcessId { get; }
    int? ExitCode { get; }
    int? TerminatingSignal { get; }
    void Recycle(TraceBatch batch);
    void Cancel();
    void Run();
}

/// <summary>Which backend records the calls.</summary>
public enum TraceBackend
{
    /// <summary>eBPF when it can serve the trace (root or CAP_BPF, no -Inject), else ptrace.</summary>
    Auto,
    /// <summary>The ptrace stop loop: everything, fault injection included; two stops per call.</summary>
    Ptrace,
    /// <summary>Kernel programs and a ring buffer: no stops.</summary>
    Ebpf,
}
