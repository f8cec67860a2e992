using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSSyscall.Completion;

/// <summary>Tab completion for New-SyscallFault -Name: syscall names, and strace's classes written
/// as %file, %network ... (what a fault's syscall set accepts besides names and wildcards).</summary>
public sealed class FaultNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        if (word.Length == 0 || word.StartsWith('%'))
        {
            foreach (string name in Enum.GetNames<SyscallClass>().Where(n => n != nameof(SyscallClass.None)))
            {
                string text = "%" + name.ToLowerInvariant();
                if (text.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                    yield return new CompletionResult(text, text, CompletionResultType.ParameterValue, $"every syscall in strace's {text} class");
            }
            if (word.Length > 0)
                yield break;
        }
        foreach (CompletionResult name in new SyscallNameCompleter().CompleteArgument(commandName, parameterName, wordToComplete ?? "", commandAst, fakeBoundParameters))
            yield return name;
    }
}
