using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Completion;

/// <summary>Tab completion of syscall group names (@file-system ...). For parameters that take
/// names and groups alike (-Allow, -Deny ...), a word not starting with @ completes syscall names
/// from the one syscall table, followed by the groups.</summary>
public sealed class SeccompGroupCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        bool groupsOnly = parameterName.Equals("Group", StringComparison.OrdinalIgnoreCase)
            || (commandName?.EndsWith("SeccompGroup", StringComparison.OrdinalIgnoreCase) ?? false);
        if (!groupsOnly && !word.StartsWith('@'))
        {
            foreach (CompletionResult r in new SyscallNameCompleter().CompleteArgument(commandName ?? "", parameterName, wordToComplete ?? "", commandAst, fakeBoundParameters))
                yield return r;
        }
        string prefix = word.StartsWith('@') ? word : "@" + word;
        var pattern = WildcardPattern.ContainsWildcardCharacters(prefix)
            ? new WildcardPattern(prefix, WildcardOptions.IgnoreCase)
            : new WildcardPattern(WildcardPattern.Escape(prefix) + "*", WildcardOptions.IgnoreCase);
        foreach (string group in SyscallGroups.Names)
        {
            if (pattern.IsMatch(group))
                yield return new CompletionResult("'" + group + "'", group, CompletionResultType.ParameterValue, SyscallGroups.GetDescription(group));
        }
    }
}
