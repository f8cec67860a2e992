using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Native;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Sandbox;

/// <summary>
/// One sandboxed command. <see cref="Start"/> prepares everything the child needs (Landlock
/// ruleset, cgroups, the supervised seccomp program, pipes), starts the sandbox thread, which
/// spawns the child through the one spawn path and takes its seccomp listener, and returns once the
/// command runs, or throws <see cref="SandboxException"/> naming the stage that failed (nothing ran
/// then). Read <see cref="ReadMessages"/> on one thread to the end: output lines and violations in
/// arrival order; then <see cref="Result"/> says how it ended.
///
/// The sandbox thread is the only thread that waits for the child (it forked it: waitpid with
/// __WNOTHREAD and PR_SET_PDEATHSIG both follow the forking thread). It polls the child's pidfd,
/// the seccomp listener, a cancel eventfd and the timeout, so violations are answered while the
/// command runs and a timeout or a cancel kills the whole tree. When the command's main process
/// ends, whatever it left behind in the sandbox is killed too.
/// </summary>
public sealed unsafe class SandboxSession : IDisposable
{
    private const int CLONE_NEWNS = 0x00020000, CLONE_NEWCGROUP = 0x02000000, CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000,
        CLONE_NEWUSER = 0x10000000, CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;
    private const int IoUringSetup = 425;
    private const int OutputSlots = 4096;

    private readonly SandboxOptions _options;
    private readonly BlockingCollection<SandboxMessage> _messages = new();
    private readonly SemaphoreSlim _outputSlots = new(OutputSlots, OutputSlots);
    private readonly CancellationTokenSource _stop = new();
    private readonly ManualResetEventSlim _started = new();
    private readonly List<string> _notices = new();
    private readonly List<string> _notes = new();
    private IReadOnlyList<MountStep> _mounts = Array.Empty<MountStep>();
    private bool _landlockPaths;
    private bool _droppedRoot;
    private readonly List<SeccompViolation> _violations = new();
    private readonly Stopwatch _clock = new();
    private int _violationCount;
    private int _producers = 1;
    private Exception? _startError;
    private Exception? _failure;
    private bool _disposed;

    private SeccompProgram? _policy;
    private LandlockRuleset? _landlock;
    private SandboxCgroup? _cgroup;
    private readonly int _cancelFd;
    private readonly int _drainFd;
    private int _stdoutRead = -1, _stdoutWrite = -1, _stderrRead = -1, _stderrWrite = -1;
    private OutputReader? _stdoutReader, _stderrReader;
    private Thread? _thread;
    private LaunchOptions? _launch;
    private SeccompSupervisor? _supervisor;
    private IReadOnlyCollection<int> _killedByPolicy = Array.Empty<int>();
    private int _innerPid;

    /// <summary>A pidfd of PID 1 of the sandbox's PID namespace (-1 without one). When PID 1 has
    /// exited, the kernel has ended every other process of the namespace: waiting for it makes
    /// "nothing outlives the cmdlet" hold when the cmdlet returns, not a moment later.</summary>
    private int _namespaceInitPidfd = -1;
    private bool _timedOut;
    private bool _reaped;

    private SandboxSession(SandboxOptions options)
    {
        _options = options;
        _cancelFd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        _drainFd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (_cancelFd < 0 || _drainFd < 0)
            throw new SandboxException(SandboxFailure.SetupFailed, options.FilePath, "eventfd failed: " + Libc.ErrorText(Libc.LastError));
    }

    /// <summary>The sandboxed process's id (outside any PID namespace).</summary>
    public int ProcessId { get; private set; }

    /// <summary>Things the caller should tell the user about the set-up (rights an older kernel
    /// cannot enforce, limits that fell back to weaker mechanisms).</summary>
    public IReadOnlyList<string> Notices => _notices;

    /// <summary>What the sandbox added to the user's policy and why (io_uring denied...); also in
    /// <see cref="SandboxResult.Notes"/>.</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>How the command ended; set once <see cref="ReadMessages"/> has finished.</summary>
    public SandboxResult? Result { get; private set; }

    public static SandboxSession Start(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var session = new SandboxSession(options);
        try
        {
            session.Prepare();
            session._thread = new Thread(session.Run) { IsBackground = true, Name = "PSSyscall sandbox" };
            session._thread.Start();
            session._started.Wait();
            if (session._startError is { } error)
            {
                session._thread.Join();
                throw error;
            }
            session.StartReaders();
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    // ---------------------------------------------------------------- preparation (caller's thread)

    private void Prepare()
    {
        SandboxOptions o = _options;
        if (o.SeccompProgram is { } program)
        {
            try
            {
                _policy = new SeccompProgram(program);
            }
            catch (ArgumentException e)
            {
                throw new SandboxException(SandboxFailure.InvalidPolicy, o.FilePath, "The seccomp program is not valid: " + e.Message, 0, LaunchStage.Seccomp);
            }
        }

        bool landlockPaths = _landlockPaths = o.ReadOnlyPaths.Count + o.ReadWritePaths.Count + o.ExecutablePaths.Count > 0;
        if (landlockPaths)
        {
            _landlock = LandlockRuleset.Create(o.ReadOnlyPaths, o.ReadWritePaths, o.ExecutablePaths);
            _notices.AddRange(_landlock.Unenforced);
        }
        else
        {
            _landlock = LandlockRuleset.TryCreateSignalScope();
        }

        bool root = Libc.geteuid() == 0;
        var limits = new List<ResourceLimit>();
        // A cgroup only where a limit or the result needs one (see MeasurePeakMemory).
        if (o.MaxProcesses is not null || o.MaxMemory is not null || o.MeasurePeakMemory)
        {
            _cgroup = SandboxCgroup.TryCreate(o.MaxProcesses, o.MaxMemory);
            _cgroup?.Guard(); // a killed host leaves no cgroup behind
        }
        if (o.MaxProcesses is int processes && _cgroup?.LimitsProcesses != true)
        {
            if (root)
                throw new SandboxException(SandboxFailure.CgroupUnavailable, "MaxProcesses",
                    "-MaxProcesses needs the pids cgroup controller when running as root (root is exempt from RLIMIT_NPROC), and no pids cgroup could be created.",
                    0, LaunchStage.Cgroup);
            limits.Add(new ResourceLimit(ResourceLimit.Processes, (ulong)processes, (ulong)processes));
            _notices.Add("-MaxProcesses is enforced with RLIMIT_NPROC, which counts every process of your user, not only the sandbox's: no pids cgroup is available.");
        }
        if (o.MaxMemory is long memory && _cgroup?.LimitsMemory != true)
        {
            limits.Add(new ResourceLimit(ResourceLimit.AddressSpace, (ulong)memory, (ulong)memory));
            _notices.Add("-MaxMemory is enforced per process on address space (RLIMIT_AS): no memory cgroup is available.");
        }
        if (o.MaxCpuTime is TimeSpan cpu)
        {
            ulong seconds = (ulong)Math.Max(1, Math.Ceiling(cpu.TotalSeconds));
            // The soft limit sends SIGXCPU; the hard limit one second later, SIGKILL.
            limits.Add(new ResourceLimit(ResourceLimit.Cpu, seconds, seconds + 1));
        }
        if (o.MaxOpenFiles is int files)
            limits.Add(new ResourceLimit(ResourceLimit.OpenFiles, (ulong)files, (ulong)files));
        if (o.MaxFileSize is long size)
            limits.Add(new ResourceLimit(ResourceLimit.FileSize, (ulong)size, (ulong)size));

        // Always a PID namespace (when its first process ends, the kernel kills every other one:
        // nothing the command starts outlives it or the host, however it detaches), a mount
        // namespace (a fresh /proc, kernel interfaces read-only) and a cgroup namespace. A caller
        // that is not root needs a user namespace for them.
        SandboxIsolation isolation = o.Isolation | SandboxIsolation.Pid | SandboxIsolation.Mount;
        if (o.Hostname is not null)
            isolation |= SandboxIsolation.Uts;
        if (!root)
            isolation |= SandboxIsolation.User;
        int unshare = CLONE_NEWCGROUP;
        if ((isolation & SandboxIsolation.Network) != 0) unshare |= CLONE_NEWNET;
        if ((isolation & SandboxIsolation.Pid) != 0) unshare |= CLONE_NEWPID;
        if ((isolation & SandboxIsolation.Ipc) != 0) unshare |= CLONE_NEWIPC;
        if ((isolation & SandboxIsolation.Uts) != 0) unshare |= CLONE_NEWUTS;
        if ((isolation & SandboxIsolation.Mount) != 0) unshare |= CLONE_NEWNS;
        if ((isolation & SandboxIsolation.User) != 0) unshare |= CLONE_NEWUSER;

        (int uid, int gid, bool changeIdentity) = Identity(o, root);
        _droppedRoot = root && o.UserId is null;
        string uidText = uid.ToString(CultureInfo.InvariantCulture), gidText = gid.ToString(CultureInfo.InvariantCulture);
        _mounts = SandboxMountPlan.Build(o, uid, gid, readOnlyRoot: o.ReadOnlyRoot || landlockPaths);
        ulong keep = Seccomp.LinuxCapabilities.Mask(o.Capabilities);

        bool network = (isolation & SandboxIsolation.Network) != 0;
        // A policy that denies io_uring_setup itself reports its own violations: no rule needed.
        bool policyAllowsIoUring = _policy is not null && SeccompProgram.Allows(_policy.Evaluate(IoUringSetup));
        bool denyIoUring = !o.AllowIoUring && ((network && (_policy is null || policyAllowsIoUring))
            || (policyAllowsIoUring && _policy!.StopsAnything()));
        if (denyIoUring)
            _notes.Add(network && _policy is null
                ? "io_uring is denied (EPERM): its socket operations would get around -NoNetwork. -AllowIoUring allows it."
                : "io_uring is denied (EPERM): its operations would get around the policy's rules. -AllowIoUring allows it.");
        byte[]? rules = SandboxRules.Program(denyNestedFilters: _policy is not null, denyIoUring, denyForeignSockets: network);
        byte[]? seccomp;
        if (_policy is not null && o.ListenerPath is not null)
        {
            seccomp = _policy.ToListenerProgram(rules, LearnShimExecveAddress());
            _notes.Add($"The policy's seccomp listener went to the agent at '{o.ListenerPath}' (the profile's listenerPath), which answers the calls the policy notifies; the calls it stops are enforced by the kernel and not reported as violations.");
        }
        else
            seccomp = _policy is not null ? _policy.ToSupervisedProgram(rules) : rules;

        // The readers are counted as producers before the sandbox thread can finish.
        if (o.CaptureOutput && o.StandardOutput < 0)
        {
            (_stdoutRead, _stdoutWrite) = Pipe();
            _producers++;
        }
        if (o.CaptureOutput && o.StandardError < 0)
        {
            (_stderrRead, _stderrWrite) = Pipe();
            _producers++;
        }

        _launch = new LaunchOptions
        {
            FilePath = o.FilePath,
            ArgumentZero = o.ArgumentZero,
            Arguments = o.Arguments,
            Environment = o.Environment,
            WorkingDirectory = o.WorkingDirectory,
            StandardInput = o.StandardInput,
            StandardOutput = o.StandardOutput >= 0 ? o.StandardOutput : _stdoutWrite,
            StandardError = o.StandardError >= 0 ? o.StandardError : _stderrWrite,
            // A session of its own: no controlling terminal (so no TIOCSTI into the caller's
            // terminal) and a process group to kill when there is no cgroup.
            NewSession = true,
            KillWithParent = true,
            NoNewPrivileges = true,
            DropCapabilities = true,
            KeepCapabilities = keep,
            ShareMemory = true,
            UnshareFlags = unshare,
            UidMap = (unshare & CLONE_NEWUSER) != 0 ? $"{uidText} {uidText} 1" : null,
            GidMap = (unshare & CLONE_NEWUSER) != 0 ? $"{gidText} {gidText} 1" : null,
            Hostname = o.Hostname,
            LoopbackUp = (unshare & CLONE_NEWNET) != 0,
            Mounts = _mounts,
            UserId = changeIdentity ? uid : null,
            GroupId = changeIdentity ? gid : null,
            ResourceLimits = limits,
            LandlockRulesetFd = _landlock?.Fd ?? -1,
            CgroupProcsFds = _cgroup?.ProcsFds ?? (IReadOnlyList<int>)Array.Empty<int>(),
            SeccompProgram = seccomp,
            SeccompFlags = _policy is null ? 0 : SeccompFlags(),
        };
    }

    /// <summary>Who the command runs as. Root's command runs as nobody unless a user is named
    /// (0 keeps root, without capabilities); another caller's runs as that caller, and may not
    /// name anyone else (changing user needs privileges it does not have).</summary>
    private static (int Uid, int Gid, bool Change) Identity(SandboxOptions o, bool root)
    {
        if (root)
        {
            int uid = o.UserId ?? SandboxOptions.UnprivilegedId;
            return (uid, o.GroupId ?? (o.UserId ?? SandboxOptions.UnprivilegedId), true);
        }
        int own = (int)Libc.geteuid(), ownGroup = (int)Libc.getegid();
        if ((o.UserId is int u && u != own) || (o.GroupId is int g && g != ownGroup))
            throw new SandboxException(SandboxFailure.InvalidIdentity, (o.UserId ?? o.GroupId)!.Value.ToString(CultureInfo.InvariantCulture),
                $"Only root can run the command as another user or group; this session runs as uid {own}, gid {ownGroup}.", Libc.EPERM, LaunchStage.Identity);
        return (own, ownGroup, false);
    }

    /// <summary>NEW_LISTENER, and WAIT_KILLABLE_RECV where the kernel has it (5.19): a notified call
    /// that a signal interrupts would otherwise be restarted and reported twice.</summary>
    private static uint SeccompFlags()
    {
        uint flags = SeccompNotify.FilterFlagNewListener;
        if (Seccomp.SeccompProfile.RunningKernel() >= new Version(5, 19))
            flags |= SeccompNotify.FilterFlagWaitKillableRecv;
        return flags;
    }

    private static (int Read, int Write) Pipe()
    {
        int* fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) != 0)
            throw new SandboxException(SandboxFailure.SetupFailed, "pipe", "pipe2 failed: " + Libc.ErrorText(Libc.LastError), Libc.LastError, LaunchStage.StandardStreams);
        Libc.fcntl(fds[0], Libc.F_SETFL, Libc.fcntl(fds[0], Libc.F_GETFL, 0) | Libc.O_NONBLOCK);
        return (fds[0], fds[1]);
    }

    private void StartReaders()
    {
        if (_stdoutRead >= 0)
            _stdoutReader = new OutputReader(_stdoutRead, _drainFd, SandboxMessageKind.Output, Post, _outputSlots, _stop.Token, ProducerDone);
        if (_stderrRead >= 0)
            _stderrReader = new OutputReader(_stderrRead, _drainFd, SandboxMessageKind.Error, Post, _outputSlots, _stop.Token, ProducerDone);
        _stdoutRead = _stderrRead = -1; // the readers own them now
        _stdoutReader?.Start();
        _stderrReader?.Start();
    }

    private void Post(SandboxMessage message) => _messages.Add(message);

    private void ProducerDone()
    {
        if (Interlocked.Decrement(ref _producers) == 0)
            _messages.CompleteAdding();
    }

    /// <summary>Violations posted but not yet taken by the consumer. Above
    /// <see cref="MaxPendingViolations"/> the supervisor stops taking notifications, so a program
    /// that loops on a denied call waits for the consumer instead of filling memory.</summary>
    private int _pendingViolations;
    private const int MaxPendingViolations = 4096;

    private void Report(SeccompViolation violation)
    {
        Interlocked.Increment(ref _pendingViolations);
        _violationCount++;
        if (_violations.Count < _options.MaxRecordedViolations)
            _violations.Add(violation);
        Post(new SandboxMessage(SandboxMessageKind.Violation, null, violation));
    }

    private int _notificationCount;

    /// <summary>Notified calls the rules answered or the handler must answer, for the consumer
    /// (counted with the violations for the throttle: a Log rule on a busy call must not fill memory).</summary>
    private void Notified(SeccompNotification call)
    {
        Interlocked.Increment(ref _pendingViolations);
        _notificationCount++;
        Post(new SandboxMessage(SandboxMessageKind.Notification, null, null, call));
    }

    /// <summary>From any thread: answers a notified call that waits for the handler (Response
    /// empty). Once the command has ended, nothing happens.</summary>
    public void Respond(SeccompNotification call, SeccompNotifyResponse response)
    {
        ArgumentNullException.ThrowIfNull(call);
        SeccompSupervisor? supervisor = Volatile.Read(ref _supervisor);
        if (supervisor is not null)
            supervisor.Respond(call, response);
        else
        {
            call.Response = response.ToString();
            call.Logged = response.Log;
        }
    }

    // ---------------------------------------------------------------- the sandbox thread

    private void Run()
    {
        SpawnedProcess? child = null;
        int pidfd = -1;
        try
        {
            child = ProcessLauncher.Spawn(_launch!);
            _clock.Start();
            CloseWriteEnds();
            ProcessId = _innerPid = child.ProcessId;
            pidfd = Libc.pidfd_open(child.ProcessId);
            if (pidfd < 0)
            {
                int err = Libc.LastError;
                Abort(child.ProcessId);
                throw new SandboxException(SandboxFailure.SetupFailed, _options.FilePath, "pidfd_open failed: " + Libc.ErrorText(err), err);
            }
            AwaitExec(child);
            if (_supervisor is not null)
                _supervisor.Started = true;
            _started.Set();
            Supervise(child.ProcessId, pidfd);
        }
        catch (Exception e)
        {
            // A child not yet reaped may still be running on memory the spawn shares with us
            // (its stack, its request): it must be dead and reaped before that is freed below.
            if (child is not null && !_reaped)
                Abort(child.ProcessId);
            if (!_started.IsSet)
            {
                _startError = e;
                _started.Set();
            }
            else
            {
                _failure = e;
            }
        }
        finally
        {
            CloseWriteEnds();
            _supervisor?.Dispose();
            if (pidfd >= 0)
                Libc.close(pidfd);
            child?.Dispose();
            ProducerDone();
        }
    }

    private void CloseWriteEnds()
    {
        if (_stdoutWrite >= 0) { Libc.close(_stdoutWrite); _stdoutWrite = -1; }
        if (_stderrWrite >= 0) { Libc.close(_stderrWrite); _stderrWrite = -1; }
    }

    /// <summary>Reads the child's report until its execve (EOF) or a failure, taking the seccomp
    /// listener when the child announces it and answering notifications meanwhile (the shim's own
    /// execve is one).</summary>
    private void AwaitExec(SpawnedProcess child)
    {
        Libc.PollFd* fds = stackalloc Libc.PollFd[2];
        while (true)
        {
            int count = 1;
            fds[0] = new Libc.PollFd { Fd = child.ReportFd, Events = Libc.POLLIN };
            if (_supervisor is not null)
            {
                fds[1] = new Libc.PollFd { Fd = _supervisor.ListenerFd, Events = Libc.POLLIN };
                count = 2;
            }
            if (Libc.poll(fds, (nuint)count, -1) < 0)
            {
                if (Libc.LastError == Libc.EINTR)
                    continue;
                throw new SandboxException(SandboxFailure.SetupFailed, _options.FilePath, "poll failed: " + Libc.ErrorText(Libc.LastError));
            }
            if (count == 2 && (fds[1].Revents & Libc.POLLIN) != 0)
                _supervisor!.HandleOne();
            if (fds[0].Revents == 0)
                continue;

            var (stage, error, detail, sender) = ReceiveReport(child.ReportFd);
            if (stage == 0)
                return; // EOF: execve succeeded
            if (stage == Shim.StagePidNamespaceInit)
            {
                ProcessId = _innerPid = sender; // the command, PID 1 inside, as we see it
                if (_namespaceInitPidfd < 0)
                    _namespaceInitPidfd = Libc.pidfd_open(sender);
                continue;
            }
            if (stage == Shim.StageListener)
            {
                int listener = TakeListener(child, sender, error);
                if (listener >= 0 && _options.ListenerPath is not null)
                {
                    _innerPid = sender;
                    HandOver(child, listener, sender);
                    continue;
                }
                if (listener >= 0)
                {
                    _innerPid = sender;
                    _supervisor = new SeccompSupervisor(listener, _policy!, _options.AuditOnly, Report,
                        _options.NotifyRules, _options.NotifyHandler, Notified);
                    _killedByPolicy = _supervisor.KilledProcesses;
                }
                continue;
            }
            Abort(child.ProcessId);
            throw LaunchFailure((LaunchStage)stage, error, detail);
        }
    }

    /// <summary>listenerPath: answers the shim's own execve notification (the only one the
    /// prefix sends before the command runs) once the listener and the container state have gone
    /// to the agent, then closes our copy. If the agent cannot be reached, the child is killed and
    /// the start fails, as the OCI spec asks.</summary>
    private void HandOver(SpawnedProcess child, int listener, int sender)
    {
        try
        {
            Libc.PollFd* fds = stackalloc Libc.PollFd[1];
            var clock = Stopwatch.StartNew();
            while (true)
            {
                fds[0] = new Libc.PollFd { Fd = listener, Events = Libc.POLLIN };
                int rc = Libc.poll(fds, 1, 100);
                if (rc > 0)
                    break;
                if ((rc < 0 && Libc.LastError != Libc.EINTR) || clock.Elapsed > TimeSpan.FromSeconds(10))
                    throw new SandboxException(SandboxFailure.SetupFailed, _options.FilePath, "The child never reached its execve after installing its seccomp filter.", 0, LaunchStage.Seccomp);
            }
            SeccompNotify.Notification n = default;
            if (SeccompNotify.Ioctl(listener, SeccompNotify.IoctlRecv, &n) != 0)
                throw new SandboxException(SandboxFailure.SetupFailed, _options.FilePath, "Could not receive the child's execve notification: " + Libc.ErrorText(Libc.LastError), Libc.LastError, LaunchStage.Seccomp);

            string bundle = _options.WorkingDirectory ?? "/";
            string state = OciSeccompListener.StateJson(sender, "pssyscall-" + sender.ToString(CultureInfo.InvariantCulture), bundle, _options.ListenerMetadata);
            OciSeccompListener.Send(_options.ListenerPath!, listener, state);

            // The command's execve, judged by the policy as the kernel would have without the prefix.
            uint action = _policy!.Evaluate(in n.Data);
            var response = new SeccompNotify.Response { Id = n.Id, Flags = SeccompNotify.FlagContinue };
            if (!SeccompProgram.Allows(action) && (action & 0xffff0000) != SeccompNotify.RetUserNotif)
                response = new SeccompNotify.Response { Id = n.Id, Error = (action & 0xffff0000) == 0x00050000 ? -(int)(action & 0xffff) : -Libc.EPERM };
            SeccompNotify.Ioctl(listener, SeccompNotify.IoctlSend, &response);
        }
        catch
        {
            Abort(child.ProcessId);
            throw;
        }
        finally
        {
            Libc.close(listener);
        }
    }

    /// <summary>The instruction pointer of the shim's execve (see
    /// <see cref="SeccompProgram.ToListenerProgram"/>), learned from a supervised spawn: from an
    /// earlier sandbox of this process, else from a sandboxed /bin/true run for it (once).</summary>
    private static ulong LearnShimExecveAddress()
    {
        ulong known = SeccompSupervisor.ShimExecveAddress;
        if (known != 0)
            return known;
        string probe = File.Exists("/bin/true") ? "/bin/true" : "/usr/bin/true";
        byte[] allowAll = [0x06, 0, 0, 0, 0x00, 0x00, 0xff, 0x7f]; // ret ALLOW
        using (SandboxSession learn = Start(new SandboxOptions { FilePath = probe, SeccompProgram = allowAll, MeasurePeakMemory = false }))
        {
            foreach (SandboxMessage _ in learn.ReadMessages())
            {
            }
        }
        known = SeccompSupervisor.ShimExecveAddress;
        if (known == 0)
            throw new SandboxException(SandboxFailure.SetupFailed, probe, "Could not learn where the launch's execve is made from, which the listenerPath filter needs.", 0, LaunchStage.Seccomp);
        return known;
    }

    /// <summary>Copies the child's listener fd with pidfd_getfd. The child announced the number
    /// before installing the filter, so until it has, the number is not open yet (EBADF): retry.
    /// A child that failed to install the filter reports that on the socket instead.</summary>
    private int TakeListener(SpawnedProcess child, int senderPid, int childFd)
    {
        int pidfd = Libc.pidfd_open(senderPid);
        if (pidfd < 0)
            return -1; // it died; its report (or EOF) says why
        try
        {
            var clock = Stopwatch.StartNew();
            Libc.PollFd report = new() { Fd = child.ReportFd, Events = Libc.POLLIN };
            for (int attempt = 0; ; attempt++)
            {
                int fd = Libc.pidfd_getfd(pidfd, childFd);
                if (fd >= 0)
                {
                    if (IsSeccompListener(fd))
                        return fd;
                    Libc.close(fd);
                }
                else if (Libc.LastError != Libc.EBADF)
                {
                    int err = Libc.LastError;
                    Abort(child.ProcessId);
                    throw new SandboxException(SandboxFailure.SetupFailed, _options.FilePath,
                        "Could not take the seccomp listener from the child (pidfd_getfd): " + Libc.ErrorText(err), err, LaunchStage.Seccomp);
                }
                if (Libc.poll(&report, 1, 0) > 0)
                    return -1; // the child reported a failure
                if (clock.Elapsed > TimeSpan.FromSeconds(10))
                {
                    Abort(child.ProcessId);
                    throw new SandboxException(SandboxFailure.SetupFailed, _options.FilePath, "The child never installed its seccomp filter.", 0, LaunchStage.Seccomp);
                }
                // The child is between its announcement and seccomp(): microseconds, if it runs.
                if (attempt < 2000)
                    Thread.Yield();
                else
                    Thread.Sleep(1);
            }
        }
        finally
        {
            Libc.close(pidfd);
        }
    }

    private static bool IsSeccompListener(int fd)
    {
        byte* buffer = stackalloc byte[64];
        nint n = Libc.readlink($"/proc/self/fd/{fd}", buffer, 64);
        return n > 0 && System.Text.Encoding.ASCII.GetString(buffer, (int)n) == "anon_inode:seccomp notify";
    }

    /// <summary>One message from the report socket: stage 0 at EOF. The sender's pid comes as
    /// SCM_CREDENTIALS (the shim sets SO_PASSCRED), in our PID namespace.</summary>
    private static (int Stage, int Error, int Detail, int SenderPid) ReceiveReport(int fd)
    {
        Shim.Report report;
        byte* control = stackalloc byte[128];
        while (true)
        {
            var iov = new Libc.IoVec { Base = &report, Length = (nuint)sizeof(Shim.Report) };
            var msg = new Libc.MsgHdr { Iov = &iov, IovLen = 1, Control = control, ControlLen = 128 };
            nint n = Libc.recvmsg(fd, &msg, 0x40000000 /* MSG_CMSG_CLOEXEC */);
            if (n < 0 && Libc.LastError == Libc.EINTR)
                continue;
            if (n <= 0)
                return (0, 0, 0, 0);
            int sender = 0;
            // struct cmsghdr { size_t len; int level; int type; } + data, each 8-byte aligned.
            for (nuint offset = 0; offset + 16 <= msg.ControlLen;)
            {
                byte* cm = control + offset;
                nuint len = *(nuint*)cm;
                if (len < 16)
                    break;
                int level = *(int*)(cm + 8), type = *(int*)(cm + 12);
                if (level == 1 /* SOL_SOCKET */ && type == 2 /* SCM_CREDENTIALS */)
                    sender = *(int*)(cm + 16);
                else if (level == 1 && type == 1 /* SCM_RIGHTS */)
                    Libc.close(*(int*)(cm + 16));
                offset += (len + 7) & ~(nuint)7;
            }
            return (report.Stage, report.Error, report.Detail, sender);
        }
    }

    private SandboxException LaunchFailure(LaunchStage stage, int errno, int detail)
    {
        string file = _options.FilePath;
        string reason = Libc.ErrorText(errno);
        switch (stage)
        {
            case LaunchStage.Exec when errno == Libc.ENOENT:
                return new SandboxException(SandboxFailure.CommandNotFound, file, $"Could not execute '{file}': {reason}.", errno, stage);
            case LaunchStage.Exec when errno == Libc.EPERM:
                // EPERM from execve (not EACCES) is the kernel refusing a program whose file
                // capabilities it cannot grant: the sandbox's bounding set lacks them.
                return new SandboxException(SandboxFailure.PermissionDenied, file,
                    $"Could not execute '{file}': {reason}. The program has file capabilities, which the sandbox withholds: -Capability keeps the ones it needs (getcap lists them).", errno, stage);
            case LaunchStage.Exec when errno == Libc.EACCES && _droppedRoot && !_landlockPaths:
                return new SandboxException(SandboxFailure.PermissionDenied, file,
                    $"Could not execute '{file}': {reason}. The command runs as uid {SandboxOptions.UnprivilegedId} (nobody), not as root: give it a program that user can reach, or run it as root, without capabilities, with -UserId 0.", errno, stage);
            case LaunchStage.Exec when errno == Libc.EACCES:
                // Only Landlock paths restrict where executing is allowed; without them the denial
                // is the file's mode or a noexec mount, and -ExecutablePath would not help.
                string hint = _landlockPaths
                    ? " Landlock allows executing only beneath -ReadOnlyPath and -ExecutablePath: add the command's directory and its libraries' (for example /usr)."
                    : "";
                return new SandboxException(SandboxFailure.PermissionDenied, file, $"Could not execute '{file}': {reason}.{hint}", errno, stage);
            case LaunchStage.Namespaces or LaunchStage.UserMapping or LaunchStage.MountPropagation or LaunchStage.Loopback
                or LaunchStage.Hostname or LaunchStage.ProcFileSystem:
                return new SandboxException(SandboxFailure.NamespaceUnavailable, file,
                    $"Could not isolate the command (stage {stage}): {reason}.", errno, stage);
            case LaunchStage.Mounts:
                string step = detail >= 0 && detail < _mounts.Count ? _mounts[detail].ToString() : "a mount";
                string target = detail >= 0 && detail < _mounts.Count ? _mounts[detail].Target : file;
                return new SandboxException(errno == Libc.ENOENT ? SandboxFailure.PathNotFound : SandboxFailure.SetupFailed, target,
                    $"Could not set up the sandbox's file system view ({step}): {reason}.", errno, stage);
            case LaunchStage.Identity:
                return new SandboxException(SandboxFailure.InvalidIdentity, file,
                    $"Could not run the command as uid {_options.UserId ?? SandboxOptions.UnprivilegedId}, gid {_options.GroupId ?? _options.UserId ?? SandboxOptions.UnprivilegedId}: {reason}.", errno, stage);
            case LaunchStage.WorkingDirectory:
                return new SandboxException(SandboxFailure.PathNotFound, _options.WorkingDirectory ?? file,
                    $"Could not change to the working directory '{_options.WorkingDirectory}': {reason}.", errno, stage);
            default:
                return new SandboxException(SandboxFailure.SetupFailed, file, $"Setting up the sandbox failed at stage '{stage}': {reason}.", errno, stage);
        }
    }

    /// <summary>Kills a child that failed to start and reaps it.</summary>
    private void Abort(int pid)
    {
        KillTree(pid);
        while (Libc.waitpid(pid, out _, Libc.__WALL | Libc.__WNOTHREAD) < 0 && Libc.LastError == Libc.EINTR)
        {
        }
        _reaped = true;
    }

    private void KillTree(int pid)
    {
        _cgroup?.Kill();
        if (pid > 0)
        {
            Libc.kill(-pid, Libc.SIGKILL); // its session's process group (NewSession)
            Libc.kill(pid, Libc.SIGKILL);
        }
    }

    /// <summary>The run: answer notifications, watch the clock and the cancel, reap the child.</summary>
    private void Supervise(int pid, int pidfd)
    {
        Libc.PollFd* fds = stackalloc Libc.PollFd[3];
        long deadline = _options.Timeout is TimeSpan t ? Stopwatch.GetTimestamp() + (long)(t.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        bool killed = false;
        while (true)
        {
            fds[0] = new Libc.PollFd { Fd = pidfd, Events = Libc.POLLIN };
            fds[1] = new Libc.PollFd { Fd = _cancelFd, Events = Libc.POLLIN };
            int count = 2;
            bool throttled = Volatile.Read(ref _pendingViolations) > MaxPendingViolations;
            if (_supervisor is not null && !throttled)
            {
                fds[2] = new Libc.PollFd { Fd = _supervisor.ListenerFd, Events = Libc.POLLIN };
                count = 3;
            }
            int timeout = throttled ? 10 : -1;
            if (deadline != long.MaxValue && !killed)
            {
                long left = deadline - Stopwatch.GetTimestamp();
                int untilDeadline = left <= 0 ? 0 : (int)Math.Min(int.MaxValue, left * 1000 / Stopwatch.Frequency + 1);
                timeout = timeout < 0 ? untilDeadline : Math.Min(timeout, untilDeadline);
            }
            int rc = Libc.poll(fds, (nuint)count, timeout);
            if (rc < 0)
            {
                if (Libc.LastError == Libc.EINTR)
                    continue;
                throw new InvalidOperationException("poll failed: " + Libc.ErrorText(Libc.LastError));
            }
            if (!killed && deadline != long.MaxValue && Stopwatch.GetTimestamp() >= deadline)
            {
                _timedOut = killed = true;
                KillTree(pid);
            }
            if (fds[1].Revents != 0 && !killed)
            {
                killed = true;
                KillTree(pid);
            }
            if (count == 3)
            {
                if ((fds[2].Revents & Libc.POLLIN) != 0)
                    _supervisor!.HandleOne();
                else if ((fds[2].Revents & (Libc.POLLHUP | Libc.POLLERR | Libc.POLLNVAL)) != 0)
                {
                    _supervisor!.Dispose(); // no process uses the filter any more
                    _supervisor = null;
                }
            }
            if ((fds[0].Revents & Libc.POLLIN) != 0)
                break;
        }

        int status;
        while (Libc.waitpid(pid, out status, Libc.__WALL | Libc.__WNOTHREAD) < 0)
        {
            if (Libc.LastError != Libc.EINTR)
                throw new InvalidOperationException("waitpid failed: " + Libc.ErrorText(Libc.LastError));
        }
        _reaped = true;
        TimeSpan duration = _clock.Elapsed;
        // What the command left behind in the sandbox ends with it.
        KillTree(pid);
        WaitForNamespaceEnd();
        if (_cgroup is null || !_cgroup.CanKillTree)
            Libc.Signal(_drainFd);
        Finish(pid, status, duration);
    }

    /// <summary>The outer process is gone (reaped, or killed by KillTree); PID 1 learns it through
    /// its pipe and dies, and the kernel then kills the rest of the namespace and waits for them.
    /// Wait for that (bounded), so every process has ended when the cmdlet returns.</summary>
    private void WaitForNamespaceEnd()
    {
        int fd = _namespaceInitPidfd;
        if (fd < 0)
            return;
        _namespaceInitPidfd = -1;
        // Not waiting for PID 1 to notice its pipe; through the pidfd, so a reused pid is never hit.
        Libc.syscall(Libc.SYS_pidfd_send_signal, fd, Libc.SIGKILL, 0, 0);
        Libc.PollFd* fds = stackalloc Libc.PollFd[1];
        long deadline = Stopwatch.GetTimestamp() + 5 * Stopwatch.Frequency;
        while (true)
        {
            fds[0] = new Libc.PollFd { Fd = fd, Events = Libc.POLLIN };
            int left = (int)Math.Max(0, (deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
            int n = Libc.poll(fds, 1, left);
            if (n >= 0 || Libc.LastError != Libc.EINTR || left == 0)
                break;
        }
        Libc.close(fd);
    }

    private void Finish(int pid, int status, TimeSpan duration)
    {
        var result = new SandboxResult
        {
            FilePath = _options.FilePath,
            ProcessId = _innerPid,
            TimedOut = _timedOut,
            Duration = duration,
            // Only a cgroup measures the command alone: the rusage high-water mark includes the
            // launcher's memory, which the child shared until its execve.
            PeakMemory = _cgroup?.PeakMemory ?? 0,
            Notes = _notes.ToArray(),
        };
        if (Libc.WIFSIGNALED(status))
        {
            int signal = Libc.WTERMSIG(status);
            // The supervisor kills with SIGKILL where the kernel's KillProcess would have used
            // SIGSYS; report what the policy did.
            if (signal == Libc.SIGKILL && (_killedByPolicy.Contains(pid) || _killedByPolicy.Contains(_innerPid)))
                signal = Libc.SIGSYS;
            result.Signal = SignalNames.GetName(signal);
            result.ExitCode = 128 + signal;
        }
        else
        {
            result.ExitCode = Libc.WEXITSTATUS(status);
        }
        Result = result;
    }

    // ---------------------------------------------------------------- consumer side

    /// <summary>Output lines and violations as they arrive, until the command and everything it
    /// started have ended. Call from one thread; <see cref="Result"/> is set when this ends.</summary>
    public IEnumerable<SandboxMessage> ReadMessages()
    {
        foreach (SandboxMessage message in _messages.GetConsumingEnumerable())
        {
            if (message.Kind is not (SandboxMessageKind.Violation or SandboxMessageKind.Notification))
                _outputSlots.Release();
            else
                Interlocked.Decrement(ref _pendingViolations);
            yield return message;
        }
        _thread?.Join();
        _stdoutReader?.Join();
        _stderrReader?.Join();
        if (Result is not null)
        {
            Result.Violations = _violations.ToArray();
            Result.ViolationCount = _violationCount;
            Result.NotificationCount = _notificationCount;
        }
        if (_failure is { } failure)
            throw new InvalidOperationException("The sandbox failed: " + failure.Message, failure);
    }

    /// <summary>From any thread: kill the command's whole tree.</summary>
    public void Cancel()
    {
        if (_cancelFd >= 0)
            Libc.Signal(_cancelFd);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_thread is { IsAlive: true })
        {
            Cancel();
            _thread.Join();
        }
        _stop.Cancel();
        Libc.Signal(_drainFd);
        _stdoutReader?.Join();
        _stderrReader?.Join();
        CloseWriteEnds();
        foreach (int fd in new[] { _stdoutRead, _stderrRead, _cancelFd, _drainFd, _namespaceInitPidfd })
        {
            if (fd >= 0)
                Libc.close(fd);
        }
        _landlock?.Dispose();
        _cgroup?.Dispose();
        _stop.Dispose();
    }
}
