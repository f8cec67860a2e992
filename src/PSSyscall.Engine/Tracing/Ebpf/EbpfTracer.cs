using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Tracing.Ebpf;

/// <summary>
/// The eBPF backend: no stops. The kernel program (src/bpf/pssyscall.bpf.c, shipped inside its
/// loader linux-x64/libpssyscall_bpf.so) records every call of the traced tree with its captures
/// into a ring buffer; this class loads it (<see cref="BpfLoader"/>), reads the ring through
/// libbpf.so.1, launches (or attaches to) the command,
/// and turns the records into the same <see cref="TraceBatch"/>es the ptrace backend fills.
/// One dedicated thread (<see cref="Run"/>): it forks the command (PR_SET_PDEATHSIG belongs to
/// it), polls the ring every 10 ms or when the kernel wakes it (a quarter of the ring pending),
/// and ends when the traced tree is gone. Nothing is pinned: every program, link and map is a
/// descriptor of this process and dies with it (a trace, a stop, Ctrl+C or the host's death).
/// </summary>
internal sealed unsafe class EbpfTracer : ITraceBackend
{
    /// <summary>Ring sizes: the default for a full trace and for a filtered one (bytes).</summary>
    public const int DefaultFullRing = 16 << 20;
    public const int DefaultFilteredRing = 4 << 20;
    public const int MinimumRing = 4096;

    private const int RecordHeader = 104;
    private const int KindSyscall = 1, KindSignal = 2, KindExit = 3, KindFork = 4, KindExec = 5;
    private const int FlagUnfinished = 1, FlagPartial = 4, FlagRoot = 8;
    private const int CounterCount = 8;
    private const int PollMs = 10;
    private const int QueueBatches = 1024;
    private const int CaptureBytesPerRecord = 64;

    private readonly TraceOptions _options;
    private readonly SyscallFilter _filter;
    private readonly BatchQueue _queue;
    private readonly ConcurrentBag<TraceBatch> _pool = new();
    private readonly CancellationTokenSource _consumerGone = new();
    private readonly ManualResetEventSlim _started = new();
    private readonly Dictionary<int, ProcInfo> _procs = new();
    private readonly Sandbox.SandboxCgroup? _cgroup;
    private readonly double _ticksPerNs = Stopwatch.Frequency / 1e9;
    private TraceBatch _batch;
    private SpawnedProcess? _launched;
    private int _cancelRequested;
    private bool _discard;
    private bool _rootReaped;
    private nint _skeleton;
    private nint _ring;
    private int _tracedFd = -1, _countersFd = -1, _configFd = -1, _plansFd = -1;
    private GCHandle _self;
    private Exception? _callbackFailure;
    private ProcInfo? _last;
    private int _lastPid;
    private readonly bool[] _conditionalFdResult = EbpfPlans.ConditionalDescriptorResults();
    private readonly ulong[] _args = new ulong[6];

    private sealed class ProcInfo(int parent, string name)
    {
        public int Parent = parent;
        public string Name = name;
        public bool Root;
    }

    public EbpfTracer(TraceOptions options)
    {
        _options = options;
        _filter = options.Filter ?? SyscallFilter.All;
        // The kernel does not wait for us: while the pipeline is slower than the traced program,
        // records wait in the ring and then here. So the queue holds many batches (up to
        // QueueBatches x BatchSize events, about 45 MB at most with small captures), allocated only
        // when the consumer falls behind, before the ring can fill and lose records.
        _queue = new BatchQueue(Math.Max(QueueBatches, options.QueueCapacity), _consumerGone.Token);
        _batch = NewBatch();
        RingSize = ChooseRingSize(options.BufferSize, _filter);
        if (options.Launch is not null)
        {
            // As the ptrace backend: the launched tree lives in a guarded cgroup, so nothing of it
            // outlives the trace, not even a child that left the traced set.
            _cgroup = Sandbox.SandboxCgroup.TryCreate(null, null);
            _cgroup?.Guard();
        }
    }

    // ---- what the session reads ----
    public BatchQueue Queue => _queue;
    public ManualResetEventSlim Started => _started;
    public Exception? StartError { get; private set; }
    public Exception? Failure { get; private set; }
    public int RootProcessId { get; private set; }
    public int? ExitCode { get; private set; }
    public int? TerminatingSignal { get; private set; }

    /// <summary>Bytes this thread allocated while reading the ring (batches, a name per process;
    /// nothing per call).</summary>
    public long LoopAllocatedBytes { get; private set; }

    /// <summary>Batches allocated after the first.</summary>
    public int BatchesAllocated { get; private set; }

    /// <summary>Milliseconds from the start of the load to the programs loaded (verified), and to
    /// the maps filled and the programs attached.</summary>
    public double LoadMilliseconds { get; private set; }
    public double AttachedMilliseconds { get; private set; }

    /// <summary>The ring buffer's size in bytes (a power of two).</summary>
    public int RingSize { get; }

    /// <summary>Records the kernel could not write because the ring was full.</summary>
    public long DroppedRecords { get; private set; }

    /// <summary>Captures of memory that could not be read (shown as addresses, as strace does).</summary>
    public long UnreadableCaptures { get; private set; }

    /// <summary>Records whose captures did not all fit (those arguments show as addresses).</summary>
    public long PartialRecords { get; private set; }

    /// <summary>Calls not recorded because the kernel had no per-thread storage for them.</summary>
    public long NoStorageCalls { get; private set; }

    public static int ChooseRingSize(long requested, SyscallFilter filter)
    {
        long size = requested > 0 ? requested : filter.SelectsAll ? DefaultFullRing : DefaultFilteredRing;
        size = Math.Clamp(size, MinimumRing, 1L << 30);
        return (int)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)size);
    }

    public void Recycle(TraceBatch batch)
    {
        batch.Count = 0;
        batch.Data.Clear();
        _pool.Add(batch);
    }

    /// <summary>From any thread: the loop sees it within one poll (10 ms), kills what it launched
    /// (attached processes run on untouched) and ends.</summary>
    public void Cancel()
    {
        if (Interlocked.Exchange(ref _cancelRequested, 1) != 0)
            return;
        _consumerGone.Cancel();
    }

    private bool CancelRequested => Volatile.Read(ref _cancelRequested) != 0;

    private bool IsLaunchMode => _options.Launch is not null;

    // ---- the backend thread ----
    public void Run()
    {
        try
        {
            if (_options.Launch is { } launch)
            {
                // The kernel verifies the programs while the child forks and stops before its
                // execve: the two costs overlap instead of adding up.
                Task loading = Task.Run(Load);
                try
                {
                    SpawnHeld(launch);
                }
                catch
                {
                    try { loading.Wait(); } catch (AggregateException) { }
                    throw;
                }
                try
                {
                    loading.Wait();
                }
                catch (AggregateException e) when (e.InnerException is { } inner)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(inner).Throw();
                }
                Release();
            }
            else
            {
                Load();
                AttachAll(_options.AttachProcessIds);
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
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
            Cleanup();
            if (!_discard && _batch.Count > 0)
                Publish();
            _queue.CompleteAdding();
            _started.Set();
        }
    }

    /// <summary>Tests only: load the kernel program through this file instead of the module's
    /// loader (a missing one makes the backend unavailable, as on a machine that cannot run it).</summary>
    internal static string? LoaderPathForTests { get; set; }

    /// <summary>The loader's path (<see cref="BpfLoader"/>): linux-x64/ beside the engine (the
    /// module layout) or beside it; null when it is missing.</summary>
    public static string? FindLoader()
    {
        if (LoaderPathForTests is { } forTests)
            return File.Exists(forTests) ? forTests : null;
        string dir = Path.GetDirectoryName(typeof(EbpfTracer).Assembly.Location) ?? AppContext.BaseDirectory;
        foreach (string candidate in new[] { Path.Combine(dir, "linux-x64", BpfLoader.FileName), Path.Combine(dir, BpfLoader.FileName) })
        {
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    private void Load()
    {
        string target = _options.Launch?.FilePath ?? string.Join(",", _options.AttachProcessIds);
        if (!LibBpf.IsPresent())
            throw Unavailable(target, "libbpf.so.1 is not installed (Debian: apt-get install libbpf1).");
        if (FindLoader() is null)
            throw Unavailable(target, $"The module's {BpfLoader.FileName} is missing; rebuild the module.");

        // What to record: the per-syscall capture table and the filters. Built before the load: the
        // capture kinds it uses are constants of the program (pss_kinds), so the verifier walks
        // only their code (a trace of openat verifies no iovec, msghdr or argv walk).
        var clock = Stopwatch.StartNew();
        byte[][] plans = EbpfPlans.Build(_filter, out _, out var conditional);
        EbpfPlans.KindsUsed(plans, conditional, out uint entryKinds, out uint exitKinds);
        _skeleton = BpfLoader.Load(entryKinds, exitKinds, (uint)RingSize, null, 0, out int errno);
        LoadMilliseconds = clock.Elapsed.TotalMilliseconds;
        if (_skeleton == 0)
        {
            string why = errno switch
            {
                Libc.EPERM => "the kernel refused to load BPF programs (run as root, or with CAP_BPF and CAP_PERFMON).",
                Libc.EACCES when !Environment.IsPrivilegedProcess => "the kernel refused to load BPF programs (run as root, or with CAP_BPF and CAP_PERFMON).",
                Libc.EACCES or 7 /* E2BIG */ or 22 /* EINVAL */ => "the kernel's verifier refused the program (" + Libc.ErrorText(errno) + "): " + VerifierLog(entryKinds, exitKinds),
                2 /* ENOENT */ or 95 /* EOPNOTSUPP */ => "this kernel lacks what the program needs (BTF at /sys/kernel/btf/vmlinux, tp_btf tracepoints, task storage, syscall programs: Linux 5.17 or later).",
                _ => "the kernel refused the BPF program: " + Libc.ErrorText(errno) + ".",
            };
            throw Unavailable(target, "The eBPF backend cannot run here: " + why, errno);
        }
        _tracedFd = MapFd("traced");
        _countersFd = MapFd("counters");
        _configFd = MapFd("config");
        _plansFd = MapFd("plans");

        for (uint nr = 0; nr < plans.Length; nr++)
        {
            if (plans[nr][0] == 0)
                continue; // not selected: the array map's zeroed entry says so already
            fixed (byte* v = plans[nr])
                Check(LibBpf.MapUpdate(_plansFd, &nr, v, 0), "plans");
        }
        int layoutsFd = MapFd("layouts");
        List<byte[]> layouts = EbpfPlans.LayoutTable();
        for (uint id = 0; id < layouts.Count; id++)
        {
            fixed (byte* v = layouts[(int)id])
                Check(LibBpf.MapUpdate(layoutsFd, &id, v, 0), "layouts");
        }
        int condFd = MapFd("condops");
        foreach (var (key, value) in conditional)
        {
            fixed (byte* k = key)
            fixed (byte* v = value)
                Check(LibBpf.MapUpdate(condFd, k, v, 0), "condops");
        }
        uint* config = stackalloc uint[6];
        config[0] = _filter.Result switch { ResultFilter.Failed => 1u, ResultFilter.Successful => 2u, _ => 0u };
        config[1] = (uint)Math.Max(0, _options.StringLimit);
        config[2] = (uint)(RingSize / 4); // wake the reader when a quarter of the ring is pending
        config[3] = _options.FollowForks ? 1u : 0u;
        config[4] = _filter.SelectsAll ? 1u : 0u;
        config[5] = 0;
        uint zero = 0;
        Check(LibBpf.MapUpdate(_configFd, &zero, config, 0), "config");

        _self = GCHandle.Alloc(this);
        _ring = LibBpf.RingBufferNew(MapFd("events"), &OnSample, GCHandle.ToIntPtr(_self), 0);
        if (_ring == 0)
            throw Unavailable(target, "libbpf could not map the ring buffer: " + Libc.ErrorText(Marshal.GetLastSystemError()));

        int attach = BpfLoader.Attach(_skeleton);
        if (attach != 0)
            throw Unavailable(target, "The kernel refused to attach the BPF programs: " + Libc.ErrorText(attach));
        AttachedMilliseconds = clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>The last lines of the verifier's log: the programs are loaded once more, with the
    /// log on (it slows the verifier, so the first load runs without it).</summary>
    private static string VerifierLog(uint entryKinds, uint exitKinds)
    {
        const int size = 1 << 20;
        byte[] log = new byte[size];
        fixed (byte* p = log)
        {
            nint again = BpfLoader.Load(entryKinds, exitKinds, (uint)MinimumRing, p, size, out _);
            if (again != 0)
                BpfLoader.Destroy(again);
        }
        int end = Array.IndexOf(log, (byte)0);
        string text = System.Text.Encoding.UTF8.GetString(log, 0, end < 0 ? size : end);
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no log)" : string.Join(" | ", lines[Math.Max(0, lines.Length - 6)..]);
    }

    private int MapFd(string name)
    {
        int fd = BpfLoader.MapFd(_skeleton, name);
        if (fd < 0)
            throw new InvalidOperationException($"The BPF program has no map '{name}'.");
        return fd;
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0)
            throw new InvalidOperationException($"Updating the BPF map '{what}' failed: " + Libc.ErrorText(-rc));
    }

    private static TraceException Unavailable(string target, string message, int errno = 0)
        => new(TraceFailure.BackendUnavailable, target, message, errno);

    /// <summary>Forks the command, which stops itself before its execve (the shim's stop).</summary>
    private void SpawnHeld(LaunchOptions launch)
    {
        _launched = ProcessLauncher.Spawn(launch with
        {
            StopForTracer = true, // held before its execve until the programs watch it
            KillWithParent = true,
            ShareMemory = false,
            CgroupProcsFds = _cgroup is null ? launch.CgroupProcsFds : [.. launch.CgroupProcsFds, .. _cgroup.ProcsFds],
            CgroupBestEffort = _cgroup is not null && launch.CgroupProcsFds.Count == 0,
        });
        int pid = _launched.ProcessId;
        RootProcessId = pid;
        int status;
        while (Libc.waitpid(pid, out status, Libc.WSTOPPED | Libc.__WALL) < 0)
        {
            if (Libc.LastError != Libc.EINTR)
                throw new InvalidOperationException("waitpid failed: " + Libc.ErrorText(Libc.LastError));
        }
        if (!Libc.WIFSTOPPED(status))
        {
            _rootReaped = true;
            throw LaunchFailure(status);
        }
    }

    /// <summary>Once the programs are attached: the held child joins the traced set and goes on to
    /// its execve, from which on every call is recorded.</summary>
    private void Release()
    {
        int pid = RootProcessId;
        int status;
        _procs[pid] = new ProcInfo(ProcFs.ReadParentId(pid), ProcFs.ReadCommand(pid)) { Root = true };
        AddTraced(pid, visible: false, root: true);
        Libc.kill(pid, Libc.SIGCONT);
        // The shim reports a failed set-up or exec on its socket; EOF means the execve succeeded,
        // and from then on (sched_process_exec made it visible) every call is recorded.
        LaunchReport report = ProcessLauncher.ReadReport(_launched!);
        if (!report.Succeeded)
        {
            while (Libc.waitpid(pid, out status, Libc.__WALL) < 0 && Libc.LastError == Libc.EINTR) { }
            _rootReaped = true;
            throw LaunchFailure(status, report);
        }
        _started.Set();
    }

    private TraceException LaunchFailure(int status, LaunchReport? given = null)
        => ProcessLauncher.FailureOf(given ?? ProcessLauncher.ReadReport(_launched!), _options.Launch!.FilePath, status);

    private void AttachAll(IReadOnlyList<int> pids)
    {
        ProcFs.CheckAttachTargets(pids);
        RootProcessId = pids[0];
        foreach (int pid in pids)
        {
            _procs[pid] = new ProcInfo(ProcFs.ReadParentId(pid), ProcFs.ReadCommand(pid)) { Root = pid == pids[0] };
            AddTraced(pid, visible: true, root: pid == pids[0]);
        }
        _started.Set();
    }

    private void AddTraced(int tgid, bool visible, bool root)
    {
        uint key = (uint)tgid;
        uint* value = stackalloc uint[2];
        value[0] = visible ? 1u : 0u;
        value[1] = root ? 1u : 0u;
        Check(LibBpf.MapUpdate(_tracedFd, &key, value, 0), "traced");
    }

    private bool TreeGone()
    {
        uint next;
        return LibBpf.MapNextKey(_tracedFd, null, &next) != 0;
    }

    private void Loop()
    {
        while (true)
        {
            // The kernel wakes this poll only when a quarter of the ring is pending (or a process
            // ended); otherwise the poll times out and the consume below takes what is there.
            int n = LibBpf.RingBufferPoll(_ring, PollMs);
            if (n >= 0)
                n = LibBpf.RingBufferConsume(_ring);
            if (_callbackFailure is { } failure)
                throw failure;
            if (n < 0 && n != -Libc.EINTR)
                throw new InvalidOperationException("Reading the ring buffer failed: " + Libc.ErrorText(-n));
            if (_batch.Count > 0 && !_discard)
                Publish();
            if (CancelRequested)
            {
                if (IsLaunchMode)
                    KillTree();
                break;
            }
            ReapRoot();
            // The traced tree is gone when no thread group is left in the kernel's set: its last
            // records (written before the set lost it) are in the ring by then.
            if (TreeGone())
            {
                LibBpf.RingBufferConsume(_ring);
                if (_callbackFailure is { } late)
                    throw late;
                break;
            }
        }
        ReadCounters();
    }

    private void ReapRoot()
    {
        if (!IsLaunchMode || _rootReaped)
            return;
        int pid = Libc.waitpid(RootProcessId, out int status, Libc.WNOHANG | Libc.__WALL);
        if (pid != RootProcessId)
            return;
        _rootReaped = true;
        bool signaled = !Libc.WIFEXITED(status);
        ExitCode = signaled ? 128 + Libc.WTERMSIG(status) : Libc.WEXITSTATUS(status);
        TerminatingSignal = signaled ? Libc.WTERMSIG(status) : null;
    }

    private void KillTree()
    {
        _cgroup?.Kill();
        uint key = 0, next;
        uint* at = null;
        var pids = new List<int>();
        while (LibBpf.MapNextKey(_tracedFd, at, &next) == 0)
        {
            pids.Add((int)next);
            key = next;
            at = &key;
        }
        foreach (int pid in pids)
            Libc.kill(pid, Libc.SIGKILL);
    }

    private void ReadCounters()
    {
        int cpus = Math.Max(1, LibBpf.PossibleCpus());
        ulong* values = stackalloc ulong[cpus];
        long Sum(uint which)
        {
            if (LibBpf.MapLookup(_countersFd, &which, values) != 0)
                return 0;
            long total = 0;
            for (int i = 0; i < cpus; i++)
                total += (long)values[i];
            return total;
        }
        NoStorageCalls = Sum(4);
        // A call with no per-thread storage is lost as well, and so is a process the traced set
        // had no room for (counted as one lost event: its calls are not known).
        DroppedRecords = Sum(0) + NoStorageCalls + Sum(5);
        UnreadableCaptures = Sum(1);
        PartialRecords = Sum(2);
    }

    private void Cleanup()
    {
        if (IsLaunchMode)
        {
            if (_tracedFd >= 0 && !TreeGone())
                KillTree();
            _cgroup?.Kill();
            if (_launched is not null && !_rootReaped)
            {
                Libc.kill(RootProcessId, Libc.SIGKILL);
                var clock = Stopwatch.StartNew();
                while (clock.Elapsed < TimeSpan.FromSeconds(5))
                {
                    int pid = Libc.waitpid(RootProcessId, out int status, Libc.WNOHANG | Libc.__WALL);
                    if (pid == RootProcessId)
                    {
                        bool signaled = !Libc.WIFEXITED(status);
                        ExitCode ??= signaled ? 128 + Libc.WTERMSIG(status) : Libc.WEXITSTATUS(status);
                        TerminatingSignal ??= signaled ? Libc.WTERMSIG(status) : null;
                        break;
                    }
                    if (pid < 0 && Libc.LastError == Libc.ECHILD)
                        break;
                    Thread.Sleep(1);
                }
                _rootReaped = true;
            }
            _cgroup?.Dispose();
        }
        if (_tracedFd >= 0 && _countersFd >= 0 && DroppedRecords == 0 && UnreadableCaptures == 0)
            ReadCounters();
        // The ring first (its mapping of the map), then the skeleton: links (the programs stop
        // running), programs and maps.
        if (_ring != 0)
        {
            LibBpf.RingBufferFree(_ring);
            _ring = 0;
        }
        if (_skeleton != 0)
        {
            BpfLoader.Destroy(_skeleton);
            _skeleton = 0;
        }
        _tracedFd = _countersFd = _configFd = _plansFd = -1;
        if (_self.IsAllocated)
            _self.Free();
        _launched?.Dispose();
        _launched = null;
    }

    // ---- records ----
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnSample(nint context, nint data, nuint size)
    {
        var self = (EbpfTracer)GCHandle.FromIntPtr(context).Target!;
        try
        {
            self.Handle(new ReadOnlySpan<byte>((void*)data, (int)size));
            return 0;
        }
        catch (Exception e)
        {
            self._callbackFailure = e;
            return -1;
        }
    }

    private void Handle(ReadOnlySpan<byte> rec)
    {
        if (rec.Length < RecordHeader || _discard)
            return;
        int kind = BinaryPrimitives.ReadUInt16LittleEndian(rec);
        int flags = BinaryPrimitives.ReadUInt16LittleEndian(rec[2..]);
        int tgid = BinaryPrimitives.ReadInt32LittleEndian(rec[8..]);
        int tid = BinaryPrimitives.ReadInt32LittleEndian(rec[12..]);
        int nr = BinaryPrimitives.ReadInt32LittleEndian(rec[16..]);
        int ppid = BinaryPrimitives.ReadInt32LittleEndian(rec[20..]);
        long ts = BinaryPrimitives.ReadInt64LittleEndian(rec[24..]);
        long dur = BinaryPrimitives.ReadInt64LittleEndian(rec[32..]);
        long ret = BinaryPrimitives.ReadInt64LittleEndian(rec[40..]);
        int entryLen = BinaryPrimitives.ReadInt32LittleEndian(rec[96..]);
        int exitLen = BinaryPrimitives.ReadInt32LittleEndian(rec[100..]);
        ReadOnlySpan<byte> data = rec[RecordHeader..];
        int dataLen = Math.Min(data.Length, Math.Max(0, entryLen) + Math.Max(0, exitLen));

        switch (kind)
        {
            case KindFork:
                _procs[tgid] = new ProcInfo(ppid, Comm(data));
                _last = null;
                return;
            case KindExec:
                if (Proc(tgid) is { } p)
                    p.Name = Comm(data);
                else
                    _procs[tgid] = new ProcInfo(ProcFs.ReadParentId(tgid), Comm(data));
                _last = null;
                return;
        }

        ProcInfo info = Proc(tgid) ?? Remember(tgid);
        ref TraceRecord r = ref _batch.Next();
        r.Kind = kind switch { KindSyscall => TraceEventType.Syscall, KindSignal => TraceEventType.Signal, _ => TraceEventType.Exit };
        r.Flags = 0;
        r.ProcessId = tgid;
        r.ThreadId = tid;
        r.ProcessName = info.Name;
        r.ParentProcessId = info.Parent;
        r.Timestamp = ToTicks(ts);
        r.FaultIndex = -1;
        r.DataStart = _batch.Data.Length;
        r.DataLength = 0;
        r.Arg0 = BinaryPrimitives.ReadUInt64LittleEndian(rec[48..]);
        r.Arg1 = BinaryPrimitives.ReadUInt64LittleEndian(rec[56..]);
        r.Arg2 = BinaryPrimitives.ReadUInt64LittleEndian(rec[64..]);
        r.Arg3 = BinaryPrimitives.ReadUInt64LittleEndian(rec[72..]);
        r.Arg4 = BinaryPrimitives.ReadUInt64LittleEndian(rec[80..]);
        r.Arg5 = BinaryPrimitives.ReadUInt64LittleEndian(rec[88..]);
        switch (kind)
        {
            case KindSyscall:
                // The kernel side marks an i386 call (int 0x80) of a 64-bit process with the top bit.
                r.Architecture = nr < 0 && nr != -1 ? SyscallArchitecture.I386
                    : (nr & 0x40000000) != 0 ? SyscallArchitecture.X32 : SyscallArchitecture.X86_64;
                r.Number = r.Architecture == SyscallArchitecture.I386 ? nr & 0x7fffffff : nr & ~0x40000000;
                r.ReturnValue = ret;
                r.DurationTicks = ToTicks(dur);
                if ((flags & FlagUnfinished) != 0)
                {
                    r.Flags |= TraceRecordFlags.Unfinished;
                    r.ReturnValue = 0;
                    r.DurationTicks = 0;
                }
                if (dataLen > 0)
                {
                    int index = r.Architecture == SyscallArchitecture.I386 ? EbpfPlans.MaxSyscalls + r.Number : r.Number;
                    if (r.Architecture != SyscallArchitecture.X32 && index < _conditionalFdResult.Length && _conditionalFdResult[index] && !ResultIsDescriptor(ref r))
                        AppendWithoutSlot(data[..dataLen], CaptureSlot.ReturnFdLink);
                    else
                        _batch.Data.AppendRaw(data[..dataLen]);
                    r.DataLength = _batch.Data.Length - r.DataStart;
                }
                break;
            case KindSignal:
                r.Number = nr;
                break;
            default: // exit
                int status = (int)ret;
                bool signaled = (status & 0x7f) != 0;
                r.ReturnValue = signaled ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
                r.Number = signaled ? status & 0x7f : 0;
                r.Arg0 = r.Arg1 = r.Arg2 = r.Arg3 = 0;
                if (signaled && (status & 0x80) != 0)
                    r.Flags |= TraceRecordFlags.CoreDumped;
                if ((flags & FlagRoot) != 0)
                    r.Flags |= TraceRecordFlags.Root;
                _procs.Remove(tgid);
                _last = null;
                break;
        }
        if (_batch.IsFull)
            Publish();
    }

    private bool ResultIsDescriptor(ref TraceRecord r)
    {
        _args[0] = r.Arg0; _args[1] = r.Arg1; _args[2] = r.Arg2;
        _args[3] = r.Arg3; _args[4] = r.Arg4; _args[5] = r.Arg5;
        return Syscalls.SyscallTable.For(r.Architecture).GetSignature(r.Number).ReturnsDescriptor(_args);
    }

    private void AppendWithoutSlot(ReadOnlySpan<byte> captures, int slot)
    {
        int pos = 0;
        while (pos + CaptureBuffer.HeaderSize <= captures.Length)
        {
            int total = CaptureBuffer.HeaderSize + BinaryPrimitives.ReadInt32LittleEndian(captures[(pos + 4)..]);
            if (total < CaptureBuffer.HeaderSize || pos + total > captures.Length)
                break;
            if (captures[pos] != slot)
                _batch.Data.AppendRaw(captures.Slice(pos, total));
            pos += total;
        }
    }

    private ProcInfo? Proc(int tgid)
    {
        if (_last is { } last && _lastPid == tgid)
            return last;
        _lastPid = tgid;
        return _last = _procs.TryGetValue(tgid, out ProcInfo? p) ? p : null;
    }

    private ProcInfo Remember(int tgid)
    {
        var p = new ProcInfo(ProcFs.ReadParentId(tgid), ProcFs.ReadCommand(tgid));
        _procs[tgid] = p;
        _last = null;
        return p;
    }

    private static string Comm(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> c = data[..Math.Min(16, data.Length)];
        int nul = c.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(nul >= 0 ? c[..nul] : c);
    }

    private long ToTicks(long ns) => _ticksPerNs == 1.0 ? ns : (long)(ns * _ticksPerNs);

    private TraceBatch NewBatch()
    {
        BatchesAllocated++;
        return new(Math.Max(16, _options.BatchSize), CaptureBytesPerRecord);
    }

    private void Publish()
    {
        TraceBatch full = _batch;
        _batch = _pool.TryTake(out TraceBatch? recycled) ? recycled : NewBatch();
        try
        {
            _queue.Add(full);
        }
        catch (OperationCanceledException)
        {
            _discard = true; // nobody reads any more: stop recording, keep tearing down
        }
    }
}
