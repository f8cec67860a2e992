using System.Management.Automation;
using PSSyscall.Completion;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Commands;

/// <summary>
/// Test-SeccompFilter: what the kernel would do with a call under a filter, computed by running
/// the compiled BPF in the engine's interpreter on the seccomp_data the kernel would build. Nothing
/// is run.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SeccompFilter", DefaultParameterSetName = ByEventSet, HelpUri = HelpLinks.Base + "Test-SeccompFilter.md")]
[OutputType(typeof(SeccompTestResult))]
public sealed class TestSeccompFilterCommand : PSCmdlet, IDisposable
{
    private const string ByNameSet = "ByName";
    private const string ByEventSet = "ByEvent";
    private const string ProgramByNameSet = "ProgramByName";
    private const string ProgramByEventSet = "ProgramByEvent";
    private const string PathByNameSet = "PathByName";
    private const string PathByEventSet = "PathByEvent";

    private SeccompFilter? _compiledFrom;
    private CompiledSeccompFilter? _compiled;
    private IReadOnlyList<SeccompBpfProgram>? _programs;
    private readonly CancellationTokenSource _stop = new();

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByNameSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByEventSet)]
    public SeccompFilter Filter { get; set; } = null!;

    /// <summary>BPF programs (Get-SeccompFilter): several are one thread's stack of filters,
    /// combined as the kernel combines them (the most restrictive verdict wins). Piped in (with
    /// -Name), all the programs piped are one stack, judged when the input ends.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ProgramByNameSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ProgramByEventSet)]
    [SeccompBpfProgramTransformation]
    [ValidateNotNullOrEmpty]
    public SeccompBpfProgram[] Program { get; set; } = Array.Empty<SeccompBpfProgram>();

    /// <summary>A filter file: an OCI/Docker JSON profile or a raw BPF program, told apart by content.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathByNameSet)]
    [Parameter(Mandatory = true, ParameterSetName = PathByEventSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNameSet)]
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ProgramByNameSet)]
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = PathByNameSet)]
    [ArgumentCompleter(typeof(SyscallNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Raw argument registers arg0..arg5 (numbers, 0x hex; -1 means 0xFFFFFFFFFFFFFFFF).</summary>
    [Parameter(Position = 2, ParameterSetName = ByNameSet)]
    [Parameter(Position = 2, ParameterSetName = ProgramByNameSet)]
    [Parameter(Position = 2, ParameterSetName = PathByNameSet)]
    [SeccompArgumentTransformation]
    [ValidateCount(0, 6)]
    [ValidateNotNull]
    public ulong[] Argument { get; set; } = Array.Empty<ulong>();

    /// <summary>The ABI the call comes through (x86_64, or i386 for int 0x80, or x32).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByNameSet)]
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ProgramByNameSet)]
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = PathByNameSet)]
    public SyscallArchitecture Architecture { get; set; } = SyscallArchitecture.X86_64;

    /// <summary>Events of a trace: each SyscallEvent is tested with its own name, ABI and six
    /// argument registers; other events (signals, exits) are skipped.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByEventSet)]
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ProgramByEventSet)]
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PathByEventSet)]
    [TraceEventTransformation]
    public TraceEvent? InputObject { get; set; }

    private bool _warnedMissingArguments;

    protected override void BeginProcessing()
    {
        // By the bound parameters: with pipeline input the set (ByName or ByEvent) is not decided yet.
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Path)))
            LoadPath();
        else if (MyInvocation.BoundParameters.ContainsKey(nameof(Program)))
        {
            _programs = Program;
            WriteVerbose(Program.Length == 1
                ? $"Evaluating calls with the BPF program of {Program[0].Source} ({Program[0].InstructionCount} instructions)."
                : $"Evaluating calls with {Program.Length} BPF programs combined as the kernel combines a thread's filters (the most restrictive verdict wins).");
        }
    }

    /// <summary>-Path: a JSON profile becomes a SeccompFilter (compiled as -Filter is), a BPF file a program.</summary>
    private void LoadPath()
    {
        string file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        try
        {
            var (bytes, format) = SeccompFilterFile.Read(file, _stop.Token);
            if (format == SeccompFileFormat.Json)
            {
                WriteVerbose($"{file} is a JSON seccomp profile.");
                Filter = SeccompProfile.Parse(SeccompFilterFile.Text(bytes), file);
            }
            else
            {
                SeccompBpfProgram program = SeccompBpfProgram.FromBytes(bytes, file);
                program.Path = file;
                _programs = new[] { program };
                WriteVerbose($"{file} is a BPF program of {program.InstructionCount} instructions.");
            }
        }
        catch (SeccompException e)
        {
            ThrowTerminatingError(SeccompErrors.From(e, file));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    protected override void EndProcessing()
    {
        if (_piped is { Count: > 0 })
        {
            WriteVerbose(_piped.Count == 1
                ? $"Evaluating calls with the BPF program of {_piped[0].Source} ({_piped[0].InstructionCount} instructions)."
                : $"Evaluating calls with the {_piped.Count} BPF programs piped in, combined as the kernel combines a thread's filters (the most restrictive verdict wins).");
            ProcessWithPrograms(_piped);
        }
    }

    protected override void StopProcessing() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();

    private List<SeccompBpfProgram>? _piped;

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ProgramByNameSet && _programs is null)
        {
            // Programs from the pipeline: one stack, judged at the end.
            (_piped ??= new List<SeccompBpfProgram>()).AddRange(Program);
            return;
        }
        if (_programs is not null)
        {
            ProcessWithPrograms(_programs);
            return;
        }
        if (!ReferenceEquals(_compiledFrom, Filter))
        {
            try
            {
                _compiled = Filter.Compile();
                _compiledFrom = Filter;
                WriteVerbose($"Compiled the filter with libseccomp: {_compiled.Program.Length / 8} BPF instructions; each call is run through them by the emulator.");
            }
            catch (SeccompException e)
            {
                ThrowTerminatingError(SeccompErrors.From(e, Filter));
                return;
            }
        }
        if (ParameterSetName is ByEventSet or PathByEventSet)
        {
            if (InputObject is not SyscallEvent e)
                return;
            if (!e.RawArgumentsKnown && !_warnedMissingArguments && Filter.Rules.Any(r => r.Conditions.Count > 0))
            {
                _warnedMissingArguments = true;
                WriteWarning($"Some events lack the raw argument values (Argument0 to Argument5), for example {e.Name} of process {e.ProcessId}, but the filter has rules on argument values: those events are judged as if every argument were 0. Keep the Argument properties when you select, export or send events.");
            }
            try
            {
                var args = new[] { e.Argument0, e.Argument1, e.Argument2, e.Argument3, e.Argument4, e.Argument5 };
                WriteObject(SeccompEmulator.Evaluate(_compiled!, e.Architecture, e.Number, args));
            }
            catch (SeccompException x)
            {
                WriteError(SeccompErrors.From(x, e));
            }
            return;
        }
        foreach (string name in Name)
        {
            try
            {
                WriteObject(_compiled!.Evaluate(name, Architecture, Argument));
            }
            catch (SeccompException e)
            {
                WriteError(SeccompErrors.From(e, name));
            }
        }
    }

    private void ProcessWithPrograms(IReadOnlyList<SeccompBpfProgram> programs)
    {
        if (ParameterSetName is ProgramByEventSet or PathByEventSet)
        {
            if (InputObject is not SyscallEvent e)
                return;
            if (!e.RawArgumentsKnown && !_warnedMissingArguments && programs.Any(p => p.ReadsArguments))
            {
                _warnedMissingArguments = true;
                WriteWarning($"Some events lack the raw argument values (Argument0 to Argument5), for example {e.Name} of process {e.ProcessId}, but the program reads argument values: those events are judged as if every argument were 0. Keep the Argument properties when you select, export or send events.");
            }
            try
            {
                var args = new[] { e.Argument0, e.Argument1, e.Argument2, e.Argument3, e.Argument4, e.Argument5 };
                WriteObject(SeccompBpfEvaluator.Evaluate(programs, e.Architecture, e.Number, args));
            }
            catch (SeccompException x)
            {
                WriteError(SeccompErrors.From(x, e));
            }
            return;
        }
        foreach (string name in Name)
        {
            try
            {
                WriteObject(SeccompBpfEvaluator.Evaluate(programs, name, Architecture, Argument));
            }
            catch (SeccompException e)
            {
                WriteError(SeccompErrors.From(e, name));
            }
        }
    }
}
