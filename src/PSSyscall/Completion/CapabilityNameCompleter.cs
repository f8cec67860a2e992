using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSSyscall.Engine.Sandbox;

namespace PSSyscall.Completion;

/// <summary>Completes Linux capability names (CAP_NET_BIND_SERVICE...) for Invoke-Sandboxed -Capability.</summary>
public sealed class CapabilityNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = wordToComplete.Trim('\'', '"');
        foreach (string name in LinuxCapabilities.Names)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || name[4..].StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, name);
        }
    }
}
