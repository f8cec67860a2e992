using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSSyscall.Completion;

/// <summary>Tab completion of strace's syscall classes (File, Desc, Network, ...).</summary>
public sealed class SyscallClassCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = (wordToComplete ?? "").Trim('\'', '"');
        foreach (string name in Enum.GetNames<SyscallClass>())
        {
            if (name != nameof(SyscallClass.None) && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, name);
        }
    }
}
