namespace PSSyscall.Engine.Tracing;

/// <summary>How a trace session runs: what to start or attach to, and what to report.</summary>
public sealed class TraceOptions
{
    /// <summary>The command to start (launch mode). Null with <see cref="AttachProcessIds"/>.</summary>
    public LaunchOptions? Launch { get; init; }

    /// <summary>Processes to attach to (attach mode), with all their threads.</summary>
    public IReadOnlyList<int> AttachProcessIds { get; init; } = Array.Empty<int>();

    /// <summary>Follow fork, vfork and clone (threads and processes). Off: only the first process
    /// is traced, with the threads it had (attach) or has at the start (launch).</summary>
    public bool FollowForks { get; init; } = true;

    /// <summary>The fast path: the launched child's seccomp program (<see cref="LaunchOptions.SeccompProgram"/>)
    /// returns SECCOMP_RET_TRACE for the calls to report and ALLOW for the rest, so the tracer
    /// resumes with PTRACE_CONT and stops only on those calls (plus their exits). Launch mode only.
    /// Without a program of its own, the tracer builds one from <see cref="Filter"/>'s selection.</summary>
    public bool UseSeccompStops { get; init; }

    /// <summary>Which calls to report (names, classes, result, paths). Null: every call. Per-number
    /// selections go into the seccomp fast path when <see cref="UseSeccompStops"/> is set.</summary>
    public SyscallFilter? Filter { get; init; }

    /// <summary>Longest string or buffer shown, in bytes (strace -s); longer ones end in "...".</summary>
    public int StringLimit { get; init; } = 32;

    /// <summary>[faults] Faults to inject (New-SyscallFault), applied to every traced thread in order:
    /// the first fault that hits a call changes it.</summary>
    public IReadOnlyList<SyscallFault> Faults { get; init; } = Array.Empty<SyscallFault>();

    /// <summary>strace -e read=SET: dump in hex (SyscallEvent.HexDump) all data read from these descriptors. Null: none.</summary>
    public DescriptorSet? HexDumpRead { get; init; }

    /// <summary>strace -e write=SET: dump in hex all data written to these descriptors. Null: none.</summary>
    public DescriptorSet? HexDumpWrite { get; init; }

    /// <summary>What descriptor annotations show: Path (strace -y), or with Socket/Device/All the
    /// details strace -yy adds (protocol and endpoints, device numbers).</summary>
    public FdDecoding FdDecoding { get; init; } = FdDecoding.Path;

    /// <summary>strace -k: each call's stack (SyscallEvent.StackTrace), unwound with libdw at its exit stop.</summary>
    public bool StackTrace { get; init; }

    /// <summary>Tests only: called on the tracer thread with each stop's thread id before it is
    /// handled, so a test can make the stop loop fail and check that nothing is left behind.</summary>
    internal Action<int>? BeforeEachStopForTests { get; init; }

    /// <summary>strace -b execve: a traced thread that calls execve or execveat is let go at the
    /// call's entry (reported as a Detached call); the new program runs untraced. The launched
    /// command's own first execve is not counted, as strace skips it.</summary>
    public bool DetachOnExecve { get; init; }

    /// <summary>strace -c's default clock: read the tracee's system time at every stop (wait4's
    /// rusage) so each call carries the system time spent in it (<c>SyscallEvent.SystemTime</c>),
    /// not only its wall-clock duration. Costs a getrusage of the thread group per stop.</summary>
    public bool MeasureSystemTime { get; init; }

    /// <summary>Events per batch handed to the consumer.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Batches the queue holds before the tracer waits for the consumer (back-pressure).</summary>
    public int QueueCapacity { get; init; } = 32;

    /// <summary>The decoding forms (strace -X, -v, -x/-xx): constants as names, numbers or both,
    /// structures in full, strings in hex. Applied when each event is decoded.</summary>
    public Decoding.DecodeOptions Decode { get; init; }

    /// <summary>Which backend records the calls. Auto: eBPF where it can serve the trace, else
    /// ptrace (<see cref="TraceSession.BackendNote"/> says why).</summary>
    public TraceBackend Backend { get; init; } = TraceBackend.Ptrace;

    /// <summary>eBPF: the ring buffer's size in bytes, rounded up to a power of two (0: 16 MiB
    /// for a full trace, 4 MiB for a filtered one).</summary>
    public long BufferSize { get; init; }
}
