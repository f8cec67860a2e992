using System.Diagnostics;
using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Tracing.Faults;

/// <summary>
/// Applies a session's faults at syscall stops, on the tracer thread. At an entry (or seccomp)
/// stop it counts the call for every fault whose names and where-conditions it matches, and the
/// first fault whose occurrence and probability select it is applied: the call is skipped
/// (orig_rax = -1, rax = the result), a signal is queued with tgkill, and/or the thread is held
/// for a delay. At the exit stop a skipped call's result is written again and an exit delay starts.
/// Held threads stay in their ptrace-stop while the tracer keeps serving the others
/// (<see cref="DelayedResumes"/>).
/// </summary>
internal sealed class FaultInjector
{
    private readonly SyscallFault[] _faults;
    private readonly long[] _counts;
    private readonly Random?[] _random;
    private readonly FaultPaths? _paths;

    private FaultInjector(IReadOnlyList<SyscallFault> faults, Action<Tracee> resume)
    {
        _faults = faults.ToArray();
        _counts = new long[_faults.Length];
        _random = new Random?[_faults.Length];
        for (int i = 0; i < _faults.Length; i++)
        {
            if (_faults[i].Probability < 1)
                _random[i] = _faults[i].Seed is int seed ? new Random(seed) : new Random();
        }
        if (_faults.Any(f => f.PathPattern is not null))
            _paths = new FaultPaths();
        Delays = new DelayedResumes(resume);
    }

    /// <summary>Null when there is nothing to inject: the tracer then pays nothing.</summary>
    public static FaultInjector? Create(IReadOnlyList<SyscallFault>? faults, Action<Tracee> resume)
        => faults is { Count: > 0 } ? new FaultInjector(faults, resume) : null;

    public IReadOnlyList<SyscallFault> Faults => _faults;

    public DelayedResumes Delays { get; }

    /// <summary>The calls the seccomp fast path must stop on: the reported ones and the faulted ones
    /// (a call the filter lets run unseen could not be faulted).</summary>
    public SyscallFilter WidenForFastPath(SyscallFilter reported)
    {
        if (reported.SelectsAll)
            return reported;
        var names = new List<string>(reported.Names);
        foreach (SyscallFault f in _faults)
            names.AddRange(f.SyscallSet.Names);
        return SyscallFilter.Create(names.Distinct(StringComparer.Ordinal));
    }

    /// <summary>At a syscall-entry or seccomp stop. Calls that may not be faulted (before and at
    /// the launched command's own execve, or while the trace is stopping) are not counted either.</summary>
    public void OnEntry(Tracee t, bool faultable)
    {
        FaultState s = t.Fault ??= new FaultState();
        s.Reset();
        if (!faultable)
            return;
        bool pathsRead = false;
        int hit = -1;
        for (int i = 0; i < _faults.Length; i++)
        {
            SyscallFault f = _faults[i];
            if (!f.SyscallSet.Contains(t.Architecture, t.Number))
                continue;
            if (f.ProcessId is int pid && pid != t.Process.ProcessId)
                continue;
            if (f.PathPattern is { } pattern)
            {
                if (!pathsRead)
                {
                    _paths!.Read(t);
                    pathsRead = true;
                }
                if (!_paths!.Matches(t, pattern))
                    continue;
            }
            long n = ++_counts[i];
            if (hit >= 0 || !f.When.Contains(n))
                continue; // counted; one fault per call, the first that hits
            if (_random[i] is { } random && random.NextDouble() >= f.Probability)
                continue;
            hit = i;
        }
        if (hit >= 0)
            Apply(t, s, hit);
    }

    private void Apply(Tracee t, FaultState s, int index)
    {
        SyscallFault f = _faults[index];
        s.FaultIndex = index;
        if (f.SkipsCall)
        {
            s.Skipped = true;
            s.ReturnValue = f.InjectedReturn;
            Registers.SkipSyscall(t.ThreadId, s.ReturnValue);
            if (f.SubstituteNumber >= 0)
                Registers.ReplaceSyscall(t.ThreadId, f.SubstituteNumber); // strace's syscall=: runs instead of nothing
        }
        if (f.PokeEnterList.Count > 0)
            Poke(t, f.PokeEnterList);
        if (f.SignalNumber > 0)
            Libc.tgkill(t.Process.ProcessId, t.ThreadId, f.SignalNumber); // delivered when it runs again
        if (f.DelayEntry is TimeSpan enter && enter > TimeSpan.Zero)
            s.ResumeAt = Stopwatch.GetTimestamp() + ToTicks(enter);
        if (f.DelayExit is TimeSpan exit && exit > TimeSpan.Zero)
            s.DelayExitTicks = ToTicks(exit);
    }

    /// <summary>At the exit stop: the value the call returns (the injected one for a skipped call).</summary>
    public long OnExit(Tracee t, long returnValue)
    {
        FaultState? s = t.Fault;
        if (s is null || !s.Hit)
            return returnValue;
        if (s.Skipped)
        {
            Registers.SetReturnValue(t.ThreadId, s.ReturnValue);
            returnValue = s.ReturnValue;
        }
        if (_faults[s.FaultIndex].PokeExitList is { Count: > 0 } pokes)
            Poke(t, pokes);
        if (s.DelayExitTicks > 0)
            s.ResumeAt = Stopwatch.GetTimestamp() + s.DelayExitTicks;
        return returnValue;
    }

    /// <summary>Marks a syscall record of this thread's current call as injected.</summary>
    public static void Mark(Tracee t, ref TraceRecord r)
    {
        if (t.Fault is { Hit: true } s)
        {
            r.Flags |= TraceRecordFlags.Injected;
            r.FaultIndex = s.FaultIndex;
        }
    }

    /// <summary>Instead of resuming after a syscall stop: holds the thread if a delay is due.</summary>
    public bool TryHold(Tracee t)
    {
        if (t.Fault is not { ResumeAt: > 0 } s)
            return false;
        long at = s.ResumeAt;
        s.ResumeAt = 0;
        Delays.Hold(t, at);
        return true;
    }

    /// <summary>strace's poke_enter=/poke_exit=: writes each poke's bytes at the address its
    /// argument holds (process_vm_writev; /proc/TID/mem for pages the tracee cannot write itself).
    /// A poke at an address that is not mapped writes nothing, as strace's does.</summary>
    private static unsafe void Poke(Tracee t, IReadOnlyList<FaultPoke> pokes)
    {
        foreach (FaultPoke p in pokes)
        {
            ulong address = p.Argument switch
            {
                1 => t.Arg0, 2 => t.Arg1, 3 => t.Arg2, 4 => t.Arg3, 5 => t.Arg4, _ => t.Arg5,
            };
            if (address == 0)
                continue;
            fixed (byte* data = p.Data)
            {
                var local = new Libc.IoVec { Base = data, Length = (nuint)p.Data.Length };
                var remote = new Libc.IoVec { Base = (void*)address, Length = (nuint)p.Data.Length };
                if (Libc.process_vm_writev(t.Process.ProcessId, &local, 1, &remote, 1, 0) == p.Data.Length)
                    continue;
            }
            try
            {
                using var mem = new FileStream($"/proc/{t.ThreadId}/mem", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
                mem.Seek((long)address, SeekOrigin.Begin);
                mem.Write(p.Data);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
            }
        }
    }

    private static long ToTicks(TimeSpan t) => (long)(t.Ticks * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond));
}
