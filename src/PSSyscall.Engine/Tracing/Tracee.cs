namespace PSSyscall.Engine.Tracing;

/// <summary>A traced process (thread group): what its threads share.</summary>
internal sealed class TracedProcess
{
    public TracedProcess(int processId, int parentProcessId, string name, FdLinkCache fds)
    {
        ProcessId = processId;
        ParentProcessId = parentProcessId;
        Name = name;
        Fds = fds;
    }

    /// <summary>What its descriptors refer to (for strace -y style annotations).</summary>
    public FdLinkCache Fds { get; }

    public int ProcessId { get; }

    /// <summary>The traced process whose fork made this one; for a process the trace did not see
    /// start (the launched or an attached one), its parent from /proc when it was first seen.</summary>
    public int ParentProcessId { get; }

    /// <summary>/proc/PID/comm, re-read after exec; one string shared by every record.</summary>
    public string Name { get; set; }

    /// <summary>Live traced threads, the leader included.</summary>
    public int ThreadCount { get; set; }

    /// <summary>Exit status from PTRACE_EVENT_EXIT of the last thread, if seen.</summary>
    public bool IsRoot { get; set; }
}

/// <summary>One traced thread and the state of its current syscall.</summary>
internal sealed class Tracee
{
    public Tracee(int threadId, TracedProcess process)
    {
        ThreadId = threadId;
        Process = process;
    }

    public int ThreadId { get; set; }
    public TracedProcess Process { get; set; }

    /// <summary>Nothing is reported until the launched child's first execve: what the shim does
    /// before it (and what children forked then do) is ours, not the user's.</summary>
    public bool Hidden { get; set; }

    /// <summary>Detach at the next stop (attach mode, on cancel or at the end).</summary>
    public bool Detaching { get; set; }

    /// <summary>Polls that found this tracee in a traced stop we were not told of.</summary>
    public int SilentStopPolls { get; set; }

    /// <summary>In a group-stop we answered with PTRACE_LISTEN: stopped on purpose until SIGCONT.</summary>
    public bool Listening { get; set; }

    /// <summary>Its first stop came before its parent's fork, vfork or clone event (the two are
    /// queued separately): when it ends before that event, the event must not add it again.</summary>
    public bool AwaitsForkEvent { get; set; }

    /// <summary>[detach on exec] The launched command itself, let go at an execve: no longer traced,
    /// but still our child, so the session waits for its end and its exit code (reporting nothing).</summary>
    public bool WaitAfterDetach;
    public bool Untraced;

    // ---- the syscall in progress (entry seen, exit not yet) ----
    public bool InSyscall;
    public int Number;
    public SyscallArchitecture Architecture;
    public long EntryTimestamp;
    public long EntrySystemMicros; // [summary] the process's system time at entry (wait4), with TraceOptions.MeasureSystemTime
    /// <summary>Where the call was made (PTRACE_GET_SYSCALL_INFO's instruction_pointer; strace -i).</summary>
    public ulong InstructionPointer;
    public ulong Arg0, Arg1, Arg2, Arg3, Arg4, Arg5;
    public Syscalls.SyscallSignature? Signature;
    /// <summary>The call passes the name/class filter: it is captured and reported.</summary>
    public bool Selected;
    /// <summary>What was captured at the entry stop, until the exit stop (reused).</summary>
    public CaptureBuffer EntryData = new(256);

    /// <summary>[faults] What a fault did to the current call (null until a fault session sees it).</summary>
    public Faults.FaultState? Fault;

    public void MoveSyscallFrom(Tracee other)
    {
        Signature = other.Signature;
        Selected = other.Selected;
        (EntryData, other.EntryData) = (other.EntryData, EntryData);
        InSyscall = other.InSyscall;
        Number = other.Number;
        Architecture = other.Architecture;
        EntryTimestamp = other.EntryTimestamp;
        EntrySystemMicros = other.EntrySystemMicros;
        InstructionPointer = other.InstructionPointer;
        Arg0 = other.Arg0; Arg1 = other.Arg1; Arg2 = other.Arg2;
        Arg3 = other.Arg3; Arg4 = other.Arg4; Arg5 = other.Arg5;
        other.InSyscall = false;
    }
}
