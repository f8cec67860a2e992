using System.Management.Automation;
using PSSyscall.Completion;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Commands;

/// <summary>
/// New-SeccompFilter: builds a seccomp policy from name lists and groups, rule objects, an
/// OCI/Docker profile, or the syscalls of a trace piped in (learning), and checks that it compiles.
/// </summary>
[Cmdlet(VerbsCommon.New, "SeccompFilter", HelpUri = HelpLinks.Base + "New-SeccompFilter.md")]
[OutputType(typeof(SeccompFilter))]
public sealed class NewSeccompFilterCommand : PSCmdlet, IDisposable
{
    private readonly SeccompLearner _learner = new();
    private readonly CancellationTokenSource _stop = new();
    private bool _learned;

    /// <summary>What happens to calls no rule matches: Allow, Errno, Errno(EACCES), KillProcess,
    /// KillThread, Trap, Log, Trace, Notify.</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(SeccompActionCompleter))]
    [ValidateNotNullOrEmpty]
    public string? DefaultAction { get; set; }

    /// <summary>The errno for an Errno default action and for -Deny (name or number; EPERM if not given).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Validation.ValidateErrnoName]
    [ArgumentCompleter(typeof(ErrnoNameCompleter))]
    public string? ErrorNumber { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(SeccompGroupCompleter))]
    [ValidateNotNull]
    [Validation.ValidateNoEmptyElement]
    public string[] Allow { get; set; } = Array.Empty<string>();

    [Parameter]
    [ArgumentCompleter(typeof(SeccompGroupCompleter))]
    [ValidateNotNull]
    [Validation.ValidateNoEmptyElement]
    public string[] Deny { get; set; } = Array.Empty<string>();

    [Parameter]
    [ArgumentCompleter(typeof(SeccompGroupCompleter))]
    [ValidateNotNull]
    [Validation.ValidateNoEmptyElement]
    public string[] Kill { get; set; } = Array.Empty<string>();

    [Parameter]
    [ArgumentCompleter(typeof(SeccompGroupCompleter))]
    [ValidateNotNull]
    [Validation.ValidateNoEmptyElement]
    public string[] Log { get; set; } = Array.Empty<string>();

    [Parameter]
    [ArgumentCompleter(typeof(SeccompGroupCompleter))]
    [ValidateNotNull]
    [Validation.ValidateNoEmptyElement]
    public string[] Trace { get; set; } = Array.Empty<string>();

    /// <summary>Groups to allow (@system-service ...): the same as naming them in -Allow.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(SeccompGroupCompleter))]
    [ValidateNotNull]
    [Validation.ValidateNoEmptyElement]
    public string[] Group { get; set; } = Array.Empty<string>();

    /// <summary>Rules from New-SeccompRule, applied after the name lists.</summary>
    [Parameter]
    [ValidateNotNull]
    public SeccompRule[] Rule { get; set; } = Array.Empty<SeccompRule>();

    /// <summary>An OCI runtime-spec, Docker or Podman seccomp profile (JSON) to start from, kept as
    /// written (archMap, includes/excludes, listener fields): Resolve-SeccompFilter or -Capability
    /// resolves it for a host; compiling resolves it for this machine.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>With -Path: resolve the profile for this machine with these capabilities (as
    /// Resolve-SeccompFilter -Capability; 'ALL' for all). Without it the profile is kept as written.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Validation.ValidateCapabilityName]
    [ArgumentCompleter(typeof(CapabilityNameCompleter))]
    public string[]? Capability { get; set; }

    /// <summary>The ABIs the policy admits; calls through any other are killed. Default x86_64
    /// (plus the profile's, or the ABIs a learnt trace used).</summary>
    [Parameter]
    public SyscallArchitecture[]? Architecture { get; set; }

    [Parameter]
    public SeccompFilterFlags Flag { get; set; }

    /// <summary>Compile the syscall checks as a binary tree (fewer instructions per call for long lists).</summary>
    [Parameter]
    public SwitchParameter BinaryTree { get; set; }

    /// <summary>Objects from a trace (SyscallEvents) or plain names to learn an allowlist from.
    /// Events that are not syscalls (signals, exits) are ignored.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Syscall names to allow, by pipeline property (the Name of SyscallEvents).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SyscallNameCompleter))]
    public string[]? Name { get; set; }

    private long _learnedEvents;
    private ProgressReporter? _progressBar;
    private ProgressReporter Progress => _progressBar ??= new ProgressReporter(this, 1, "New-SeccompFilter");

    protected override void ProcessRecord()
    {
        object? item = InputObject?.BaseObject;
        try
        {
            switch (item)
            {
                case SyscallEvent e:
                    _learner.Observe(e);
                    _learned = true;
                    _learnedEvents++;
                    if (Progress.Due)
                        Progress.Report($"Learning from the trace: {_learnedEvents} calls read");
                    break;
                case TraceEvent:
                    break;   // signals and process exits say nothing about syscalls
                case string s when Name is null:
                    _learner.Observe(s);
                    _learned = true;
                    break;
                case PSObject or not null when TraceEventTransformationAttribute.TryConvert(InputObject, out TraceEvent? rebuilt, out _):
                    // An event that went through remoting, a job, Clixml, CSV or JSON.
                    if (rebuilt is SyscallEvent syscall)
                    {
                        _learner.Observe(syscall);
                        _learned = true;
                    }
                    break;
                default:
                    if (Name is not null)
                    {
                        foreach (string n in Name)
                            _learner.Observe(n);
                        _learned = true;
                    }
                    break;
            }
        }
        catch (SeccompException e)
        {
            WriteError(SeccompErrors.From(e, item));
        }
        finally
        {
            Name = null;
        }
    }

    protected override void EndProcessing()
    {
        // Learning never fails open: a pipeline that delivered no syscall (a missing file, a
        // failed trace, a filter upstream that matched nothing) would otherwise give a filter
        // whose default is Allow.
        if (MyInvocation.ExpectingInput && !_learned)
        {
            var error = new ErrorRecord(new InvalidOperationException("No syscall events to learn from."), "NoSyscallEventsToLearn",
                ErrorCategory.InvalidData, null)
            {
                ErrorDetails = new ErrorDetails(
                    "New-SeccompFilter received no syscall events (or names) from the pipeline: a filter learned from nothing would allow every call. "
                    + "Check the input (the trace file, the command traced, the filters before this one), or build the filter from parameters without pipeline input."),
            };
            ThrowTerminatingError(error);
            return;
        }
        if (_learnedEvents > 0)
            WriteVerbose($"Learned from {_learnedEvents} calls of the trace.");
        SeccompFilter filter;
        try
        {
            filter = Build();
        }
        catch (SeccompException e)
        {
            ThrowTerminatingError(SeccompErrors.From(e));
            return;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return; // Ctrl+C while -Path waited on a FIFO or device
        }

        // A name no admitted ABI has compiles to nothing: say so (mmap2 on an x86_64-only filter).
        foreach (string name in Allow.Concat(Deny).Concat(Kill).Concat(Log).Concat(Trace).Distinct())
        {
            if (!Engine.Syscalls.SyscallGroups.IsGroupName(name) && Engine.Syscalls.SyscallNameMatcher.IsKnownSyscall(name)
                && !filter.Architectures.Any(a => Engine.Syscalls.SyscallTable.For(a).TryGetNumber(name, out _)))
                WriteWarning($"'{name}' is not a syscall of {string.Join(" or ", filter.Architectures)}: its rule does nothing unless -Architecture admits an ABI that has it.");
        }

        WriteVerbose($"Compiling {filter.RuleCount} rules ({filter.Summary}) for {string.Join(", ", filter.Architectures)} with libseccomp.");
        // One libseccomp call, which for a long allowlist (groups, profiles) over several ABIs takes a
        // moment: say what runs. A handful of names compiles at once, with no bar to flash.
        if (filter.Rules.Sum(r => r.Names.Count) >= 50 || filter.Rules.Any(r => r.Names.Any(n => n.StartsWith('@'))))
            Progress.Report($"Compiling {filter.RuleCount} rules with libseccomp", -1);
        try
        {
            CompiledSeccompFilter compiled = filter.Compile();
            foreach (string warning in compiled.Warnings)
                WriteWarning(warning);
            if (compiled.ResolvedFor is string host)
                WriteVerbose($"The profile is portable and kept as written; compiled as resolved for {host} (Resolve-SeccompFilter chooses another host).");
            WriteVerbose($"The filter compiles to {compiled.InstructionCount} BPF instructions.");
        }
        catch (SeccompException e)
        {
            Progress.Complete();
            ThrowTerminatingError(SeccompErrors.From(e, filter));
            return;
        }
        Progress.Complete();
        WriteObject(filter);
    }

    protected override void StopProcessing() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();

    private SeccompFilter Build()
    {
        if (Path is not null && SeccompFilterFile.IsBpfProgramFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path)))
            throw new SeccompException("BpfProgramNotAProfile",
                $"'{Path}' is a raw seccomp BPF program, not a JSON profile: a program does not turn back into rules. Read it with Get-SeccompFilter, test it with Test-SeccompFilter -Path, or run a command under it with Invoke-Sandboxed -Path.", Path);
        SeccompFilter filter = Path is not null
            ? SeccompProfile.Load(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path), Capability, _stop.Token)
            : new SeccompFilter();

        int errno = ErrorNumber is null ? SeccompAction.DefaultErrno : SeccompErrors.ParseErrno(ErrorNumber);
        // -Group takes group names with or without the @.
        string[] groups = Group.Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g.Trim().StartsWith('@') ? g.Trim() : "@" + g.Trim()).ToArray();
        foreach (string[] list in new[] { Allow, Deny, Kill, Log, Trace, groups })
            SeccompErrors.ValidateNames(list);
        foreach (SeccompRule r in Rule)
            SeccompErrors.ValidateNames(r.Names);

        if (_learned)
            _learner.ApplyTo(filter);
        AddRule(filter, groups, SeccompAction.Allow);
        AddRule(filter, Allow, SeccompAction.Allow);
        AddRule(filter, Log, SeccompAction.Log);
        AddRule(filter, Trace, SeccompAction.Trace(0));
        AddRule(filter, Deny, SeccompAction.Errno(errno));
        AddRule(filter, Kill, SeccompAction.KillProcess);
        filter.Rules.AddRange(Rule.Where(r => r is not null).Select(r => r.Copy()));

        if (DefaultAction is not null)
            filter.DefaultAction = SeccompErrors.ParseAction(DefaultAction, ErrorNumber);
        else if (Path is null)
            filter.DefaultAction = filter.Rules.Any(r => r.Action.Kind is SeccompActionKind.Allow or SeccompActionKind.Log)
                ? SeccompAction.Errno(errno)
                : SeccompAction.Allow;

        if (Architecture is { Length: > 0 })
        {
            filter.Architectures = Architecture.Distinct().ToList();
            filter.ArchitectureMap = null;   // the ABIs named here replace a profile's archMap
        }
        filter.Flags |= Flag;
        if (BinaryTree)
            filter.BinaryTree = true;
        return filter;
    }

    private static void AddRule(SeccompFilter filter, IEnumerable<string> names, SeccompAction action)
    {
        var list = names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).ToList();
        if (list.Count > 0)
            filter.Rules.Add(new SeccompRule(list, action));
    }
}
