using System.Management.Automation;
using PSSyscall.Engine.Tracing.Faults;

namespace PSSyscall.Commands;

/// <summary>
/// New-SyscallFault: describes a fault to inject while tracing (Start-TracedProcess -Inject), as
/// strace --inject does: which calls, when, and what happens to them.
/// </summary>
[Cmdlet(VerbsCommon.New, "SyscallFault", HelpUri = HelpLinks.Base + "New-SyscallFault.md")]
[OutputType(typeof(SyscallFault))]
public sealed class NewSyscallFaultCommand : PSCmdlet
{
    /// <summary>Syscall names, wildcards (open*) and classes (%file).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PSSyscall.Completion.FaultNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Skip the call and fail it with this errno (ENOSPC, or a number 1..4095).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PSSyscall.Completion.ErrnoNameCompleter))]
    [ValidateNotNullOrEmpty]
    [Validation.ValidateErrnoName]
    public string? Errno { get; set; }

    /// <summary>Skip the call and return this value.</summary>
    [Parameter]
    public long ReturnValue { get; set; }

    /// <summary>Deliver this signal when the call is entered (SIGSEGV, SEGV or a number).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PSSyscall.Completion.SignalNameCompleter))]
    [ValidateNotNullOrEmpty]
    [Validation.ValidateSignalName]
    public string? Signal { get; set; }

    /// <summary>Hold the thread this long before the call runs ("200ms", "1.5s" or a TimeSpan).</summary>
    [Parameter]
    [DelayTransformation]
    public TimeSpan DelayEntry { get; set; }

    /// <summary>Hold the thread this long after the call, before it sees the result.</summary>
    [Parameter]
    [DelayTransformation]
    public TimeSpan DelayExit { get; set; }

    /// <summary>Which matching calls are hit: first[..last][+[step]] (3, 2.., 2+, 1..10+2).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PSSyscall.Completion.NoFileCompleter))]
    public string? Occurrence { get; set; }

    /// <summary>The chance (0..1) that a call the occurrence selects is hit.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Probability { get; set; } = 1.0;

    /// <summary>Seed for -Probability's draws: the same seed hits the same calls on every run.</summary>
    [Parameter]
    public int Seed { get; set; }

    /// <summary>Only calls whose path argument, or the path of whose descriptor argument, matches
    /// this wildcard (case-sensitive, as Linux paths are).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Validation.ValidateWildcard]
    public string? PathLike { get; set; }

    /// <summary>Only calls made by this process.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    [ArgumentCompleter(typeof(PSSyscall.Completion.ProcessIdCompleter))]
    public int ProcessId { get; set; }

    /// <summary>strace's syscall=: with -Errno or -ReturnValue, the kernel runs this side-effect-free
    /// call (class Pure: getpid, getuid, gettid...) with the same arguments instead of nothing,
    /// and the fault's result then replaces its result.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PSSyscall.Completion.SyscallNameCompleter))]
    public string? SubstituteSyscall { get; set; }

    /// <summary>strace's poke_enter=: bytes to write into the tracee's memory, at the address an
    /// argument holds, when the call is entered: '@arg2=4142' (strace's form, comma-separated for
    /// several) or @{ 2 = '4142' } (argument number to hex string or byte array).</summary>
    [Parameter]
    [PokeTransformation]
    [ValidateNotNullOrEmpty]
    public FaultPoke[]? PokeEnter { get; set; }

    /// <summary>strace's poke_exit=: the same, written when the call returns (over what the kernel wrote).</summary>
    [Parameter]
    [PokeTransformation]
    [ValidateNotNullOrEmpty]
    public FaultPoke[]? PokeExit { get; set; }

    protected override void ProcessRecord()
    {
        var bound = MyInvocation.BoundParameters;
        var definition = new FaultDefinition
        {
            Names = Name,
            Errno = Errno,
            ReturnValue = bound.ContainsKey(nameof(ReturnValue)) ? ReturnValue : null,
            Signal = Signal,
            DelayEntry = bound.ContainsKey(nameof(DelayEntry)) ? DelayEntry : null,
            DelayExit = bound.ContainsKey(nameof(DelayExit)) ? DelayExit : null,
            Occurrence = Occurrence,
            Probability = bound.ContainsKey(nameof(Probability)) ? Probability : null,
            Seed = bound.ContainsKey(nameof(Seed)) ? Seed : null,
            PathLike = PathLike,
            ProcessId = bound.ContainsKey(nameof(ProcessId)) ? ProcessId : null,
            SubstituteSyscall = SubstituteSyscall,
            PokeEnter = PokeEnter ?? Array.Empty<FaultPoke>(),
            PokeExit = PokeExit ?? Array.Empty<FaultPoke>(),
        };
        try
        {
            WriteObject(SyscallFault.Create(definition));
        }
        catch (FaultException e)
        {
            WriteError(ModuleErrors.From(e));
        }
    }

    /// <summary>Turns strace's '@arg2=4142' strings, or a hashtable of argument number to hex
    /// string or byte array, into pokes; pokes pass through.</summary>
    private sealed class PokeTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var pokes = new List<FaultPoke>();
            try
            {
                foreach (object? item in LanguagePrimitives.GetEnumerable(Unwrap(inputData)) ?? new[] { Unwrap(inputData) })
                    Add(pokes, Unwrap(item));
            }
            catch (FaultException e)
            {
                throw new ArgumentTransformationMetadataException(e.Message, e);
            }
            return pokes.ToArray();
        }

        private static object? Unwrap(object? o) => o is PSObject pso ? pso.BaseObject : o;

        private static void Add(List<FaultPoke> pokes, object? item)
        {
            switch (item)
            {
                case FaultPoke poke:
                    pokes.Add(poke);
                    break;
                case string text:
                    pokes.AddRange(FaultPoke.ParseList(text));
                    break;
                case System.Collections.IDictionary table:
                    foreach (System.Collections.DictionaryEntry entry in table)
                    {
                        object? value = Unwrap(entry.Value);
                        string hex = value is byte[] bytes ? Convert.ToHexString(bytes) : LanguagePrimitives.ConvertTo<string>(value) ?? "";
                        pokes.Add(FaultPoke.Create(LanguagePrimitives.ConvertTo<string>(Unwrap(entry.Key)) ?? "", hex));
                    }
                    break;
                default:
                    throw new ArgumentTransformationMetadataException($"'{item}' is not a poke: write '@arg2=4142' or @{{ 2 = '4142' }}.");
            }
        }
    }

    /// <summary>Turns "200ms", "1.5s", "500us" into a TimeSpan; TimeSpans pass through.</summary>
    private sealed class DelayTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case TimeSpan:
                    return value;
                // PowerShell reads 3s as [short]3, 1.5s as [short]2 and 500us as [ushort]500 (its
                // numeric type suffixes) before we see them: the fraction may be gone, so ask.
                case short or ushort:
                    throw new ArgumentTransformationMetadataException(
                        $"PowerShell read this delay as the number {value} (s and us are its suffixes for [short] and [ushort]): quote it, as in '1.5s' or '500us', or write it in ms, as in 200ms.");
                case string text when FaultDelay.TryParse(text, out TimeSpan delay):
                    return delay;
                case string text:
                    throw new ArgumentTransformationMetadataException($"'{text}' is not a delay: write it with a unit, e.g. 200ms, 1.5s, 500us, or as a TimeSpan.");
                default:
                    throw new ArgumentTransformationMetadataException($"'{value}' has no unit: write the delay as 200ms, 1.5s, 500us, or as a TimeSpan.");
            }
        }
    }
}
