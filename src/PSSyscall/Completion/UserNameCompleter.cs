using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSSyscall.Completion;

/// <summary>Tab completion of Start-TracedProcess -User: the user names in /etc/passwd.</summary>
public sealed class UserNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadAllLines("/etc/passwd");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (string line in lines)
        {
            string[] fields = line.Split(':');
            if (fields.Length < 3 || fields[0].Length == 0 || !fields[0].StartsWith(word, StringComparison.Ordinal))
                continue;
            yield return new CompletionResult(fields[0], fields[0], CompletionResultType.ParameterValue, $"{fields[0]} (uid {fields[2]})");
        }
    }
}
