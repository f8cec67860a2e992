using System.Management.Automation;
using PSSyscall.Completion;
using PSSyscall.Engine.Seccomp;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Commands;

/// <summary>Get-SeccompGroup: the systemd-style syscall groups, by name (wildcards) or by member.</summary>
[Cmdlet(VerbsCommon.Get, "SeccompGroup", DefaultParameterSetName = ByNameSet, HelpUri = HelpLinks.Base + "Get-SeccompGroup.md")]
[OutputType(typeof(SeccompGroup))]
public sealed class GetSeccompGroupCommand : PSCmdlet
{
    private const string ByNameSet = "ByName";
    private const string BySyscallSet = "BySyscall";

    [Parameter(Position = 0, ParameterSetName = ByNameSet, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(SeccompGroupCompleter))]
    [SupportsWildcards]
    [Validation.ValidateWildcard]
    public string[]? Name { get; set; }

    /// <summary>Lists the groups that contain these syscalls.</summary>
    [Parameter(Mandatory = true, ParameterSetName = BySyscallSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SyscallNameCompleter))]
    public string[] Syscall { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        if (ParameterSetName == BySyscallSet)
        {
            foreach (string call in Syscall)
            {
                if (!SeccompCompiler.IsKnown(call))
                {
                    WriteError(SeccompErrors.From(SeccompCompiler.UnknownSyscall(call)));
                    continue;
                }
                foreach (string group in SyscallGroups.Names)
                    if (SyscallGroups.Expand(group).Contains(call, StringComparer.Ordinal))
                        WriteObject(SeccompGroup.Get(group));
            }
            return;
        }

        foreach (string pattern in Name is { Length: > 0 } ? Name : new[] { "*" })
        {
            string p = pattern.StartsWith('@') ? pattern : "@" + pattern;
            if (WildcardPattern.ContainsWildcardCharacters(p))
            {
                var wildcard = new WildcardPattern(p, WildcardOptions.IgnoreCase);
                foreach (string group in SyscallGroups.Names)
                    if (wildcard.IsMatch(group))
                        WriteObject(SeccompGroup.Get(group));
                continue;
            }
            try
            {
                WriteObject(SeccompGroup.Get(p));
            }
            catch (SeccompException e)
            {
                WriteError(SeccompErrors.From(e));
            }
        }
    }
}
