using System.Management.Automation;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Commands;

/// <summary>The forms Export-SeccompFilter writes.</summary>
public enum SeccompExportFormat
{
    /// <summary>OCI runtime-spec seccomp JSON (Docker, Podman, runc, crun; reads back with -Path).</summary>
    Json,
    /// <summary>The raw classic-BPF program (struct sock_filter[]), what bwrap --seccomp FD reads.</summary>
    Bpf,
    /// <summary>A readable listing of the BPF program.</summary>
    Disassembly,
    /// <summary>A Kubernetes SeccompProfile resource of the Security Profiles Operator
    /// (security-profiles-operator.x-k8s.io/v1beta1), YAML unless -AsJson.</summary>
    SeccompProfile,
    /// <summary>A node-local profile for the kubelet's seccomp directory (/var/lib/kubelet/seccomp/,
    /// a pod's localhost/ profile): OCI JSON for this machine.</summary>
    Kubelet,
}

/// <summary>Export-SeccompFilter: a filter as OCI/Docker JSON, raw BPF bytes, a BPF listing, a
/// Kubernetes SeccompProfile resource or a kubelet localhost profile; to a file with -Path, else to
/// the pipeline.</summary>
[Cmdlet(VerbsData.Export, "SeccompFilter", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Export-SeccompFilter.md")]
[OutputType(typeof(string), typeof(byte[]))]
public sealed class ExportSeccompFilterCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public SeccompFilter Filter { get; set; } = null!;

    [Parameter(Position = 1)]
    public SeccompExportFormat Format { get; set; } = SeccompExportFormat.Json;

    /// <summary>A file to write; without it the result goes to the pipeline (a string, or one byte[] for Bpf).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Do not replace an existing file (error NoClobber), as Export-Csv -NoClobber.</summary>
    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Replace the file even when it is read-only.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>-Format SeccompProfile: the resource's metadata.name (a DNS subdomain). Default:
    /// the -Path file's name without extension, else pssyscall-profile.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>-Format SeccompProfile: the resource's metadata.namespace (left out when not given).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>-Format SeccompProfile: write the resource as JSON instead of YAML.</summary>
    [Parameter]
    public SwitchParameter AsJson { get; set; }

    protected override void BeginProcessing()
    {
        if (Format != SeccompExportFormat.SeccompProfile && (Name is not null || Namespace is not null || AsJson))
            WriteWarning("-Name, -Namespace and -AsJson apply to -Format SeccompProfile only; they are ignored here.");
    }

    /// <summary>metadata.name when -Name is not given: the file's name, made a DNS subdomain.</summary>
    private string DefaultResourceName()
    {
        string stem = Path is null ? "" : System.IO.Path.GetFileNameWithoutExtension(Path).ToLowerInvariant();
        stem = System.Text.RegularExpressions.Regex.Replace(stem, "[^a-z0-9.-]+", "-").Trim('-', '.');
        return stem.Length > 0 && KubernetesProfileWriter.CheckName(stem) is null ? stem : "pssyscall-profile";
    }

    protected override void ProcessRecord()
    {
        byte[]? bytes = null;
        string? text = null;
        WriteVerbose($"Exporting a filter of {Filter.Rules.Count} rule(s), default action {Filter.DefaultAction}, as {Format}{(Path is null ? "" : $" to {Path}")}.");
        try
        {
            switch (Format)
            {
                case SeccompExportFormat.Json:
                    text = SeccompProfileWriter.ToJson(Filter);
                    break;
                case SeccompExportFormat.Bpf:
                    bytes = Filter.Compile().Program;
                    break;
                case SeccompExportFormat.SeccompProfile:
                {
                    string name = Name ?? DefaultResourceName();
                    var notes = new List<string>();
                    text = KubernetesProfileWriter.ToSeccompProfile(Filter, name, Namespace, AsJson, notes);
                    foreach (string note in notes)
                        WriteWarning(note);
                    WriteVerbose($"SeccompProfile '{name}'{(Namespace is null ? "" : $" in namespace '{Namespace}'")} ({KubernetesProfileWriter.ApiVersion}) as {(AsJson ? "JSON" : "YAML")}.");
                    break;
                }
                case SeccompExportFormat.Kubelet:
                {
                    var notes = new List<string>();
                    text = KubernetesProfileWriter.ToKubeletProfile(Filter, notes);
                    foreach (string note in notes)
                        WriteWarning(note);
                    break;
                }
                default:
                    text = Filter.Compile().Disassemble();
                    break;
            }
        }
        catch (SeccompException e)
        {
            WriteError(SeccompErrors.From(e, e.ErrorId == "InvalidResourceName" ? e.Target : Filter));
            return;
        }

        if (Path is null)
        {
            if (bytes is not null)
                WriteObject(bytes, enumerateCollection: false);
            else
                WriteObject(text);
            return;
        }

        string file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!OutputFileGuard.MayWrite(this, file, NoClobber, append: false, Force, $"Write seccomp filter ({Format})"))
            return;
        try
        {
            // A FIFO with its reader is written as a stream; one without a reader is refused at
            // once (waiting in open could not be interrupted).
            using Stream? fifo = Engine.Storage.TraceInput.OpenStreamForWriting(file);
            if (fifo is not null)
                fifo.Write(bytes ?? System.Text.Encoding.UTF8.GetBytes(text!));
            else if (bytes is not null)
                File.WriteAllBytes(file, bytes);
            else
                File.WriteAllText(file, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var error = new ErrorRecord(e, "ExportFailed", ErrorCategory.WriteError, file);
            error.ErrorDetails = new ErrorDetails($"Cannot write '{file}': {e.Message}");
            WriteError(error);
        }
    }
}
