using System.Management.Automation;
using PSSyscall.Completion;
using PSSyscall.Engine.Storage;
using PSSyscall.Engine.Tracing;
using PSSyscall.Engine.Decoding;

namespace PSSyscall.Commands;

/// <summary>
/// Start-TracedProcess: runs a command (or attaches to processes) under the ptrace engine and
/// writes one object per system call, signal and process exit, live, as strace does.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "TracedProcess", DefaultParameterSetName = RunSet, SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Start-TracedProcess.md")]
[OutputType(typeof(SyscallEvent), typeof(SignalEvent), typeof(ProcessExitEvent), typeof(SyscallSummary))]
public sealed class StartTracedProcessCommand : CommandLineCmdlet, IDisposable
{
    private const string RunSet = "Run";
    private const string AttachSet = "Attach";

    private TraceSession? _session;
    private bool _stopping;
    private readonly List<string> _inputLines = new();
    private readonly List<int> _attachIds = new();
    private bool _gotInput;

    /// <summary>The command to run: a path, or a name looked up in PATH.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = RunSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CommandNameCompleter))]
    public string FilePath { get; set; } = "";

    /// <summary>The command's arguments: everything after the command's name, as strace takes them
    /// (this cmdlet's own parameters go before the name).</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true, ParameterSetName = RunSet)]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public string[] ArgumentList { get; set; } = Array.Empty<string>();

    /// <summary>Process ids to attach to, with all their threads. Process objects (Get-Process)
    /// bind by their Id, from the pipeline too.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AttachSet, ValueFromPipelineByPropertyName = true)]
    [ProcessIdTransformation]
    [ValidateRange(1, int.MaxValue)]
    [ArgumentCompleter(typeof(ProcessIdCompleter))]
    public int[] Id { get; set; } = Array.Empty<int>();

    /// <summary>Objects piped in: the program's standard input, one line each (as for a native command).</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = RunSet)]
    [AllowNull]
    [AllowEmptyString]
    public PSObject? InputObject { get; set; }

    /// <summary>The program reads its standard input from this file.</summary>
    [Parameter(ParameterSetName = RunSet)]
    [ValidateNotNullOrEmpty]
    public string? RedirectStandardInput { get; set; }

    /// <summary>The program writes its standard output to this file (created or replaced).</summary>
    [Parameter(ParameterSetName = RunSet)]
    [ValidateNotNullOrEmpty]
    public string? RedirectStandardOutput { get; set; }

    /// <summary>The program writes its standard error to this file (created or replaced).</summary>
    [Parameter(ParameterSetName = RunSet)]
    [ValidateNotNullOrEmpty]
    public string? RedirectStandardError { get; set; }

    /// <summary>Capture the program's stdout and stderr even in an interactive console: their lines
    /// come back as information records tagged StandardOutput and StandardError (shown like
    /// Write-Host; -InformationVariable or 6>&amp;1 collect them, 6>$null hides them). Without a
    /// terminal (remoting, jobs, redirected hosts) they are always captured.</summary>
    [Parameter(ParameterSetName = RunSet)]
    public SwitchParameter CaptureOutput { get; set; }

    /// <summary>Trace only the first process (with its threads), not its children.</summary>
    [Parameter]
    public SwitchParameter NoFollow { get; set; }

    /// <summary>Report only these syscalls (names or wildcards, strace -e trace=). With a command
    /// to run, the selection is compiled into a seccomp filter so the others never stop.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SyscallNameCompleter))]
    [ValidateNotNullOrEmpty]
    [Validation.ValidateWildcard]
    public string[]? Name { get; set; }

    /// <summary>Report only syscalls of these strace classes (File, Desc, Network, Process, Signal,
    /// Memory, Ipc, Creds, Clock, Stat, LStat, FStat, StatFs, Pure), in addition to -Name.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(SyscallClassCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Class { get; set; }

    /// <summary>Leave out these syscalls (names or wildcards), from everything or from -Name/-Class.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SyscallNameCompleter))]
    [ValidateNotNullOrEmpty]
    [Validation.ValidateWildcard]
    public string[]? ExcludeName { get; set; }

    /// <summary>Report only calls that failed (strace -Z).</summary>
    [Parameter]
    public SwitchParameter Failed { get; set; }

    /// <summary>Report only calls that succeeded (strace -z).</summary>
    [Parameter]
    public SwitchParameter Successful { get; set; }

    /// <summary>Report only calls that touch these paths: a path argument equal to one of them, or
    /// a descriptor argument that refers to one (strace -P). Links are matched by their target too.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Longest string or buffer shown in Arguments, in bytes (strace -s); longer ones end in "...".</summary>
    [Parameter]
    [ValidateRange(0, 1 << 20)]
    public int StringLimit { get; set; } = 32;

    /// <summary>How named constants appear in Arguments (strace -X): Abbrev names them (O_RDWR|O_CLOEXEC,
    /// the default), Raw shows numbers (0x80002), Verbose both (0x80002 /* O_RDWR|O_CLOEXEC */).</summary>
    [Parameter]
    public ConstantStyle ConstantStyle { get; set; }

    /// <summary>Structures in full (strace -v): every field of struct stat, execve's environment strings.</summary>
    [Parameter]
    public SwitchParameter Unabbreviated { get; set; }

    /// <summary>Strings in hex (strace -x: NonAscii, those holding a byte that is not printable ASCII;
    /// strace -xx: All strings, descriptor paths included).</summary>
    [Parameter]
    public HexStringStyle HexString { get; set; }

    /// <summary>Faults to inject (New-SyscallFault); injected events have Injected = $true.</summary>
    [Parameter]
    [ValidateNotNull]
    [ArgumentCompleter(typeof(NoFileCompleter))]
    public SyscallFault[] Inject { get; set; } = Array.Empty<SyscallFault>();

    /// <summary>Also record the events to this file while they stream (format from the extension:
    /// .csv CSV; .txt/.log/.strace strace text; else JSON Lines). Read it with Get-SyscallEvent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>An -OutFile of strace text (.txt, .log, .strace): the time at the start of each line,
    /// as strace's -t (TimeOfDay), -tt (TimeOfDayMicroseconds, the default), -ttt (UnixTime) or
    /// -r (Relative), or None; as Export-SyscallEvent -TimestampFormat.</summary>
    [Parameter]
    public StraceTimestampFormat TimestampFormat { get; set; } = StraceTimestampFormat.TimeOfDayMicroseconds;

    /// <summary>An -OutFile of strace text: each line shows where the call was made (strace -i).</summary>
    [Parameter]
    public SwitchParameter IncludeInstructionPointer { get; set; }

    /// <summary>Do not replace an existing -OutFile (error NoClobber), as Export-Csv -NoClobber.</summary>
    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Write only strace -c's table (SyscallSummary rows) when the trace ends, not the events.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    /// <summary>Environment variables for the command (strace -E): each entry sets one (NAME =
    /// 'value'); a $null value removes one (strace -E NAME). The rest is this session's environment,
    /// with PWD set to where the command starts, as Invoke-Sandboxed -Environment.</summary>
    [Parameter(ParameterSetName = RunSet)]
    [ValidateNotNull]
    [EnvironmentTransformation]
    public System.Collections.Hashtable? Environment { get; set; }

    /// <summary>Start the command from an empty environment (then only -Environment's variables).</summary>
    [Parameter(ParameterSetName = RunSet)]
    public SwitchParameter ClearEnvironment { get; set; }

    /// <summary>Run the command as this user (strace -u): a name, a numeric uid, or uid:gid. The
    /// command gets the user's uid, primary group and supplementary groups (initgroups); the
    /// tracer stays as it is. Changing user needs root.</summary>
    [Parameter(ParameterSetName = RunSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(UserNameCompleter))]
    public string? User { get; set; }

    /// <summary>Make the command not a child of this PowerShell process (strace -D, -DD, -DDD):
    /// Grandchild (its parent is the nearest subreaper, usually init), ProcessGroup (also a process
    /// group of its own), Session (also a session of its own, without a controlling terminal).</summary>
    [Parameter(ParameterSetName = RunSet)]
    public DetachedTracerMode DetachedTracer { get; set; }

    /// <summary>Report only calls that ended so (strace -e status=): Successful, Failed,
    /// Unfinished (never returned, as exit_group), Unavailable, Detached (-DetachOn). -Successful
    /// and -Failed are short for -Status Successful and -Status Failed; given together with
    /// -Status they add to it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public SyscallStatus[]? Status { get; set; }

    /// <summary>Report only these signals (strace -e signal=): names (SIGCHLD or CHLD), numbers,
    /// 'all' or 'none'; a leading '!' reports every other one. Signals are delivered either way.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SignalNameCompleter))]
    public string[]? Signal { get; set; }

    /// <summary>Let a process go when it calls this syscall (strace -b; only execve, which covers
    /// execveat too): the call is reported as Detached and the new program runs untraced. The
    /// command's own first execve does not count.</summary>
    [Parameter]
    [ValidateSet("execve")]
    public string[]? DetachOn { get; set; }

    /// <summary>With -Summary: time the calls by the wall clock, entry to exit (strace -c -w),
    /// instead of by the system time the process spent in them (strace -c's default).</summary>
    [Parameter]
    public SwitchParameter WallClock { get; set; }

    /// <summary>With -OutFile PREFIX: write one strace text file per traced thread, PREFIX.TID,
    /// as strace -ff -o PREFIX does (lines without a thread id, times and durations as -tt -T).
    /// Get-SyscallEvent PREFIX reads them back as one trace. Files PREFIX.N an earlier run left
    /// are replaced (kept, and an error, with -NoClobber).</summary>
    [Parameter]
    public SwitchParameter OneFilePerProcess { get; set; }

    /// <summary>With -Summary: the order of the rows (strace -S): Time (the default), Calls,
    /// Errors, Name, Nothing (syscall number order), AverageTime, MinTime, MaxTime.</summary>
    [Parameter]
    public SummarySortOrder SortBy { get; set; } = SummarySortOrder.Time;

    /// <summary>With -Summary: end the table with strace's "total" row (IsTotal = $true).</summary>
    [Parameter]
    public SwitchParameter IncludeTotal { get; set; }

    /// <summary>With -Summary: the columns to show, in this order (strace -U): PercentTime,
    /// TotalTime, AverageTime, MinTime, MaxTime, Calls, Errors, Name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateSet(SummaryColumns.PercentTime, SummaryColumns.TotalTime, SummaryColumns.AverageTime, SummaryColumns.MinTime,
        SummaryColumns.MaxTime, SummaryColumns.Calls, SummaryColumns.Errors, SummaryColumns.Name, SummaryColumns.StracePercent,
        SummaryColumns.StraceTotal, SummaryColumns.StraceAverage, SummaryColumns.StraceMin, SummaryColumns.StraceMax, SummaryColumns.StraceName)]
    public string[]? Column { get; set; }
    /// <summary>What descriptor annotations show (strace --decode-fds): Path, as strace -y (the
    /// default); Socket: a socket's protocol and endpoints ("TCP:[127.0.0.1:42->127.0.0.1:80]");
    /// Device: a device's numbers ("/dev/null&lt;char 1:3&gt;"); Pidfd: a pidfd's process ("pid:1234");
    /// All: all of them, as strace -yy.</summary>
    [Parameter]
    public FdDecoding FdDecoding { get; set; } = FdDecoding.Path;

    /// <summary>strace -k: each call's stack, in the events' StackTrace, one frame a line as strace
    /// prints it ("/usr/lib/x86_64-linux-gnu/libc.so.6(__write+0x10) [0xf8350]"), unwound with
    /// elfutils' libdw (package libdw1).</summary>
    [Parameter]
    public SwitchParameter StackTrace { get; set; }

    /// <summary>strace -e read=: dump in hex (the events' HexDump) all data read from these
    /// descriptors (numbers, or * for all), by read, pread64, readv, preadv(2), recvfrom, recvmsg,
    /// recvmmsg and mq_timedreceive.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NoFileCompleter))]
    public string[]? HexDumpRead { get; set; }

    /// <summary>strace -e write=: dump in hex all data written to these descriptors (numbers, or *
    /// for all), by write, pwrite64, writev, pwritev(2), sendto, sendmsg, sendmmsg, vmsplice and
    /// mq_timedsend, whatever the call's result.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NoFileCompleter))]
    public string[]? HexDumpWrite { get; set; }

    /// <summary>What records the calls: Ptrace (the default: every decoder, -Inject), Ebpf (kernel
    /// programs and a ring buffer, no stops: a few times faster) or Auto (eBPF where it can serve,
    /// else ptrace; -Verbose says which and why). See about_PSSyscall_Ebpf.</summary>
    [Parameter]
    public TraceBackend Backend { get; set; } = TraceBackend.Ptrace;

    /// <summary>eBPF: the ring buffer's size in bytes (64MB, say), rounded up to a power of two.
    /// By default 16 MiB for a full trace and 4 MiB for a filtered one.</summary>
    [Parameter]
    [ValidateRange(4096L, 1L << 30)]
    public long BufferSize { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == AttachSet)
        {
            _attachIds.AddRange(Id);
            return;
        }
        if (MyInvocation.ExpectingInput)
        {
            _gotInput = true;
            if (InputObject is not null)
                _inputLines.Add(LanguagePrimitives.ConvertTo<string>(InputObject.BaseObject) ?? "");
        }
    }

    protected override void EndProcessing()
    {
        ArgumentList = TrailingArguments.Recover(this, nameof(FilePath), ArgumentList);
        SyscallFilter? filter = BuildFilter();
        if (filter is null)
            return;
        DescriptorSet? dumpRead = DescriptorSetFrom(HexDumpRead, nameof(HexDumpRead));
        DescriptorSet? dumpWrite = DescriptorSetFrom(HexDumpWrite, nameof(HexDumpWrite));
        TraceOptions? options = ParameterSetName == AttachSet ? AttachOptions() : RunOptions();
        if (options is null)
            return;

        string commandLine = ParameterSetName == RunSet
            ? string.Join(' ', ArgumentList.Prepend(FilePath))
            : "attach " + string.Join(',', _attachIds);
        if (!ShouldProcessCommand(commandLine, string.IsNullOrEmpty(OutFile) ? "Trace" : $"Trace, recording to '{OutFile}'"))
            return;
        if (OneFilePerProcess && string.IsNullOrEmpty(OutFile))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-OneFilePerProcess needs -OutFile."), "OutFileMissing", ErrorCategory.InvalidArgument, null)
            {
                ErrorDetails = new ErrorDetails("-OneFilePerProcess writes PREFIX.PID files: give the prefix with -OutFile (strace -ff -o PREFIX)."),
            });
        }
        var straceText = new PSSyscall.StraceTextOptions { Timestamp = TimestampFormat, InstructionPointer = IncludeInstructionPointer };
        using TracedProcessOutput output = (OneFilePerProcess ? TracedProcessOutput.OpenPerThread(this, OutFile!, Summary, NoClobber, straceText)
                : TracedProcessOutput.Open(this, OutFile, Summary, commandLine, NoClobber, straceText))
            .WithSummaryOptions(SortBy, WallClock ? SummaryClock.Wall : SummaryClock.System, IncludeTotal, SummaryColumns.Normalize(Column));
        using ProgramStreams? streams = ParameterSetName == RunSet ? OpenStreams() : null;
        options = new TraceOptions
        {
            Launch = streams is null ? options.Launch
                : options.Launch! with { StandardInput = streams.Input, StandardOutput = streams.Output, StandardError = streams.Error },
            AttachProcessIds = options.AttachProcessIds,
            FollowForks = options.FollowForks,
            Faults = options.Faults, // [faults]
            Filter = filter,
            StringLimit = StringLimit,
            DetachOnExecve = DetachOn is { Length: > 0 },
            MeasureSystemTime = Summary && !WallClock,
            Decode = new DecodeOptions(ConstantStyle, Unabbreviated, HexString),
            HexDumpRead = dumpRead,
            FdDecoding = FdDecoding,
            StackTrace = StackTrace,
            HexDumpWrite = dumpWrite,
            // Launch mode: a per-number selection runs inside the kernel (the seccomp fast path).
            // Attach mode cannot install a filter into a running process: the engine filters.
            // Nor with -NoFollow: the children, untraced, would inherit a filter that asks for a
            // tracer they do not have, and the kernel fails those calls with ENOSYS.
            UseSeccompStops = options.Launch is not null && !filter.SelectsAll && options.FollowForks,
            Backend = Backend,
            BufferSize = BufferSize,
        };

        if (options.Faults.Count > 0)
            WriteVerbose($"Injecting {options.Faults.Count} fault(s): {string.Join("; ", options.Faults.Select(f => $"{f.Name} {f.Effect} when {f.Occurrence}"))}.");
        try
        {
            _session = TraceSession.Start(options);
        }
        catch (TraceException e)
        {
            ThrowTerminatingError(TraceErrors.FromTraceException(e));
            return;
        }
        streams?.ChildStarted();
        if (_stopping)
            _session.Cancel();
        if (_session.BackendNote is { } note)
            WriteVerbose("Backend: " + note);
        if (_session.Backend == TraceBackend.Ebpf && Summary && !WallClock)
        {
            output.UseWallClock();
            WriteVerbose("The eBPF backend does not stop the process at its calls, so the summary times them by the wall clock, entry to exit (as -WallClock, strace -c -w), not by the system time spent in them.");
        }
        if (_session.Backend == TraceBackend.Ebpf)
            WriteVerbose($"eBPF backend: kernel programs record the calls into a {_session.BufferSize / 1024} KiB ring buffer; the selection (-Name, -Class, -ExcludeName, -Failed, -Successful) is applied in the kernel.");
        WriteVerbose(options.Launch is not null
            ? $"Launched {options.Launch.FilePath} as process {_session.ProcessId}, traced from its first instruction{(options.FollowForks ? " with its children" : " (not its children: -NoFollow)")}."
            : $"Attached to process(es) {string.Join(", ", options.AttachProcessIds)} and their threads{(options.FollowForks ? ", and will follow their new children" : "")}.");
        if (DetachedTracer != DetachedTracerMode.None)
            WriteVerbose($"The command is not this process's child (-DetachedTracer {DetachedTracer}, strace -D): its parent is process {ProcFs.ReadParentId(_session.ProcessId)}.");
        if (options.DetachOnExecve)
            WriteVerbose("A traced process that calls execve is let go there (-DetachOn execve, strace -b execve); the program it runs is not traced.");
        if (Summary)
            WriteVerbose(WallClock ? "The summary times calls by the wall clock, entry to exit (strace -c -w)." : "The summary times calls by the system time the process spends in them (strace -c); -WallClock times them entry to exit.");
        if (_session.Backend == TraceBackend.Ptrace && options.UseSeccompStops)
            WriteVerbose("A seccomp filter installed in the child before exec stops it only for the selected calls (strace --seccomp-bpf); the others run at full speed.");
        else if (_session.Backend == TraceBackend.Ptrace && !filter.SelectsAll)
            WriteVerbose("Every call stops the traced program; the selection is applied by the tracer.");

        string source = System.IO.Path.GetFileName(FilePath);
        bool showOutput = !StandardStreamChoice.OutputRedirected(this);
        // Events that go to a file or into a summary show nothing while a long trace runs: a progress bar does.
        ProgressReporter? progress = OutFile is not null || Summary
            ? new ProgressReporter(this, 1, $"Tracing {(ParameterSetName == RunSet ? FilePath : commandLine)}")
            : null;
        long events = 0;
        try
        {
            foreach (TraceEvent e in _session.ReadEvents())
            {
                if (output.Accept(e))
                    WriteObject(e);
                if (streams is { Captures: true })
                    WriteCapturedLines(streams, source, showOutput);
                events++;
                if (progress is { Due: true })
                    progress.Report($"{events} events so far", -1, $"{e.ProcessName} ({e.ProcessId})");
            }
        }
        finally
        {
            _session.Dispose();
        }
        progress?.Complete();
        if (_session.BackendTimings is { } timings)
            WriteVerbose(timings);
        WriteVerbose(_session.ExitCode is int exitCode
            ? $"The trace ended after {events} events: process {_session.ProcessId} exited with {exitCode}{(_session.TerminatingSignal is int signal and > 0 ? $" (signal {signal})" : "")}."
            : $"The trace ended after {events} events; the tracer detached from every process still running.");
        if (streams is { Captures: true })
        {
            streams.Drain();
            WriteCapturedLines(streams, source, showOutput);
        }
        if (_session.DroppedRecords > 0)
            WriteWarning($"{_session.DroppedRecords} event(s) were lost: the eBPF ring buffer ({_session.BufferSize / 1024} KiB) was full while the consumer was busy. Counts are a lower bound. Use a bigger -BufferSize (64MB, say), fewer events (-Name, -Class), or -Backend Ptrace, which never loses an event.");
        if (_session.UnreadableCaptures > 0)
            WriteWarning($"{_session.UnreadableCaptures} argument(s) pointed to memory the eBPF program could not read, at the call or after it (an invalid pointer, or memory paged out); they show as addresses, as strace shows memory it cannot read. -Backend Ptrace reads paged-out memory.");
        if (_session.PartialRecords > 0)
            WriteWarning($"{_session.PartialRecords} call(s) had more memory to capture than one eBPF record holds (about 12 KiB a side); the arguments that did not fit show as addresses. -Backend Ptrace captures them.");
        output.Complete(this, _session.DroppedRecords, _session.UnreadableCaptures);

        if (_session.ExitCode is int code && ParameterSetName == RunSet)
            SessionState.PSVariable.Set("global:LASTEXITCODE", code);
    }

    private ProgramStreams? OpenStreams()
    {
        try
        {
            return ProgramStreams.Open(
                StandardStreamChoice.Input(this, RedirectStandardInput, _gotInput ? _inputLines : null),
                StandardStreamChoice.Output(this, RedirectStandardOutput, 1, CaptureOutput || StandardStreamChoice.OutputRedirected(this)),
                StandardStreamChoice.Output(this, RedirectStandardError, 2, CaptureOutput));
        }
        catch (TraceException e)
        {
            ThrowTerminatingError(TraceErrors.FromTraceException(e));
            return null;
        }
    }

    /// <summary>stdout lines are shown unless this command's output is redirected (then they are
    /// kept, not shown, like the events); stderr lines are always shown.</summary>
    private void WriteCapturedLines(ProgramStreams streams, string source, bool showOutput)
    {
        while (streams.TryTake(out CapturedLine line))
            StandardStreamChoice.WriteLine(this, line, source, showOutput || line.IsError);
    }

    private SyscallFilter? BuildFilter()
    {
        try
        {
            if (Failed && Successful)
                throw new SyscallFilterException("ContradictoryFilter", "Failed,Successful",
                    "-Failed and -Successful exclude each other: a call either fails or succeeds. Use one of them, or neither for both.");
            var classes = SyscallClass.None;
            foreach (string c in Class ?? Array.Empty<string>())
                classes |= SyscallFilter.ParseClass(c);
            // strace -P matches a path as the program gives it; a relative one is also matched
            // resolved against the current location (where the command starts).
            var paths = (Path ?? Array.Empty<string>())
                .SelectMany(p => new[] { p, SessionState.Path.GetUnresolvedProviderPathFromPSPath(p) })
                .Distinct().ToArray();
            SyscallFilter filter = SyscallFilter.Create(Name, classes, ExcludeName,
                Failed ? ResultFilter.Failed : Successful ? ResultFilter.Successful : ResultFilter.All, paths);
            if (Status is null && Signal is null)
                return filter;
            SyscallStatus statuses = Status is null ? filter.Statuses : SyscallStatus.None;
            foreach (SyscallStatus st in Status ?? Array.Empty<SyscallStatus>())
                statuses |= st;
            if (Status is not null && Failed)
                statuses |= SyscallStatus.Failed;
            if (Status is not null && Successful)
                statuses |= SyscallStatus.Successful;
            return filter.WithStatusesAndSignals(statuses, Signal is null ? ~0UL : SyscallFilter.ParseSignalSet(Signal));
        }
        catch (SyscallFilterException e)
        {
            var record = new ErrorRecord(e, e.ErrorId, ErrorCategory.InvalidArgument, e.Target)
            {
                ErrorDetails = new ErrorDetails(e.Message),
            };
            ThrowTerminatingError(record);
            return null;
        }
    }

    private TraceOptions? RunOptions()
    {
        if (TraceErrors.ResolveCommand(this, FilePath) is not (string path, string cwd))
            return null;
        WriteVerbose($"Resolved '{FilePath}' to {path}; working directory {cwd}.");
        UserIdentity? identity = null;
        if (User is not null)
        {
            try
            {
                identity = UserIdentity.Resolve(User);
            }
            catch (TraceException e)
            {
                ThrowTerminatingError(TraceErrors.FromTraceException(e));
                return null;
            }
            WriteVerbose($"The command runs as {identity.Name}: uid {identity.UserId}, gid {identity.GroupId}, groups {string.Join(",", identity.SupplementaryGroups)}.");
        }
        return new TraceOptions
        {
            Launch = new LaunchOptions
            {
                FilePath = path,
                ArgumentZero = FilePath,
                Arguments = ArgumentList ?? Array.Empty<string>(),
                WorkingDirectory = cwd,
                Environment = EnvironmentParameter.Build(this, Environment, ClearEnvironment, cwd),
                InheritDescriptors = true,
                UserId = identity?.UserId,
                GroupId = identity?.GroupId,
                SupplementaryGroups = identity?.SupplementaryGroups ?? Array.Empty<int>(),
                Orphan = DetachedTracer != DetachedTracerMode.None,
                NewProcessGroup = DetachedTracer == DetachedTracerMode.ProcessGroup,
                NewSession = DetachedTracer == DetachedTracerMode.Session,
            },
            FollowForks = !NoFollow,
            Faults = Inject,
        };
    }

    private TraceOptions? AttachOptions()
    {
        var ids = new List<int>();
        foreach (int pid in _attachIds.Distinct())
        {
            if (ProcFs.ProcessExists(pid))
            {
                ids.Add(pid);
                if (ProcFs.ReadParentId(pid) == System.Environment.ProcessId)
                    WriteWarning($"Process {pid} is a child of this PowerShell process. .NET waits for its own children and takes some of the stop notifications meant for the tracer; the tracer recovers them by polling, which makes this trace slower, and .NET may then believe process {pid} has exited (its Process object's HasExited and Kill() stop working). For a fast, clean trace, start the command with Start-TracedProcess, or from another shell.");
            }
            else
                WriteError(TraceErrors.FromTraceException(new TraceException(TraceFailure.ProcessNotFound, pid.ToString(), $"No process with id {pid} exists.")));
        }
        if (ids.Count == 0)
            return null;
        return new TraceOptions { AttachProcessIds = ids, FollowForks = !NoFollow, Faults = Inject };
    }

    /// <summary>-HexDumpRead/-HexDumpWrite: descriptor numbers, or * (or all) for every one.</summary>
    private DescriptorSet? DescriptorSetFrom(string[]? values, string parameter)
    {
        if (values is null)
            return null;
        var fds = new List<int>();
        foreach (string value in values)
        {
            string v = value.Trim();
            if (v is "*" or "all")
                return DescriptorSet.Everything;
            if (!int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int fd))
            {
                var e = new ArgumentException($"-{parameter} takes descriptor numbers (0, 1, 2, ...) or * for all of them; '{value}' is neither.");
                ThrowTerminatingError(new ErrorRecord(e, "InvalidDescriptorSet", ErrorCategory.InvalidArgument, value) { ErrorDetails = new ErrorDetails(e.Message) });
            }
            fds.Add(fd);
        }
        return DescriptorSet.Of(fds);
    }

    protected override void StopProcessing()
    {
        _stopping = true;
        _session?.Cancel();
    }

    public void Dispose() => _session?.Dispose();
}
