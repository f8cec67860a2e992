using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSSyscall.Engine.Decoding;

namespace PSSyscall.Completion;

/// <summary>Tab completion of signal names (SIGSEGV, SIGTERM...) from the decoder's signal table.</summary>
public sealed class SignalNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
        => NameCompletion.Complete(SignalNames.AllNames, wordToComplete);
}
