using System.Collections;
using System.Management.Automation;
using PSSyscall.Engine.Sandbox;
using PSSyscall.Engine.Seccomp;
using PSSyscall.Completion;
using PSSyscall.Engine.Tracing;
using PSSyscall.Validation;

namespace PSSyscall.Commands;

/// <summary>
/// Invoke-Sandboxed: runs a command under a seccomp policy, namespaces, Landlock and resource
/// limits. The command's stdout comes out as lines, its stderr as information records tagged
/// StandardError (shown as host output; -ErrorAction does not apply to them, as to a native
/// command's stderr in pwsh 7.4+), every call the policy stops as a warning as it happens, and
/// -PassThru adds a SandboxResult at the end. Objects piped in are the command's stdin.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Sandboxed", DefaultParameterSetName = FilterSet, HelpUri = HelpLinks.Base + "Invoke-Sandboxed.md")]
[OutputType(typeof(string), typeof(SandboxResult))]
public sealed class InvokeSandboxedCommand : CommandLineCmdlet, IDisposable
{
    private const string FilterSet = "Filter";
    private const string ProfileSet = "Profile";

    private SandboxSession? _session;
    private bool _stopping;
    private readonly List<string> _inputLines = new();
    private bool _gotInput;

    /// <summary>The command to run: a path, or a name looked up in PATH.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PSSyscall.Completion.CommandNameCompleter))]
    public string FilePath { get; set; } = "";

    /// <summary>The command's arguments: everything after the command's name (this cmdlet's own
    /// parameters go before the name).</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public string[] ArgumentList { get; set; } = Array.Empty<string>();

    /// <summary>The seccomp policy (New-SeccompFilter, Import-SeccompProfile).</summary>
    [Parameter(ParameterSetName = FilterSet)]
    public SeccompFilter? Filter { get; set; }

    /// <summary>A seccomp profile in OCI or Docker JSON form.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ProfileSet)]
    [Alias("ProfilePath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Record what the policy would stop, but let every call run.</summary>
    [Parameter]
    public SwitchParameter AuditOnly { get; set; }

    /// <summary>A network namespace with only loopback, up.</summary>
    [Parameter]
    public SwitchParameter NoNetwork { get; set; }

    /// <summary>Namespaces to give the command: Pid, Ipc, Uts, Mount, User, Network.</summary>
    [Parameter]
    public SandboxIsolation[] Isolate { get; set; } = Array.Empty<SandboxIsolation>();

    /// <summary>The hostname inside (implies -Isolate Uts).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Hostname { get; set; }

    /// <summary>Landlock: paths the command may read. When any Landlock path is given, everything else is denied.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] ReadOnlyPath { get; set; } = Array.Empty<string>();

    /// <summary>Landlock: paths the command may read, write, create and delete in.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] ReadWritePath { get; set; } = Array.Empty<string>();

    /// <summary>Landlock: paths the command may read and execute from.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] ExecutablePath { get; set; } = Array.Empty<string>();

    /// <summary>Memory for the whole sandbox, in bytes (512MB works).</summary>
    [Parameter]
    [ValidateRange(1L << 20, long.MaxValue)]
    public long MaxMemory { get; set; }

    /// <summary>CPU time per process (whole seconds).</summary>
    [Parameter]
    [ValidatePositiveTimeSpan]
    public TimeSpan MaxCpuTime { get; set; }

    /// <summary>Processes and threads in the sandbox at once; binds root too.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MaxProcesses { get; set; }

    /// <summary>Open files per process (RLIMIT_NOFILE).</summary>
    [Parameter]
    [ValidateRange(3, int.MaxValue)]
    public int MaxOpenFiles { get; set; }

    /// <summary>Largest file a process may write, in bytes (RLIMIT_FSIZE).</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long MaxFileSize { get; set; }

    /// <summary>Wall-clock limit; when it passes the whole process tree is killed.</summary>
    [Parameter]
    [ValidatePositiveTimeSpan]
    public TimeSpan Timeout { get; set; }

    /// <summary>The command's working directory (default: the current location).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    /// <summary>Environment variables to set (or, with -ClearEnvironment, the whole environment).</summary>
    [Parameter]
    [EnvironmentTransformation]
    public Hashtable? Environment { get; set; }

    /// <summary>Start from an empty environment.</summary>
    [Parameter]
    public SwitchParameter ClearEnvironment { get; set; }

    /// <summary>In an interactive console, let stdout and stderr go straight to the terminal instead
    /// of the pipeline. Without a terminal (remoting, jobs, redirected hosts) they are captured anyway.</summary>
    [Parameter]
    public SwitchParameter NoCapture { get; set; }

    /// <summary>Objects piped in: the command's standard input, one line each (as for a native command).</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    [AllowEmptyString]
    public PSObject? InputObject { get; set; }

    /// <summary>The command reads its standard input from this file.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RedirectStandardInput { get; set; }

    /// <summary>The command writes its standard output to this file (created or replaced).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RedirectStandardOutput { get; set; }

    /// <summary>The command writes its standard error to this file (created or replaced).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RedirectStandardError { get; set; }

    /// <summary>Write a SandboxResult when the command has ended.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>The user the command runs as. Root's command runs as nobody (65534) unless this
    /// names a user; 0 keeps root, without capabilities. Others may name only themselves.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int UserId { get; set; }

    /// <summary>The group the command runs as (default: the -UserId, or nogroup for root).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int GroupId { get; set; }

    /// <summary>Capabilities the command keeps (CAP_NET_BIND_SERVICE...); every other one is dropped.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CapabilityNameCompleter))]
    public string[] Capability { get; set; } = Array.Empty<string>();

    /// <summary>Let the command use io_uring, whose operations do not pass through seccomp. By
    /// default it is denied whenever the policy stops anything or -NoNetwork is given.</summary>
    [Parameter]
    public SwitchParameter AllowIoUring { get; set; }

    /// <summary>Bind mounts, writable: 'PATH' (the same path inside) or 'SOURCE:TARGET'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Bind { get; set; } = Array.Empty<string>();

    /// <summary>Read-only bind mounts: 'PATH' or 'SOURCE:TARGET'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] ReadOnlyBind { get; set; } = Array.Empty<string>();

    /// <summary>Empty tmpfs directories, owned by the command's user (/tmp...).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Tmpfs { get; set; } = Array.Empty<string>();

    /// <summary>A minimal /dev: null, zero, full, random, urandom, tty, a private pts and shm.</summary>
    [Parameter]
    public SwitchParameter MinimalDev { get; set; }

    /// <summary>Every mount read-only, except -Bind, -Tmpfs, /dev with -MinimalDev and -ReadWritePath paths.</summary>
    [Parameter]
    public SwitchParameter ReadOnlyRoot { get; set; }

    /// <summary>Answers the calls the policy notifies (Notify rules) that no -NotifyRule matches:
    /// runs on the pipeline thread with the call (a SeccompNotification) as $args[0] and $_, and
    /// returns Allow, Log, Deny, an errno name (EACCES), Deny(EACCES), Return(N), or $true/$false.</summary>
    [Parameter]
    [ValidateNotNull]
    public ScriptBlock? NotifyHandler { get; set; }

    /// <summary>Rules for the notified calls, tried in order (hashtables convert:
    /// @{ Name = 'mkdir'; Action = 'Deny'; ErrorNumber = 'EACCES' }).</summary>
    [Parameter]
    [ValidateNotNull]
    public SeccompNotifyRule[] NotifyRule { get; set; } = Array.Empty<SeccompNotifyRule>();

    protected override void ProcessRecord()
    {
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
        using ProgramStreams? streams = OpenStreams();
        if (streams is null)
            return;
        SandboxOptions? options = BuildOptions(streams);
        if (options is null)
            return;
        DescribeSandbox(options);
        try
        {
            _session = SandboxSession.Start(options);
        }
        catch (SandboxException e)
        {
            ThrowTerminatingError(SandboxErrors.FromSandboxException(e));
            return;
        }
        streams.ChildStarted();
        if (_stopping)
            _session.Cancel();
        WriteVerbose($"Launched {options.FilePath} as process {_session.ProcessId} inside the sandbox.");
        string source = System.IO.Path.GetFileName(FilePath);
        foreach (string notice in _session.Notices)
            WriteWarning(notice);
        foreach (string note in _session.Notes)
            WriteVerbose(note); // also on the result (SandboxResult.Notes)

        foreach (SandboxMessage message in _session.ReadMessages())
        {
            switch (message.Kind)
            {
                case SandboxMessageKind.Output:
                    WriteObject(message.Text);
                    break;
                case SandboxMessageKind.Error:
                    StandardStreamChoice.WriteLine(this, new CapturedLine(true, message.Text ?? ""), source, show: true);
                    break;
                case SandboxMessageKind.Violation:
                    WriteWarning("seccomp: " + message.Violation);
                    break;
                case SandboxMessageKind.Notification:
                    Answer(message.Notification!);
                    break;
            }
        }

        SandboxResult result = _session.Result!;
        WriteVerbose($"The sandbox ended: {result}.");
        SessionState.PSVariable.Set("global:LASTEXITCODE", result.ExitCode);
        if (result.TimedOut)
            WriteWarning($"The command did not end within {Timeout}; its process tree was killed.");
        if (PassThru)
            WriteObject(result);
    }

    private bool _warnedUndecided;

    /// <summary>A notified call: a rule answered it already, or the handler answers it now, here on
    /// the pipeline thread. Logged calls become information records tagged SeccompNotification.</summary>
    private void Answer(SeccompNotification call)
    {
        if (call.Response.Length == 0)
        {
            SeccompNotifyResponse response = RunHandler(call);
            call.DecidedBy = "handler";
            _session!.Respond(call, response);
        }
        WriteVerbose($"seccomp notify: {call} ({call.DecidedBy})");
        if (call.Logged)
            WriteInformation(new InformationRecord(call, "Invoke-Sandboxed") { Tags = { "SeccompNotification" } });
    }

    private SeccompNotifyResponse RunHandler(SeccompNotification call)
    {
        System.Collections.ObjectModel.Collection<PSObject> output;
        try
        {
            output = NotifyHandler!.InvokeWithContext(null, new List<PSVariable> { new("_", call) }, call);
        }
        catch (Exception e) when (e is RuntimeException or ArgumentException or InvalidOperationException)
        {
            var error = new ErrorRecord(e, "NotifyHandlerFailed", ErrorCategory.InvalidOperation, call)
            {
                ErrorDetails = new ErrorDetails($"-NotifyHandler failed on {call}: {e.Message} The call fails with EPERM."),
            };
            WriteError(error);
            return SeccompNotifyResponse.Errno(1);
        }
        for (int i = output.Count - 1; i >= 0; i--)
        {
            if (NotifyDecision.TryConvert(output[i], out SeccompNotifyResponse response))
                return response;
        }
        if (!_warnedUndecided)
        {
            _warnedUndecided = true;
            string got = output.Count == 0 ? "nothing" : $"'{output[^1]}'";
            WriteWarning($"-NotifyHandler returned {got} for {call.Name}, which is no answer: such calls fail with EPERM. Return Allow, Log, Deny, an errno name (EACCES), Deny(EACCES), Return(N), or $true/$false.");
        }
        return SeccompNotifyResponse.Errno(1);
    }

    /// <summary>stdin and any redirected stream (the rule in <see cref="StandardStreamChoice"/>);
    /// captured streams are the session's own pipes.</summary>
    private ProgramStreams? OpenStreams()
    {
        StreamSpec output = StandardStreamChoice.Output(this, RedirectStandardOutput, 1, capture: !NoCapture);
        StreamSpec error = StandardStreamChoice.Output(this, RedirectStandardError, 2, capture: !NoCapture);
        try
        {
            return ProgramStreams.Open(
                StandardStreamChoice.Input(this, RedirectStandardInput, _gotInput ? _inputLines : null),
                output.Target == StreamTarget.File ? output : StreamSpec.Inherit,
                error.Target == StreamTarget.File ? error : StreamSpec.Inherit);
        }
        catch (TraceException e)
        {
            ThrowTerminatingError(TraceErrors.FromTraceException(e));
            return null;
        }
    }

    private SandboxOptions? BuildOptions(ProgramStreams streams)
    {
        if (TraceErrors.ResolveCommand(this, FilePath) is not (string path, string cwd))
            return null;
        string workingDirectory = WorkingDirectory is null ? cwd : Resolve(WorkingDirectory);

        byte[]? program = null;
        string? listenerPath = null, listenerMetadata = null;
        try
        {
            CompiledSeccompFilter? compiled = null;
            if (UsesProfile && ReadRawProgram(Resolve(Path)) is byte[] raw)
                program = raw;
            else
                compiled = UsesProfile ? SeccompPolicyCache.FromProfile(Resolve(Path))
                    : Filter is not null ? SeccompPolicyCache.FromFilter(Filter) : null;
            if (UsesProfile && compiled is not null)
                (listenerPath, listenerMetadata) = ListenerSettings(Resolve(Path), compiled);
            if (compiled is not null && (NotifyHandler is not null || NotifyRule.Length > 0) && !compiled.UsesNotify)
                WriteWarning("The policy notifies no call (it has no Notify rule): -NotifyHandler and -NotifyRule will not be asked. New-SeccompRule -Action Notify, or New-SeccompFilter -DefaultAction Notify, sends calls to them.");
            // A filter for another machine (aarch64, s390x ...) would kill the command's first call here.
            if (compiled is not null && !compiled.Source.Architectures.Any(a => Engine.Syscalls.ArchitectureInfo.Get(a).IsNative))
                throw new SeccompException("ForeignArchitecture",
                    $"The policy is for {string.Join(", ", compiled.Source.Architectures)}, not this machine (X86_64, I386, X32): every call of the command would get its bad-architecture action. Export it for that machine (Export-SeccompFilter), or build it with -Architecture X86_64.",
                    string.Join(",", compiled.Source.Architectures));
            if (compiled is not null)
            {
                foreach (string name in compiled.UnsupportedNames)
                    WriteVerbose($"The policy names '{name}', which libseccomp cannot place on every ABI; calls to it there get the default action.");
                program = compiled.Program;
            }
        }
        catch (SeccompException e)
        {
            var record = new ErrorRecord(e, e.ErrorId, ErrorCategory.InvalidData, e.Target ?? (UsesProfile ? Path : Filter));
            record.ErrorDetails = new ErrorDetails(e.Message);
            ThrowTerminatingError(record);
            return null;
        }

        if (listenerPath is not null && (NotifyHandler is not null || NotifyRule.Length > 0 || AuditOnly))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("A profile with a listenerPath hands its notifications to the agent there."), "ListenerPathConflict", ErrorCategory.InvalidArgument, Path)
            {
                ErrorDetails = new ErrorDetails($"The profile's listenerPath '{listenerPath}' gives the seccomp listener to the agent there, which then answers every notification: -NotifyHandler, -NotifyRule and -AuditOnly (which need the listener) cannot be used with it. Remove listenerPath from the profile to answer the calls here."),
            });
            return null;
        }
        if ((NotifyHandler is not null || NotifyRule.Length > 0) && program is null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-NotifyHandler and -NotifyRule need a policy."), "NotifyWithoutPolicy", ErrorCategory.InvalidArgument, null)
            {
                ErrorDetails = new ErrorDetails("-NotifyHandler and -NotifyRule answer the calls a seccomp policy notifies: give -Filter (with Notify rules) or -Path."),
            });
            return null;
        }
        foreach (SeccompNotifyRule rule in NotifyRule)
        {
            try
            {
                rule.Validate();
            }
            catch (SeccompException e)
            {
                ThrowTerminatingError(SeccompErrors.From(e, rule));
                return null;
            }
        }

        SandboxIsolation isolation = SandboxIsolation.None;
        foreach (SandboxIsolation i in Isolate)
            isolation |= i;
        if (NoNetwork)
            isolation |= SandboxIsolation.Network;

        return new SandboxOptions
        {
            FilePath = path,
            ArgumentZero = FilePath,
            Arguments = ArgumentList ?? Array.Empty<string>(),
            Environment = BuildEnvironment(workingDirectory),
            WorkingDirectory = workingDirectory,
            SeccompProgram = program,
            AuditOnly = AuditOnly,
            Isolation = isolation,
            Hostname = Hostname,
            ReadOnlyPaths = ReadOnlyPath.Select(Resolve).ToArray(),
            ReadWritePaths = ReadWritePath.Select(Resolve).ToArray(),
            ExecutablePaths = ExecutablePath.Select(Resolve).ToArray(),
            MaxMemory = Bound(nameof(MaxMemory)) ? MaxMemory : null,
            MaxCpuTime = Bound(nameof(MaxCpuTime)) ? MaxCpuTime : null,
            MaxProcesses = Bound(nameof(MaxProcesses)) ? MaxProcesses : null,
            MaxOpenFiles = Bound(nameof(MaxOpenFiles)) ? MaxOpenFiles : null,
            MaxFileSize = Bound(nameof(MaxFileSize)) ? MaxFileSize : null,
            Timeout = Bound(nameof(Timeout)) ? Timeout : null,
            // Captured unless -NoCapture in a console whose streams are terminals.
            CaptureOutput = !NoCapture || !StandardStreamChoice.HostTerminal(this, 1) || !StandardStreamChoice.HostTerminal(this, 2),
            // PeakMemory is shown only with -PassThru: without it, no cgroup is made unless a
            // limit needs one, which saves the start an RCU grace period.
            MeasurePeakMemory = PassThru,
            StandardInput = streams.Input,
            StandardOutput = streams.Output,
            StandardError = streams.Error,
            UserId = Bound(nameof(UserId)) ? UserId : null,
            GroupId = Bound(nameof(GroupId)) ? GroupId : null,
            Capabilities = ValidCapabilities(),
            AllowIoUring = AllowIoUring,
            Binds = Bind.Select(b => ParseBind(b, readOnly: false)).Concat(ReadOnlyBind.Select(b => ParseBind(b, readOnly: true))).ToArray(),
            TmpfsPaths = Tmpfs.Select(Resolve).ToArray(),
            MinimalDev = MinimalDev,
            ReadOnlyRoot = ReadOnlyRoot,
            NotifyRules = NotifyRule.ToArray(),
            NotifyHandler = NotifyHandler is not null,
            ListenerPath = listenerPath,
            ListenerMetadata = listenerMetadata,
        };
    }

    /// <summary>-Path naming a raw BPF program (what Export-SeccompFilter -Format Bpf writes) gives
    /// the program as it is; a JSON profile gives null (it is compiled). Only regular files are
    /// looked at first: a FIFO is read once, as a profile.</summary>
    private byte[]? ReadRawProgram(string file)
    {
        var info = new FileInfo(file);
        if (!info.Exists || info.Length == 0 || info.Length > SeccompFilterFile.MaxProgramBytes)
            return null;
        var (bytes, format) = SeccompFilterFile.Read(file);
        if (format != SeccompFileFormat.Bpf)
            return null;
        WriteVerbose($"{file} is a raw BPF program of {bytes.Length / 8} instructions: installed as it is.");
        return SeccompBpfProgram.FromBytes(bytes, file).Program;
    }

    /// <summary>The profile's listenerPath and listenerMetadata (OCI), used only when the profile
    /// notifies some call, as the runtime spec says.</summary>
    private (string?, string?) ListenerSettings(string file, CompiledSeccompFilter compiled)
    {
        var info = new FileInfo(file);
        if (!info.Exists || info.Length == 0 || info.Length > SeccompProfile.MaxProfileBytes)
            return (null, null);
        var (path, metadata) = OciSeccompListener.ReadSettings(File.ReadAllText(file));
        if (path is null)
            return (null, null);
        if (!compiled.UsesNotify)
        {
            WriteVerbose($"The profile names listenerPath '{path}' but notifies no call (no SCMP_ACT_NOTIFY): nothing is sent there.");
            return (null, null);
        }
        WriteVerbose($"The profile's listenerPath: the seccomp listener and the container state go to '{path}' before the command runs.");
        return (Resolve(path), metadata);
    }

    private string[] ValidCapabilities()
    {
        foreach (string name in Capability)
        {
            if (LinuxCapabilities.Number(name) < 0)
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{name}' is not a Linux capability."), "UnknownCapability", ErrorCategory.InvalidArgument, name)
                {
                    ErrorDetails = new ErrorDetails($"'{name}' is not a Linux capability. Known: {string.Join(", ", LinuxCapabilities.Names)}."),
                });
        }
        return Capability;
    }

    /// <summary>'PATH' (the same path inside) or 'SOURCE:TARGET'; the source must exist.</summary>
    private SandboxBind ParseBind(string text, bool readOnly)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string source = Resolve(colon < 0 ? text : text[..colon]);
        string target = colon < 0 ? source : text[(colon + 1)..];
        if (!System.IO.Path.Exists(source) || target.Length == 0 || !target.StartsWith('/'))
        {
            string reason = !System.IO.Path.Exists(source) ? $"the source '{source}' does not exist" : $"the target '{target}' is not an absolute path";
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(reason), "InvalidBind", ErrorCategory.InvalidArgument, text)
            {
                ErrorDetails = new ErrorDetails($"Cannot bind '{text}': {reason}. Give 'PATH' or 'SOURCE:TARGET' with an existing source and an absolute target."),
            });
        }
        return new SandboxBind(source, target, readOnly);
    }

    /// <summary>-Verbose: each stage the child goes through before exec, in the shim's order.</summary>
    private void DescribeSandbox(SandboxOptions options)
    {
        WriteVerbose($"Resolved '{FilePath}' to {options.FilePath}; working directory {options.WorkingDirectory}.");
        if (options.Isolation != SandboxIsolation.None)
            WriteVerbose($"Namespaces: new {options.Isolation} namespace(s){(options.Hostname is null ? "" : $", hostname '{options.Hostname}'")}.");
        var limits = new[] { ("memory", options.MaxMemory?.ToString()), ("CPU time", options.MaxCpuTime?.ToString()), ("processes", options.MaxProcesses?.ToString()),
            ("open files", options.MaxOpenFiles?.ToString()), ("file size", options.MaxFileSize?.ToString()), ("timeout", options.Timeout?.ToString()) }
            .Where(l => l.Item2 is not null).Select(l => $"{l.Item1} {l.Item2}").ToArray();
        if (limits.Length > 0)
            WriteVerbose($"Limits: {string.Join(", ", limits)}.");
        int landlock = options.ReadOnlyPaths.Count + options.ReadWritePaths.Count + options.ExecutablePaths.Count;
        if (landlock > 0)
            WriteVerbose($"Landlock: the command may read {Paths(options.ReadOnlyPaths)}, read and write {Paths(options.ReadWritePaths)}, execute {Paths(options.ExecutablePaths)}; nothing else of the file system.");
        if (options.SeccompProgram is byte[] program)
            WriteVerbose($"seccomp: a filter of {program.Length / 8} BPF instructions is installed just before exec{(options.AuditOnly ? ", auditing only (calls it would stop are reported, then allowed)" : "")}.");

        static string Paths(IReadOnlyCollection<string> paths) => paths.Count == 0 ? "nothing more" : string.Join(", ", paths);
    }

    private bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

    /// <summary>The Profile set, judged after the command's own -Path went back to it
    /// (Invoke-Sandboxed ls -Path x: x is ls's, and no profile was given).</summary>
    private bool UsesProfile => Bound(nameof(Path));

    private string Resolve(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>The environment Start-TracedProcess gives a command (this process's, with PWD set to
    /// where the command starts), so that a policy learned from a trace holds here; -Environment
    /// changes it, -ClearEnvironment starts from nothing.</summary>
    private Dictionary<string, string> BuildEnvironment(string workingDirectory)
        => EnvironmentParameter.Build(this, Environment, ClearEnvironment, workingDirectory);

    protected override void StopProcessing()
    {
        _stopping = true;
        _session?.Cancel();
    }

    public void Dispose() => _session?.Dispose();
}
