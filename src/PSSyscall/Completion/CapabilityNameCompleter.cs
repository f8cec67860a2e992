using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Completion;

/// <summary>Tab completion of Linux capability names (CAP_SYS_ADMIN ...) and ALL, for
/// New-SeccompFilter and Invoke-Sandboxed -Capability; "sys_a" completes as well as "CAP_SYS_A".</summary>
public sealed class CapabilityNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        string withPrefix = word.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? word : "CAP_" + word;
        foreach (string name in LinuxCapabilities.Names.Append("ALL"))
        {
            if (name.StartsWith(word, StringComparison.OrdinalIgnoreCase) || name.StartsWith(withPrefix, StringComparison.OrdinalIgnoreCase))
                yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, name);
        }
    }
}
