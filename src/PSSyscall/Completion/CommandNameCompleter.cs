using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSSyscall.Completion;

/// <summary>
/// Tab completion of the program to run (Start-TracedProcess, Invoke-Sandboxed -FilePath): the
/// programs PATH offers, as <c>Get-Command -CommandType Application</c> lists them, or files when
/// the word is a path (./app, /usr/bin/l, ~/bin/x). Cmdlets, functions and aliases are left out:
/// the tracer runs an executable, not a PowerShell command.
/// </summary>
public sealed class CommandNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        if (word.Length == 0 || word.Contains('/') || word.StartsWith('.') || word.StartsWith('~'))
            return CompletionCompleters.CompleteFilename(wordToComplete ?? "");

        // One entry per name: PATH may hold the same program in several folders (/bin and /usr/bin).
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return CompletionCompleters.CompleteCommand(word + "*", null, CommandTypes.Application)
            .Where(r => seen.Add(r.ListItemText))
            .Select(r => new CompletionResult(Quote(r.ListItemText), r.ListItemText, CompletionResultType.ParameterValue, r.ToolTip));
    }

    private static string Quote(string name)
        => name.IndexOfAny([' ', '\'', '"', '$', '`', '&', '(', ')', '{', '}', ';', ',', '|', '@', '#']) >= 0 ? "'" + name.Replace("'", "''") + "'" : name;
}
