using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Diagnostics;
using PSSyscall.Engine.Native;
using PSSyscall.Engine.Tracing.Faults;

namespace PSSyscall.Engine.Tracing;

/// <summary>
/// The stop loop. Everything here runs on one dedicated OS thread: it forks (or seizes) the
/// tracees, so ptrace requests, waitpid(__WNOTHREAD) and PR_SET_PDEATHSIG all belong to it.
/// Records go into preallocated batches; a full batch, or an idle moment, hands the batch to the
/// consumer through a bounded queue. See shared notes "ptrace-engine.md" for the traps avoided.
/// </summary>
internal sealed unsafe class Tracer : ITraceBackend
{
    private const int WaitFlags = Libc.__WALL | Libc.__WNOTHREAD;
    private const int SyscallStopSignal = Libc.SIGTRAP | 0x80;

    private readonly TraceOptions _options;
    private readonly BatchQueue _queue;
    private readonly ConcurrentBag<TraceBatch> _pool = new();
    private readonly CancellationTokenSource _consumerGone = new();
    private readonly Dictionary<int, Tracee> _tracees = new();
    private readonly ManualResetEventSlim _started = new();
    private TraceBatch _batch;

    private int _waiterPid;
    private int _waiterWriteFd = -1;
    private int _cancelRequested;
    private bool _stopping;
    private bool _discard;
    private bool _seccompStops;
    private bool _stolenStopsPossible;
    private int _idlePolls;
    private IdleFlusher? _flusher;
    private readonly HashSet<int> _ownChildren = new();
    private readonly HashSet<int> _goneBeforeForkEvent = new(); // tracees that ended before their parent's fork event was read
    private SpawnedProcess? _launched;
    private TracedProcess? _root;
    private readonly ArgumentCapture _capture;
    private readonly SyscallFilter _filter;
    private readonly ulong[] _args = new ulong[6];
    private readonly FaultInjector? _faults; // [faults] null without -Inject: no cost
    private readonly IoDumpCapture? _dumps; // strace -e read=/write=; null without them: no cost
    private readonly StackUnwinder? _unwinder; // strace -k; null without -StackTrace: no cost

    public Tracer(TraceOptions options)
    {
        _options = options;
        _queue = new BatchQueue(options.QueueCapacity, _consumerGone.Token);
        _batch = new TraceBatch(Math.Max(16, options.BatchSize));
        _capture = new ArgumentCapture(options.StringLimit) { Unabbreviated = options.Decode.Unabbreviated };
        _filter = options.Filter ?? SyscallFilter.All;
        _faults = FaultInjector.Create(options.Faults, t => Resume(t, 0)); // [faults]
        _dumps = IoDumpCapture.Create(options.HexDumpRead, options.HexDumpWrite);
        _unwinder = StackUnwinder.Create(options.StackTrace);
        // A launched command's whole tree goes into a cgroup of its own, guarded: a child made
        // with CLONE_UNTRACED is no tracee (neither EXITKILL nor our kills reach it), but the
        // cgroup holds it, and it ends with the trace, on a cancel and when the host dies. Made
        // here, on the caller's thread: the guardian must not be a child of the tracer thread,
        // whose waitpid(-1) takes every child of its own.
        if (options.Launch is not null)
        {
            _cgroup = Sandbox.SandboxCgroup.TryCreate(null, null);
            _cgroup?.Guard();
        }
    }

    private readonly Sandbox.SandboxCgroup? _cgroup;

    // ---- what the session reads ----
    public BatchQueue Queue => _queue;
    public ManualResetEventSlim Started => _started;
    public Exception? StartError { get; private set; }
    public Exception? Failure { get; private set; }
    public int RootProcessId { get; private set; }
    public int? ExitCode { get; private set; }
    public int? TerminatingSignal { get; private set; }

    /// <summary>Bytes the tracer thread allocated in its stop loop: a check that per-event work
    /// stays allocation-free (new processes and batches allocate; syscalls must not).</summary>
    public long LoopAllocatedBytes { get; private set; }

    /// <summary>Batches allocated after the first; bounded by the queue's capacity.</summary>
    public int BatchesAllocated { get; private set; }

    /// <summary>Batches handed to the consumer, full or not (a check that hand-offs stay per batch).</summary>
    public int BatchesPublished { get; private set; }

    public void Recycle(TraceBatch batch)
    {
        batch.Count = 0;
        batch.Data.Clear();
        _pool.Add(batch);
    }

    /// <summary>From any thread: stop tracing. Launched tracees are killed, attached ones detached.
    /// Closing the waiter's pipe ends the waiter child, which wakes the tracer's waitpid.</summary>
    public void Cancel()
    {
        if (Interlocked.Exchange(ref _cancelRequested, 1) != 0)
            return;
        _consumerGone.Cancel();
        int fd = Interlocked.Exchange(ref _waiterWriteFd, -1);
        if (fd >= 0)
            Libc.close(fd);
    }

    // ---- the tracer thread ----
    public void Run()
    {
        try
        {
            SigchldTuning.Apply();
            StartWaiter();
            if (_options.Launch is { } launch)
                Launch(launch);
            else
            {
                _capture.Describer = FdDescriber.Create(_options.FdDecoding, cache: true); // strace -yy
                AttachAll(_options.AttachProcessIds);
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            _flusher = new IdleFlusher(Publish);
            Loop();
            LoopAllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        catch (TraceException e) when (!_started.IsSet)
        {
            StartError = e;
        }
        catch (Exception e)
        {
            if (!_started.IsSet)
                StartError = new TraceException(TraceFailure.TracerFailed, _options.Launch?.FilePath ?? "", e.Message);
            else
                Failure = e;
        }
        finally
        {
            _flusher?.Dispose();
            Cleanup();
            if (!_discard && _batch.Count > 0)
                Publish();
            _queue.CompleteAdding();
            _started.Set();
        }
    }

    private void StartWaiter()
    {
        int* fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) != 0)
            throw new InvalidOperationException("pipe2 failed: " + Libc.ErrorText(Libc.LastError));
        int pid = Shim.SpawnWaiter(fds[0]);
        Libc.close(fds[0]);
        if (pid < 0)
        {
            Libc.close(fds[1]);
            throw new InvalidOperationException("fork failed: " + Libc.ErrorText(-pid));
        }
        _waiterPid = pid;
        _waiterWriteFd = fds[1];
        if (Volatile.Read(ref _cancelRequested) != 0)
            Cancel(); // lost the race with an early Cancel(): close now
    }

    private int PtraceOptions(bool launched)
    {
        int options = Ptrace.O_TRACESYSGOOD | Ptrace.O_TRACEEXEC | Ptrace.O_TRACEEXIT | Ptrace.O_TRACECLONE;
        if (_options.FollowForks)
            options |= Ptrace.O_TRACEFORK | Ptrace.O_TRACEVFORK;
        if (launched)
            options |= Ptrace.O_EXITKILL;
        if (_seccompStops)
            options |= Ptrace.O_TRACESECCOMP;
        return options;
    }

    private void Launch(LaunchOptions launch)
    {
        byte[]? program = launch.SeccompProgram;
        if (program is null && _options.UseSeccompStops && !_filter.SelectsAll)
            program = SeccompFastPath.Build(StackUnwinder.WidenForFastPath(WidenForDetach(_faults?.WidenForFastPath(_filter) ?? _filter), _unwinder is not null)); // stop only on the selected calls [faults] and the faulted ones, and (-StackTrace) the mapping calls
        _seccompStops = program is not null && _options.UseSeccompStops;
        _capture.Describer = FdDescriber.Create(_options.FdDecoding, cache: !_seccompStops); // strace -yy
        // The caller's options as given, plus what tracing needs. A copy made with `with` keeps
        // every launch option, including ones added later.
        _launched = ProcessLauncher.Spawn(launch with
        {
            StopForTracer = true,
            KillWithParent = true,
            ShareMemory = false, // the traced child stops itself before exec: it needs its own memory
            NoNewPrivileges = launch.NoNewPrivileges || program is not null,
            SeccompProgram = program,
            CgroupProcsFds = _cgroup is null ? launch.CgroupProcsFds : [.. launch.CgroupProcsFds, .. _cgroup.ProcsFds],
            // The trace does not depend on the cgroup: where the command cannot join it (a
            // cgroup delegation that allows mkdir but not the move), it runs without.
            CgroupBestEffort = _cgroup is not null && launch.CgroupProcsFds.Count == 0,
        });
        int pid = _launched.ProcessId;
        RootProcessId = pid;

        int status;
        if (launch.Orphan)
        {
            pid = AwaitOrphan(launch, pid); // [detached tracer] the command is a grandchild
            RootProcessId = pid;
        }
        else
        {
            while (Libc.waitpid(pid, out status, Libc.WSTOPPED | WaitFlags) < 0)
            {
                if (Libc.LastError != Libc.EINTR)
                    throw new InvalidOperationException("waitpid failed: " + Libc.ErrorText(Libc.LastError));
            }
            if (!Libc.WIFSTOPPED(status))
                throw LaunchFailure(status);
        }

        if (!Ptrace.Seize(pid, PtraceOptions(launched: true)))
        {
            int err = Libc.LastError;
            Libc.kill(pid, Libc.SIGKILL);
            Libc.waitpid(pid, out _, WaitFlags);
            throw new TraceException(TraceFailure.AttachDenied, launch.FilePath, "PTRACE_SEIZE of the new process failed: " + Libc.ErrorText(err), err);
        }
        _root = new TracedProcess(pid, ProcFs.ReadParentId(pid), ProcFs.ReadCommand(pid), NewFdCache()) { IsRoot = true };
        _tracees[pid] = new Tracee(pid, _root) { Hidden = true };
        Libc.kill(pid, Libc.SIGCONT);
    }

    /// <summary>[detached tracer] strace -D: the shim's first child forks the command and exits.
    /// Reaps it, learns the command's pid from its report, and waits (it is not our child: no
    /// waitpid) until the command has stopped itself for the seize.</summary>
    private int AwaitOrphan(LaunchOptions launch, int firstChild)
    {
        (int pid, LaunchReport failure) = ProcessLauncher.AwaitOrphan(_launched!);
        while (Libc.waitpid(firstChild, out _, WaitFlags) < 0 && Libc.LastError == Libc.EINTR) { }
        if (pid <= 0)
            throw new TraceException(TraceFailure.SetupFailed, launch.FilePath, ProcessLauncher.DescribeFailure(failure, launch.FilePath), failure.Errno, failure.FailedStage);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            char state = ProcFs.ReadState(pid);
            if (state is 'T' or 't')
                return pid;
            if (state is '\0' or 'Z' or 'X' || clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                Libc.kill(pid, Libc.SIGKILL);
                LaunchReport report = ProcessLauncher.ReadReport(_launched!);
                throw new TraceException(TraceFailure.SetupFailed, launch.FilePath,
                    report.Succeeded ? "The command ended before it could be traced." : ProcessLauncher.DescribeFailure(report, launch.FilePath), report.Errno, report.FailedStage);
            }
            Thread.Sleep(1);
        }
    }

    /// <summary>[detach on exec] the fast path must stop at execve to let the thread go there.</summary>
    private SyscallFilter WidenForDetach(SyscallFilter filter)
        => !_options.DetachOnExecve || filter.SelectsAll ? filter
            : SyscallFilter.Create(filter.Names.Concat(["execve", "execveat"]).Distinct(StringComparer.Ordinal));

    private TraceException LaunchFailure(int status)
        => ProcessLauncher.FailureOf(ProcessLauncher.ReadReport(_launched!), _options.Launch!.FilePath, status);

    private void AttachAll(IReadOnlyList<int> pids)
    {
        int self = Environment.ProcessId;
        ProcFs.CheckAttachTargets(pids);
        foreach (int pid in pids)
        {
            if (ProcFs.ReadParentId(pid) == self)
            {
                _ownChildren.Add(pid);
                _stolenStopsPossible = true;
            }
            var process = new TracedProcess(pid, ProcFs.ReadParentId(pid), ProcFs.ReadCommand(pid), NewFdCache()) { IsRoot = _root is null };
            _root ??= process;
            if (RootProcessId == 0)
                RootProcessId = pid;
            // Threads can start while we attach: repeat until a pass finds no new one.
            bool found = true;
            while (found)
            {
                found = false;
                foreach (int tid in ProcFs.ListThreads(pid))
                {
                    if (_tracees.ContainsKey(tid))
                        continue;
                    if (!Ptrace.Seize(tid, PtraceOptions(launched: false)))
                    {
                        int err = Libc.LastError;
                        if (err == Libc.ESRCH)
                            continue; // the thread ended meanwhile
                        throw new TraceException(TraceFailure.AttachDenied, pid.ToString(),
                            $"Cannot trace process {pid}: {Libc.ErrorText(err)}. Tracing needs the same user (and ptrace_scope permitting it) or root, and the process must not be traced already.", err);
                    }
                    Ptrace.Interrupt(tid);
                    _tracees[tid] = new Tracee(tid, process);
                    found = true;
                }
            }
        }
        _started.Set();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Loop()
    {
        while (_tracees.Count > 0)
        {
            int status;
            _faults?.Delays.ReleaseDue(); // [faults] threads held by a delay whose time has come
            int pid = WaitAny(out status, WaitFlags | Libc.WNOHANG);
            if (pid == 0 && (_stolenStopsPossible || (_stopping && !IsLaunchMode)))
            {
                // Poll instead of blocking, so that a stop whose notification .NET consumed
                // (see RecoverStolenStops) cannot keep a tracee, or us, waiting forever.
                if (_batch.Count > 0 && !_discard)
                    Publish();
                // Yield first (a resumed tracee usually stops again within microseconds), then
                // sleep; look for stolen stops only once a wait has gone on that long.
                if (++_idlePolls < 64)
                {
                    Thread.Yield();
                    continue;
                }
                Thread.Sleep(1);
                RecoverStolenStops();
                continue;
            }
            _idlePolls = 0;
            if (pid == 0)
            {
                // Idle: records that have waited a period are handed over now; younger ones are
                // left to the flusher, which publishes them if this wait lasts (IdleFlusher says why).
                bool armed = false;
                if (_batch.Count > 0 && !_discard)
                {
                    if (_flusher!.ShouldPublishNow())
                        Publish();
                    else
                        armed = true;
                }
                if (armed)
                    _flusher!.Arm();
                // [faults] while a delay holds threads, the wait is bounded by the next due time
                pid = _faults is { Delays.Count: > 0 } ? _faults.Delays.WaitForStop(out status, WaitFlags) : WaitAny(out status, WaitFlags);
                if (armed)
                    _flusher!.Disarm();
                if (pid == 0)
                    continue;
            }
            if (pid < 0)
            {
                int err = Libc.LastError;
                if (err == Libc.EINTR)
                    continue;
                if (err == Libc.ECHILD)
                    break;
                throw new InvalidOperationException("waitpid failed: " + Libc.ErrorText(err));
            }
            if (pid == _waiterPid)
            {
                _waiterPid = 0;
                BeginStopping();
                continue;
            }
            _options.BeforeEachStopForTests?.Invoke(pid);
            if (Libc.WIFSTOPPED(status))
                OnStop(pid, status);
            else
                OnGone(pid, status);
        }
    }

    private long _lastSystemMicros; // [summary] the stopped tracee's process's system time, from wait4

    private int WaitAny(out int status, int flags)
    {
        if (!_options.MeasureSystemTime)
            return Libc.waitpid(-1, out status, flags);
        Libc.RUsage usage;
        int pid = Libc.wait4(-1, out status, flags, &usage);
        if (pid > 0)
            _lastSystemMicros = usage.SystemSeconds * 1_000_000 + usage.SystemMicroseconds;
        return pid;
    }

    private void BeginStopping()
    {
        _stopping = true;
        _discard = true;
        _started.Set();
        _faults?.Delays.ReleaseAll(); // [faults] held threads run on, to be killed or detached
        if (IsLaunchMode)
            _cgroup?.Kill(); // the untraced too
        foreach (Tracee t in _tracees.Values)
        {
            if (t.Detaching)
                continue;
            if (IsLaunchMode)
            {
                Libc.kill(t.ThreadId, Libc.SIGKILL);
            }
            else
            {
                t.Detaching = true;
                Ptrace.Interrupt(t.ThreadId);
            }
        }
    }

    private bool IsLaunchMode => _options.Launch is not null;

    // On the fast path the calls that change descriptor tables may never stop: no caching then.
    private FdLinkCache NewFdCache() => new(enabled: !_seccompStops);

    /// <summary>
    /// An attached process that is a child of this very process (Start-Process, then -Id) is also
    /// waited for by .NET, whose waitpid(child) consumes a ptrace stop meant for us whenever some
    /// child of the host ends: the tracee then sits in a traced stop we are never told of. For such
    /// sessions (and for every session while it detaches) the idle wait polls, and a tracee found
    /// in a traced stop on two polls in a row, with no notification pending for us in between, is
    /// handled as the stop it is: PTRACE_GET_SYSCALL_INFO and PTRACE_GETSIGINFO say which.
    /// </summary>
    private void RecoverStolenStops()
    {
        foreach (Tracee t in _tracees.Values.ToArray())
        {
            bool candidate = (_stopping && !IsLaunchMode) || _ownChildren.Contains(t.ThreadId);
            if (!candidate || t.Listening || _faults?.Delays.IsHeld(t.ThreadId) == true || ProcFs.ReadState(t.ThreadId) != 't')
            {
                t.SilentStopPolls = 0;
                continue;
            }
            if (++t.SilentStopPolls < 2)
                continue;
            t.SilentStopPolls = 0;
            if (_tracees.ContainsKey(t.ThreadId))
                OnStop(t.ThreadId, ReconstructStopStatus(t.ThreadId));
        }
    }

    /// <summary>The wait status the kernel would have reported for a tracee's current stop.</summary>
    private static int ReconstructStopStatus(int tid)
    {
        const int Stopped = 0x7f;
        Ptrace.SyscallInfo info;
        if (Ptrace.GetSyscallInfo(tid, &info) > 0)
        {
            if (info.Op is Ptrace.SYSCALL_INFO_ENTRY or Ptrace.SYSCALL_INFO_EXIT)
                return (SyscallStopSignal << 8) | Stopped;
            if (info.Op == Ptrace.SYSCALL_INFO_SECCOMP)
                return ((Libc.SIGTRAP | (Ptrace.EVENT_SECCOMP << 8)) << 8) | Stopped;
        }
        Ptrace.SignalInfo si;
        if (!Ptrace.GetSignalInfo(tid, &si))
            return ((Libc.SIGSTOP | (Ptrace.EVENT_STOP << 8)) << 8) | Stopped; // a group-stop has no siginfo
        if (si.Signo == Libc.SIGTRAP && (si.Code >> 8) != 0)
            return ((Libc.SIGTRAP | ((si.Code >> 8) << 8)) << 8) | Stopped; // a PTRACE_EVENT stop
        return (si.Signo << 8) | Stopped; // a signal-delivery-stop
    }

    // ---- a tracee ended ----
    private void OnGone(int tid, int status)
    {
        _faults?.Delays.Forget(tid); // [faults]
        if (!_tracees.Remove(tid, out Tracee? t))
            return;
        if (t.AwaitsForkEvent)
            _goneBeforeForkEvent.Add(tid);
        if (t.InSyscall && !t.Hidden)
            EmitUnfinished(t);

        bool leader = tid == t.Process.ProcessId;
        if (!leader)
            return;
        _unwinder?.Invalidate(tid);
        bool signaled = !Libc.WIFEXITED(status);
        int code = signaled ? 128 + Libc.WTERMSIG(status) : Libc.WEXITSTATUS(status);
        if (t.Process.IsRoot)
        {
            ExitCode = code;
            TerminatingSignal = signaled ? Libc.WTERMSIG(status) : null;
            if (IsLaunchMode && !_started.IsSet)
            {
                // The child died before its execve succeeded: a launch failure, not a trace.
                StartError = LaunchFailure(status);
                _discard = true;
                _started.Set();
                return;
            }
        }
        if (t.Hidden || _discard)
            return;
        ref TraceRecord r = ref _batch.Next();
        r.Kind = TraceEventType.Exit;
        r.DataLength = 0;
        r.Flags = (t.Process.IsRoot ? TraceRecordFlags.Root : 0) | (signaled && Libc.WCOREDUMP(status) ? TraceRecordFlags.CoreDumped : 0);
        r.ProcessId = t.Process.ProcessId;
        r.ThreadId = tid;
        r.ProcessName = t.Process.Name;
        r.ParentProcessId = t.Process.ParentProcessId;
        r.Timestamp = Stopwatch.GetTimestamp();
        r.ReturnValue = code;
        r.Number = signaled ? Libc.WTERMSIG(status) : 0;
        AfterEmit();
    }

    // ---- a tracee stopped ----
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnStop(int tid, int status)
    {
        _faults?.Delays.Forget(tid); // [faults] a held thread stops again only when a SIGKILL woke it
        if (!_tracees.TryGetValue(tid, out Tracee? t))
        {
            t = AddTracee(tid, parent: null);
            t.AwaitsForkEvent = true;
        }
        if (t.Untraced)
            return; // [detach on exec] not ours to resume any more
        t.Listening = false;

        if (_stopping && IsLaunchMode)
        {
            // SIGKILL does not end a PTRACE_EVENT_EXIT stop: the tracee must be resumed to die.
            Libc.kill(tid, Libc.SIGKILL);
            Ptrace.Continue(tid, 0);
            return;
        }

        int signal = Libc.WSTOPSIG(status);
        int ptraceEvent = status >> 16;

        if (signal == SyscallStopSignal)
        {
            OnSyscallStop(t);
            ResumeAfterSyscallStop(t);
            return;
        }

        switch (ptraceEvent)
        {
            case 0:
                OnSignal(t, signal);
                return;
            case Ptrace.EVENT_FORK:
            case Ptrace.EVENT_VFORK:
            case Ptrace.EVENT_CLONE:
                int child = (int)Ptrace.GetEventMessage(tid);
                if (child > 0 && _tracees.TryGetValue(child, out Tracee? early))
                    early.AwaitsForkEvent = false;
                else if (child > 0 && !_goneBeforeForkEvent.Remove(child))
                    AddTracee(child, t);
                // (A vfork child runs while its parent's event waits in the queue: it may have
                // stopped, run and ended before the event is read. Added again, a child that is
                // gone would keep the trace waiting for it forever.)
                Resume(t, 0);
                return;
            case Ptrace.EVENT_EXEC:
                t = OnExec(t, (int)Ptrace.GetEventMessage(tid));
                Resume(t, 0);
                return;
            case Ptrace.EVENT_EXIT:
                // The thread is about to die: a call still in progress (exit_group, or any call a
                // fatal signal or another thread's exec cut short) will never return.
                if (t.InSyscall && !t.Hidden)
                    EmitUnfinished(t);
                t.InSyscall = false;
                Resume(t, 0);
                return;
            case Ptrace.EVENT_SECCOMP:
                OnSyscallStop(t);
                ResumeAfterSyscallStop(t);
                return;
            case Ptrace.EVENT_STOP:
                if (signal is Libc.SIGSTOP or Libc.SIGTSTP or Libc.SIGTTIN or Libc.SIGTTOU)
                {
                    // Group-stop of a seized tracee: keep it stopped, but listen for SIGCONT.
                    if (t.Detaching)
                    {
                        Detach(t, 0);
                    }
                    else
                    {
                        Ptrace.Listen(tid);
                        t.Listening = true;
                    }
                    return;
                }
                Resume(t, 0); // PTRACE_INTERRUPT stop, or a new tracee's first stop
                return;
            default:
                Resume(t, 0);
                return;
        }
    }

    private Tracee AddTracee(int tid, Tracee? parent)
    {
        int tgid = ProcFs.ReadThreadGroupId(tid);
        if (tgid <= 0)
            tgid = tid;
        TracedProcess process;
        Tracee? sibling = null;
        if (tgid != tid && _tracees.TryGetValue(tgid, out sibling))
        {
            process = sibling.Process;
        }
        else if (parent is not null && parent.Process.ProcessId == tgid)
        {
            process = parent.Process;
        }
        else
        {
            // A new process starts with its parent's command name; exec changes it. Its descriptor
            // links start uncached (each is read once on first use). Copying the parent's cache
            // here made the hosted Ctrl+C test leave a tracee behind (cause not found; see the
            // report of issue 3), so it is not done.
            process = new TracedProcess(tgid, parent?.Process.ProcessId ?? ProcFs.ReadParentId(tgid), parent?.Process.Name ?? ProcFs.ReadCommand(tgid), NewFdCache());
        }
        var t = new Tracee(tid, process)
        {
            Hidden = parent?.Hidden ?? sibling?.Hidden ?? false,
            Detaching = _stopping && !IsLaunchMode
                || (!_options.FollowForks && _root is not null && process != _root),
        };
        _tracees[tid] = t;
        if (_stopping && IsLaunchMode)
            Libc.kill(tid, Libc.SIGKILL);
        return t;
    }

    private Tracee OnExec(Tracee t, int formerTid)
    {
        if (formerTid != t.ThreadId && formerTid > 0 && _tracees.Remove(formerTid, out Tracee? former))
        {
            // A non-leader thread exec'd: it now has the leader's id. The old leader is gone without
            // an exit notification; any call it had in progress never returns.
            if (t.InSyscall && !t.Hidden)
                EmitUnfinished(t);
            t.MoveSyscallFrom(former);
            t.Hidden = former.Hidden;
        }
        t.Process.Name = ProcFs.ReadCommand(t.Process.ProcessId);
        t.Process.Fds.Clear(); // close-on-exec descriptors are gone; the rest are re-read on use
        _unwinder?.Invalidate(t.Process.ProcessId); // strace -k: a new program, new modules
        t.Hidden = false;
        if (t.Process.IsRoot && !_started.IsSet)
        {
            // The launched command is running: from here on, failures are the command's own.
            _launched?.Dispose();
            _launched = null;
            _started.Set();
        }
        return t;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnSyscallStop(Tracee t)
    {
        Ptrace.SyscallInfo info;
        if (Ptrace.GetSyscallInfo(t.ThreadId, &info) <= 0)
            return;
        long now = Stopwatch.GetTimestamp();
        switch (info.Op)
        {
            case Ptrace.SYSCALL_INFO_ENTRY:
            case Ptrace.SYSCALL_INFO_SECCOMP:
                t.InSyscall = true;
                t.Architecture = Syscalls.AuditArch.Classify(info.Arch, (long)info.Nr, out t.Number);
                t.EntryTimestamp = now;
                t.EntrySystemMicros = _lastSystemMicros;
                t.InstructionPointer = info.InstructionPointer;
                t.Arg0 = info.Args[0]; t.Arg1 = info.Args[1]; t.Arg2 = info.Args[2];
                t.Arg3 = info.Args[3]; t.Arg4 = info.Args[4]; t.Arg5 = info.Args[5];
                bool faultable = !t.Hidden && !_discard; // [faults] not the command's own execve (as strace)
                bool wasHidden = t.Hidden; // [detach on exec] the launched command's own execve is not counted
                if (t.Hidden && t.Architecture == SyscallArchitecture.X86_64 && t.Number is 59 or 322)
                    t.Hidden = false; // the launched child's own execve: the trace starts here
                if (t.Architecture == SyscallArchitecture.I386 && !t.Hidden && !_discard)
                    I386Subcalls.Rewrite(t, _capture); // socketcall, ipc, old mmap/select: as the call they stand for
                t.Signature = Syscalls.SyscallTable.For(t.Architecture).GetSignature(t.Number);
                t.Selected = _filter.Selects(t.Architecture, t.Number);
                t.EntryData.Clear();
                _faults?.OnEntry(t, faultable); // [faults] may skip the call, queue a signal, hold the thread, poke memory (before the capture: strace shows a poked argument)
                // x32 has other struct layouts: named, not decoded (i386 has signatures of its own).
                if (t.Selected && !t.Hidden && !_discard && t.Architecture != SyscallArchitecture.X32)
                    CaptureEntry(t, info.StackPointer);
                // strace -k: a call that never returns (exit, exit_group) has its stack taken now.
                if (_unwinder is not null && t.Selected && !t.Hidden && !_discard && t.Architecture == SyscallArchitecture.X86_64 && t.Number is 60 or 231)
                    CaptureStack(t, t.EntryData);
                if (_options.DetachOnExecve && !wasHidden && t.Architecture == SyscallArchitecture.X86_64 && t.Number is 59 or 322)
                    DetachAtExec(t);
                break;
            case Ptrace.SYSCALL_INFO_EXIT:
                if (!t.InSyscall)
                    break; // attached mid-call: the entry was never seen
                t.InSyscall = false;
                long ret = _faults is null ? info.ReturnValue : _faults.OnExit(t, info.ReturnValue); // [faults]
                bool native = t.Architecture != SyscallArchitecture.X32; // decoded: x86_64 and i386
                if (_unwinder is not null && t.Architecture == SyscallArchitecture.X86_64 && StackUnwinder.ChangesMappings(t.Number))
                    _unwinderStale = true; // after this call's own stack is taken
                if (native && t.Signature is { } signature)
                    FollowDescriptors(t, signature, ret);
                if (native && _capture.Describer is { } describer && t.Number is 42 or 44 or 46 or 49 or 50 or 307)
                    describer.Forget(t.ThreadId, (int)t.Arg0, t.Process.Fds.Get((int)t.Arg0)); // connect, sendto, sendmsg, bind, listen, sendmmsg move a socket's endpoints
                if (t.Hidden || _discard || !t.Selected || !_filter.SelectsResult(ret))
                    break;
                ref TraceRecord r = ref NewSyscallRecord(t);
                r.DurationTicks = now - t.EntryTimestamp;
                r.SystemMicros = Math.Max(0, _lastSystemMicros - t.EntrySystemMicros);
                r.ReturnValue = ret;
                if (native && t.Signature is { } sig)
                    CaptureExit(t, sig, ret);
                if (native && _dumps is not null)
                    CaptureDump(t, ret);
                if (native && _unwinder is not null)
                    CaptureStack(t, _batch.Data);
                r.DataLength = _batch.Data.Length - r.DataStart;
                AfterEmit();
                break;
        }
        if (_unwinderStale)
        {
            _unwinderStale = false;
            _unwinder!.Invalidate(t.Process.ProcessId);
        }
    }

    private bool _unwinderStale;

    private void CaptureStack(Tracee t, CaptureBuffer into)
    {
        int mark = into.Length;
        try
        {
            _unwinder!.Capture(t.Process.ProcessId, t.ThreadId, CaptureSlot.StackTrace, into);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            into.Length = mark;
            CaptureFailures++;
        }
    }

    /// <summary>[detach on exec] strace -b execve: report the call as detached ("&lt;detached ...&gt;")
    /// and let the thread go at its entry; the new program runs untraced. The trace's cgroup still
    /// holds it: a launched command's tree ends with the trace, as every untraced child does.</summary>
    private void DetachAtExec(Tracee t)
    {
        t.InSyscall = false;
        if (!_discard && t.Selected && _filter.SelectsDetached)
        {
            ref TraceRecord r = ref NewSyscallRecord(t);
            r.Flags |= TraceRecordFlags.Unfinished | TraceRecordFlags.Detached;
            r.DurationTicks = 0;
            r.ReturnValue = 0;
            AfterEmit();
        }
        t.Detaching = true;
        // The command itself, our child: the trace goes on until it ends, for its exit code (strace
        // exits at once; a PowerShell command returns when its command has finished).
        t.WaitAfterDetach = IsLaunchMode && t.Process.IsRoot && t.ThreadId == t.Process.ProcessId && !_options.Launch!.Orphan;
    }

    private void OnSignal(Tracee t, int signal)
    {
        if (t.Detaching)
        {
            Detach(t, signal);
            return;
        }
        if (!t.Hidden && !_discard && _filter.SelectsSignal(signal))
        {
            Ptrace.SignalInfo info;
            bool haveInfo = Ptrace.GetSignalInfo(t.ThreadId, &info);
            ref TraceRecord r = ref _batch.Next();
            r.Kind = TraceEventType.Signal;
            r.DataLength = 0;
            r.Flags = 0;
            r.ProcessId = t.Process.ProcessId;
            r.ThreadId = t.ThreadId;
            r.ProcessName = t.Process.Name;
            r.ParentProcessId = t.Process.ParentProcessId;
            r.Timestamp = Stopwatch.GetTimestamp();
            r.Number = signal;
            r.Arg0 = haveInfo ? (ulong)(long)info.Code : 0;
            r.Arg1 = haveInfo ? (ulong)(long)info.Pid : 0;
            r.Arg2 = haveInfo ? (ulong)(long)info.Uid : 0;
            r.Arg3 = haveInfo ? (ulong)(signal == Libc.SIGCHLD ? info.Status : signal is 4 or 7 or 8 or 11 ? info.Addr : 0) : 0;
            r.Arg4 = haveInfo && signal == Libc.SIGCHLD ? (ulong)info.UserTime : 0;
            r.Arg5 = haveInfo && signal == Libc.SIGCHLD ? (ulong)info.SystemTime : 0;
            r.InstructionPointer = Registers.PeekInstructionPointer(t.ThreadId); // strace -i; signals are rare
            AfterEmit();
        }
        Resume(t, signal); // deliver it: the tracer observes, it does not interfere
    }

    // [faults] a delay fault may hold the thread in this stop for a while
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ResumeAfterSyscallStop(Tracee t)
    {
        if (_faults is null || !_faults.TryHold(t))
            Resume(t, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Resume(Tracee t, int signal)
    {
        if (t.Detaching)
        {
            Detach(t, signal);
            return;
        }
        if (_seccompStops && !t.InSyscall)
            Ptrace.Continue(t.ThreadId, signal);
        else
            Ptrace.Syscall(t.ThreadId, signal);
    }

    private void Detach(Tracee t, int signal)
    {
        Ptrace.Detach(t.ThreadId, signal);
        if (t.WaitAfterDetach && !_stopping)
        {
            // [detach on exec] still our child: its exit comes to waitpid as any child's does.
            t.Untraced = true;
            t.Detaching = false;
            t.Hidden = true;
            t.InSyscall = false;
            return;
        }
        _tracees.Remove(t.ThreadId);
    }

    // ---- records ----
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ref TraceRecord NewSyscallRecord(Tracee t)
    {
        ref TraceRecord r = ref _batch.Next();
        r.Kind = TraceEventType.Syscall;
        r.Flags = 0;
        r.Architecture = t.Architecture;
        r.ProcessId = t.Process.ProcessId;
        r.ThreadId = t.ThreadId;
        r.ProcessName = t.Process.Name;
        r.ParentProcessId = t.Process.ParentProcessId;
        r.Number = t.Number;
        r.Timestamp = t.EntryTimestamp;
        r.InstructionPointer = t.InstructionPointer;
        r.Arg0 = t.Arg0; r.Arg1 = t.Arg1; r.Arg2 = t.Arg2;
        r.Arg3 = t.Arg3; r.Arg4 = t.Arg4; r.Arg5 = t.Arg5;
        r.DataStart = _batch.Data.Length;
        _batch.Data.Append(t.EntryData);
        r.DataLength = _batch.Data.Length - r.DataStart;
        if (_faults is not null)
            FaultInjector.Mark(t, ref r); // [faults]
        return ref r;
    }

    // Capturing is best effort: a fault in it must never end the trace. What was not captured is
    // shown as raw addresses, as strace does for memory it cannot read.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CaptureEntry(Tracee t, ulong stackPointer)
    {
        try
        {
            _capture.Entry(t.ThreadId, t.Process.Fds, t.Signature!, LoadArgs(t), stackPointer, t.EntryData);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            t.EntryData.Clear();
            CaptureFailures++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CaptureExit(Tracee t, Syscalls.SyscallSignature sig, long ret)
    {
        int mark = _batch.Data.Length;
        try
        {
            _capture.Exit(t.ThreadId, t.Process.Fds, sig, LoadArgs(t), ret, _batch.Data);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _batch.Data.Length = mark;
            CaptureFailures++;
        }
    }

    private void CaptureDump(Tracee t, long ret)
    {
        int mark = _batch.Data.Length;
        try
        {
            _dumps!.Capture(t.ThreadId, t.Number, t.Arg0, t.Arg1, t.Arg2, ret, _batch.Data);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _batch.Data.Length = mark;
            CaptureFailures++;
        }
    }

    private void FollowDescriptors(Tracee t, Syscalls.SyscallSignature sig, long ret)
    {
        try
        {
            _capture.Follow(t.ThreadId, t.Process.Fds, sig, LoadArgs(t), ret);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            t.Process.Fds.Clear();
            CaptureFailures++;
        }
    }

    public long LinkReads => _capture.LinkReads;

    public long MemoryReads => _capture.VmReads + _capture.ProcMemReads;

    public long ProcMemReads => _capture.ProcMemReads;

    /// <summary>Calls whose memory could not be captured because of an internal error (0 expected).</summary>
    public int CaptureFailures { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<ulong> LoadArgs(Tracee t)
    {
        _args[0] = t.Arg0; _args[1] = t.Arg1; _args[2] = t.Arg2;
        _args[3] = t.Arg3; _args[4] = t.Arg4; _args[5] = t.Arg5;
        return _args;
    }

    private void EmitUnfinished(Tracee t)
    {
        t.InSyscall = false;
        if (_discard || !t.Selected || !_filter.SelectsUnfinished)
            return;
        ref TraceRecord r = ref NewSyscallRecord(t);
        r.Flags |= TraceRecordFlags.Unfinished;
        r.DurationTicks = 0;
        r.ReturnValue = 0;
        AfterEmit();
    }

    private void AfterEmit()
    {
        if (_batch.IsFull)
            Publish();
    }

    /// <summary>Hands the batch to the consumer. The tracer thread calls it, or the idle flusher's
    /// timer while the tracer is blocked in waitpid (never both at once).</summary>
    private void Publish()
    {
        _flusher?.Published();
        BatchesPublished++;
        TraceBatch full = _batch;
        if (_pool.TryTake(out TraceBatch? recycled))
        {
            _batch = recycled;
        }
        else
        {
            _batch = new TraceBatch(full.Records.Length);
            BatchesAllocated++;
        }
        try
        {
            _queue.Add(full);
        }
        catch (OperationCanceledException)
        {
            _discard = true; // nobody reads any more: stop recording, keep tearing down
        }
    }

    /// <summary>Waits until every killed tracee has really ended. A killed tracee may still stop
    /// on its way out (at PTRACE_EVENT_EXIT, or a stop that was pending): it is let go on to die,
    /// for a tracee left stopped would end only when this thread exits, as a zombie nobody reaps.
    /// Bounded, and per thread id, so the cancel waiter (also our child) is never waited for here.</summary>
    private static void ReapKilled(HashSet<int> remaining)
    {
        var clock = Stopwatch.StartNew();
        while (remaining.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            foreach (int tid in remaining.ToArray())
            {
                int pid = Libc.waitpid(tid, out int status, WaitFlags | Libc.WNOHANG);
                if (pid == tid && Libc.WIFSTOPPED(status))
                    Ptrace.Continue(tid, 0);
                else if (pid == tid || (pid < 0 && Libc.LastError == Libc.ECHILD))
                    remaining.Remove(tid);
            }
            if (remaining.Count > 0)
                Thread.Sleep(1);
        }
    }

    private void Cleanup()
    {
        // Whatever is left (an exception, or the loop ended early) is killed if we launched it;
        // attached tracees are detached by the kernel when this thread exits.
        if (IsLaunchMode)
        {
            _cgroup?.Kill(); // what the command left behind, untraced children included
            foreach (int tid in _tracees.Keys)
                Libc.kill(tid, Libc.SIGKILL);
            ReapKilled(_tracees.Keys.ToHashSet());
            _cgroup?.Dispose();
        }
        else
        {
            foreach (Tracee t in _tracees.Values.ToArray())
                Ptrace.Detach(t.ThreadId, 0);
        }
        _tracees.Clear();
        _launched?.Dispose();
        _launched = null;
        _capture.Describer?.Dispose();
        _unwinder?.Dispose();

        int fd = Interlocked.Exchange(ref _waiterWriteFd, -1);
        if (fd >= 0)
            Libc.close(fd);
        if (_waiterPid > 0)
        {
            while (Libc.waitpid(_waiterPid, out _, WaitFlags) < 0 && Libc.LastError == Libc.EINTR) { }
            _waiterPid = 0;
        }
    }
}
