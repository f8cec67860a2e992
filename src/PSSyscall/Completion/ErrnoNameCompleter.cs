using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSSyscall.Engine.Decoding;

namespace PSSyscall.Completion;

/// <summary>Tab completion of errno names (ENOSPC, ENOENT...) from the decoder's errno table.</summary>
public sealed class ErrnoNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
        => NameCompletion.Complete(ErrnoNames.AllNames, wordToComplete);
}
