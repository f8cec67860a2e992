using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Completion;

/// <summary>Tab completion of seccomp actions (Allow, Errno, KillProcess...), and of the errno
/// inside Errno(...): 'Errno(EAC' completes to 'Errno(EACCES)'.</summary>
public sealed class SeccompActionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        int open = word.IndexOf('(');
        if (open > 0 && word[..open].Equals(nameof(SeccompActionKind.Errno), StringComparison.OrdinalIgnoreCase))
        {
            string errno = word[(open + 1)..].TrimEnd(')');
            foreach (string name in ErrnoNames.AllNames)
            {
                if (!name.StartsWith(errno, StringComparison.OrdinalIgnoreCase))
                    continue;
                string text = $"{word[..open]}({name})";
                yield return new CompletionResult($"'{text}'", text, CompletionResultType.ParameterValue, text);
            }
            yield break;
        }
        foreach (string action in SeccompAction.Names)
            if (action.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                yield return new CompletionResult(action, action, CompletionResultType.ParameterValue, action);
    }
}
