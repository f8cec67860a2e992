using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Tracing;

/// <summary>
/// One event as the tracer thread records it: a plain struct in a preallocated batch, so the stop
/// loop allocates nothing per event. The pipeline thread turns it into a <see cref="TraceEvent"/>.
/// Field meaning by <see cref="Kind"/>:
///   Syscall: Number, Architecture, Args, ReturnValue, Duration; Unfinished when it never returned.
///   Signal:  Number = signo, Args[0] = si_code, Args[1] = si_pid, Args[2] = si_uid, Args[3] = value.
///   Exit:    ReturnValue = exit status, Number = terminating signal (0 if exited), CoreDumped.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal struct TraceRecord
{
    public TraceEventType Kind;
    public TraceRecordFlags Flags;
    public SyscallArchitecture Architecture;
    public int ProcessId;
    public int ThreadId;
    public int ParentProcessId;  // the process that started this one (see TracedProcess)
    public int Number;
    public long Timestamp;       // Stopwatch ticks at entry (or at the event)
    public long DurationTicks;   // Stopwatch ticks from entry to exit
    public long SystemMicros;    // [summary] system time the process spent from entry to exit (MeasureSystemTime)
    public long ReturnValue;
    public ulong Arg0, Arg1, Arg2, Arg3, Arg4, Arg5;
    public ulong InstructionPointer; // strace -i: where the call (or the signal) stopped the thread
    public int DataStart;        // the call's captures in the batch's Data (see ArgumentCapture)
    public int DataLength;
    public int FaultIndex;       // [faults] which of TraceOptions.Faults hit the call, when Injected
    public string ProcessName;   // shared per process, not allocated per event
}

[Flags]
internal enum TraceRecordFlags : byte
{
    None = 0,
    Unfinished = 1,
    CoreDumped = 2,
    Root = 4,
    Injected = 8, // [faults] a fault changed this call (FaultIndex says which)
    Detached = 64, // [detach on exec] the tracer let the thread go during this call (with Unfinished)
}

/// <summary>A batch of records handed from the tracer thread to the consumer and then recycled.</summary>
internal sealed class TraceBatch
{
    public TraceBatch(int capacity)
    {
        Records = new TraceRecord[capacity];
        Data = new CaptureBuffer(capacity * CaptureBytesPerRecord);
    }

    /// <summary>A batch with its own initial capture arena per record (the eBPF backend starts small
    /// and keeps many batches in memory while the pipeline catches up).</summary>
    public TraceBatch(int capacity, int captureBytesPerRecord)
    {
        Records = new TraceRecord[capacity];
        Data = new CaptureBuffer(Math.Max(64, capacity * captureBytesPerRecord));
    }

    /// <summary>Initial capture arena per record: enough for paths, stat structures and strings at
    /// the default string limit, so that the arena rarely grows (growth allocates).</summary>
    public const int CaptureBytesPerRecord = 256;

    public readonly TraceRecord[] Records;
    public int Count;

    /// <summary>The memory, strings and descriptor links captured for this batch's records.</summary>
    public readonly CaptureBuffer Data;

    public bool IsFull => Count == Records.Length;

    public ref TraceRecord Next() => ref Records[Count++];
}
