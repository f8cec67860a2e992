using System.Management.Automation;
using PSSyscall.Completion;
using PSSyscall.Engine.Tracing;

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

    /// <summary>Do not replace an existing -OutFile (error NoClobber), as Export-Csv -NoClobber.</summary>
    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Write only strace -c's table (SyscallSummary rows) when the trace ends, not the events.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

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
        TraceOptions? options = ParameterSetName == AttachSet ? AttachOptions() : RunOptions();
        if (options is null)
            return;

        string commandLine = ParameterSetName == RunSet
            ? string.Join(' ', ArgumentList.Prepend(FilePath))
            : "attach " + string.Join(',', _attachIds);
        if (!ShouldProcessCommand(commandLine, string.IsNullOrEmpty(OutFile) ? "Trace" : $"Trace, recording to '{OutFile}'"))
            return;
        using TracedProcessOutput output = TracedProcessOutput.Open(this, OutFile, Summary, commandLine, NoClobber);
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
        if (_session.Backend == TraceBackend.Ebpf)
            WriteVerbose($"eBPF backend: kernel programs record the calls into a {_session.BufferSize / 1024} KiB ring buffer; the selection (-Name, -Class, -ExcludeName, -Failed, -Successful) is applied in the kernel.");
        WriteVerbose(options.Launch is not null
            ? $"Launched {options.Launch.FilePath} as process {_session.ProcessId}, traced from its first instruction{(options.FollowForks ? " with its children" : " (not its children: -NoFollow)")}."
            : $"Attached to process(es) {string.Join(", ", options.AttachProcessIds)} and their threads{(options.FollowForks ? ", and will follow their new children" : "")}.");
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
            return SyscallFilter.Create(Name, classes, ExcludeName,
                Failed ? ResultFilter.Failed : Successful ? ResultFilter.Successful : ResultFilter.All, paths);
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
        return new TraceOptions
        {
            Launch = new LaunchOptions
            {
                FilePath = path,
                ArgumentZero = FilePath,
                Arguments = ArgumentList ?? Array.Empty<string>(),
                WorkingDirectory = cwd,
                Environment = LaunchEnvironment.Current(cwd),
                InheritDescriptors = true,
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
                if (ProcFs.ReadParentId(pid) == Environment.ProcessId)
                    WriteWarning($"Process {pid} is a child of this PowerShell process. .NET waits for its own children and takes some of the stop notifications meant for the tracer; the tracer recovers them by polling, which makes this trace slower, and .NET may then believe process {pid} has exited (its Process object's HasExited and Kill() stop working). For a fast, clean trace, start the command with Start-TracedProcess, or from another shell.");
            }
            else
                WriteError(TraceErrors.FromTraceException(new TraceException(TraceFailure.ProcessNotFound, pid.ToString(), $"No process with id {pid} exists.")));
        }
        if (ids.Count == 0)
            return null;
        return new TraceOptions { AttachProcessIds = ids, FollowForks = !NoFollow, Faults = Inject };
    }

    protected override void StopProcessing()
    {
        _stopping = true;
        _session?.Cancel();
    }

    public void Dispose() => _session?.Dispose();
}
