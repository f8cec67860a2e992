using System.Management.Automation;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Commands;

/// <summary>
/// Get-SeccompFilter: seccomp BPF programs as objects, read from files (raw BPF as
/// Export-SeccompFilter -Format Bpf, bwrap --seccomp or libseccomp's seccomp_export_bpf write it;
/// a JSON profile is compiled) or from the filters installed in running processes
/// (PTRACE_SECCOMP_GET_FILTER). Test-SeccompFilter -Program evaluates them; -Disassemble lists them.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SeccompFilter", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Base + "Get-SeccompFilter.md")]
[OutputType(typeof(SeccompBpfProgram))]
[OutputType(typeof(string))]
public sealed class GetSeccompFilterCommand : PSCmdlet, IDisposable
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string ProcessSet = "Process";

    private readonly CancellationTokenSource _stop = new();

    /// <summary>Files to read (wildcards allowed).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Files to read, taken as written (no wildcards); Get-ChildItem's output binds here.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Processes whose installed filters to read (their main thread's); one object per
    /// filter, the most recently installed first. Needs root (CAP_SYS_ADMIN).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ProcessSet)]
    [Alias("ProcessId")]
    [ProcessIdTransformation]
    [ValidateRange(1, int.MaxValue)]
    public int[] Id { get; set; } = Array.Empty<int>();

    /// <summary>Write each program's listing (text) instead of the object.</summary>
    [Parameter]
    public SwitchParameter Disassemble { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ProcessSet)
        {
            foreach (int pid in Id)
                ReadProcess(pid);
            return;
        }
        foreach (string file in ResolvePaths())
            ReadFile(file);
    }

    private IEnumerable<string> ResolvePaths()
    {
        if (ParameterSetName == LiteralPathSet)
        {
            foreach (string p in LiteralPath)
                yield return SessionState.Path.GetUnresolvedProviderPathFromPSPath(p);
            yield break;
        }
        foreach (string p in Path)
        {
            List<string> files = new();
            try
            {
                if (WildcardPattern.ContainsWildcardCharacters(p))
                    files.AddRange(SessionState.Path.GetResolvedProviderPathFromPSPath(p, out _));
                else
                    files.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(p));
            }
            catch (ItemNotFoundException)
            {
            }
            if (files.Count == 0)
            {
                WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find the seccomp filter file '{p}'."), "ProfileNotFound", ErrorCategory.ObjectNotFound, p)
                {
                    ErrorDetails = new ErrorDetails($"Cannot find the seccomp filter file '{p}': no file matches it."),
                });
                continue;
            }
            foreach (string f in files)
                yield return f;
        }
    }

    private void ReadFile(string file)
    {
        WriteVerbose($"Reading {file}.");
        SeccompBpfProgram program;
        try
        {
            var (bytes, format) = SeccompFilterFile.Read(file, _stop.Token);
            if (format == SeccompFileFormat.Json)
            {
                WriteVerbose($"{file} is a JSON seccomp profile: compiling it with libseccomp (capabilities: Docker's default set).");
                CompiledSeccompFilter compiled = SeccompProfile.Parse(SeccompFilterFile.Text(bytes), file).Compile();
                program = SeccompBpfProgram.FromBytes(compiled.Program, file);
            }
            else
            {
                program = SeccompBpfProgram.FromBytes(bytes, file);
            }
            program.Path = file;
        }
        catch (SeccompException e)
        {
            WriteError(SeccompErrors.From(e, file));
            return;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return;
        }
        WriteVerbose($"{file}: {program.InstructionCount} BPF instructions.");
        Write(program);
    }

    private void ReadProcess(int pid)
    {
        IReadOnlyList<SeccompBpfProgram> filters;
        try
        {
            SeccompStatus status = ProcessSeccompFilters.ReadStatus(pid);
            WriteVerbose($"Process {pid} ({status.ProcessName}): Seccomp {status.Mode} ({ModeName(status.Mode)}), Seccomp_filters {status.FilterCount}.");
            if (status.Mode == SeccompStatus.Strict)
            {
                WriteWarning($"Process {pid} ({status.ProcessName}) is in seccomp strict mode: it may only call read, write, exit and sigreturn. Strict mode has no BPF program to read.");
                return;
            }
            filters = ProcessSeccompFilters.Read(pid);
        }
        catch (SeccompException e)
        {
            WriteError(SeccompErrors.From(e, pid));
            return;
        }
        if (filters.Count == 0)
            WriteVerbose($"Process {pid} has no seccomp filter.");
        foreach (SeccompBpfProgram f in filters)
            Write(f);
    }

    private void Write(SeccompBpfProgram program)
    {
        if (Disassemble)
            WriteObject(program.Disassemble());
        else
            WriteObject(program);
    }

    private static string ModeName(int mode) => mode switch
    {
        SeccompStatus.Disabled => "disabled",
        SeccompStatus.Strict => "strict",
        SeccompStatus.Filter => "filter",
        _ => "unknown",
    };

    protected override void StopProcessing() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();
}
