using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Completion;

/// <summary>Tab completion of syscall names from the one syscall table (x86_64 names, which
/// include nearly every i386/x32 name users type).</summary>
public sealed class SyscallNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = (wordToComplete ?? "").Trim('\'', '"');
        var pattern = WildcardPattern.ContainsWildcardCharacters(prefix)
            ? new WildcardPattern(prefix, WildcardOptions.IgnoreCase)
            : new WildcardPattern(WildcardPattern.Escape(prefix) + "*", WildcardOptions.IgnoreCase);
        // The table of the ABI the command names (Test-SeccompFilter -Architecture Aarch64), else x86_64's.
        SyscallTable table = SyscallTable.X86_64;
        if (fakeBoundParameters?["Architecture"] is object bound
            && Enum.TryParse(bound is PSObject p ? p.BaseObject.ToString() : bound.ToString(), ignoreCase: true, out SyscallArchitecture arch))
            table = SyscallTable.For(arch);
        foreach (string name in table.Names)
        {
            if (pattern.IsMatch(name))
                yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, name);
        }
    }
}
