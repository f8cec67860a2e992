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
public sealed class TestSeccompFilterCommand : PSCmdlet
{
    private const string ByNameSet = "ByName";
    private const string ByEventSet = "ByEvent";

    private SeccompFilter? _compiledFrom;
    private CompiledSeccompFilter? _compiled;

    [Parameter(Mandatory = true, Position = 0)]
    public SeccompFilter Filter { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNameSet)]
    [ArgumentCompleter(typeof(SyscallNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Raw argument registers arg0..arg5 (numbers, 0x hex; -1 means 0xFFFFFFFFFFFFFFFF).</summary>
    [Parameter(Position = 2, ParameterSetName = ByNameSet)]
    [SeccompArgumentTransformation]
    [ValidateCount(0, 6)]
    [ValidateNotNull]
    public ulong[] Argument { get; set; } = Array.Empty<ulong>();

    /// <summary>The ABI the call comes through (x86_64, or i386 for int 0x80, or x32).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByNameSet)]
    public SyscallArchitecture Architecture { get; set; } = SyscallArchitecture.X86_64;

    /// <summary>Events of a trace: each SyscallEvent is tested with its own name, ABI and six
    /// argument registers; other events (signals, exits) are skipped.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByEventSet)]
    [TraceEventTransformation]
    public TraceEvent? InputObject { get; set; }

    private bool _warnedMissingArguments;

    protected override void ProcessRecord()
    {
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
        if (ParameterSetName == ByEventSet)
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
}
