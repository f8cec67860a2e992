using System.Management.Automation;
using PSSyscall.Completion;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Commands;

/// <summary>
/// Resolve-SeccompFilter: a portable profile (as New-SeccompFilter -Path imports Docker's, Podman's
/// or any OCI profile, with its archMap and includes/excludes kept) made into the filter one host
/// would apply: the archMap entry of -Architecture gives the ABIs, each rule's includes/excludes
/// are decided by -Capability, -Architecture and -KernelVersion, as Docker and Podman do when a
/// container starts. The input is left as it is.
/// </summary>
[Cmdlet(VerbsDiagnostic.Resolve, "SeccompFilter", HelpUri = HelpLinks.Base + "Resolve-SeccompFilter.md")]
[OutputType(typeof(SeccompFilter))]
public sealed class ResolveSeccompFilterCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public SeccompFilter Filter { get; set; } = null!;

    /// <summary>The host's main ABI (default x86_64, this machine): which archMap entry applies and
    /// which includes/excludes "arches" match.</summary>
    [Parameter]
    public SyscallArchitecture Architecture { get; set; } = SyscallArchitecture.X86_64;

    /// <summary>The container's capabilities (default: Docker's default set; ALL for every one).</summary>
    [Parameter]
    [ValidateNotNull]
    [Validation.ValidateCapabilityName]
    [ArgumentCompleter(typeof(CapabilityNameCompleter))]
    public string[]? Capability { get; set; }

    /// <summary>The host's kernel version, major.minor (default: the running kernel), for minKernel.</summary>
    [Parameter]
    [ValidateNotNull]
    public Version? KernelVersion { get; set; }

    protected override void ProcessRecord()
    {
        var host = new SeccompHost
        {
            Architecture = Architecture,
            Capabilities = Capability ?? SeccompProfile.DockerDefaultCapabilities.ToArray(),
            KernelVersion = KernelVersion ?? SeccompProfile.RunningKernel(),
        };
        if (!Filter.IsPortable)
            WriteVerbose("The filter has no archMap and no includes/excludes: only a profile that names no architecture depends on the host.");
        SeccompFilter resolved;
        try
        {
            resolved = Filter.Resolve(host);
        }
        catch (SeccompException e)
        {
            WriteError(SeccompErrors.From(e, Filter));
            return;
        }
        WriteVerbose($"Resolved for {host}: {resolved.Rules.Count} of {Filter.Rules.Count} rule groups apply, architectures {string.Join(", ", resolved.Architectures)}.");
        WriteObject(resolved);
    }
}
