using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSSyscall.Completion;

/// <summary>Tab completion of seccomp actions (Allow, Errno, KillProcess ...).</summary>
public sealed class SeccompActionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        foreach (string action in SeccompAction.Names)
            if (action.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                yield return new CompletionResult(action, action, CompletionResultType.ParameterValue, action);
    }
}
