using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSSyscall.Completion;

/// <summary>
/// Tab completion for parameters whose values are neither files nor names: -Inject (faults) offers
/// the variables that hold SyscallFault objects; -Occurrence offers strace's when= forms, with what
/// each means. Either way, never the file names PowerShell would offer by default.
/// </summary>
public sealed class NoFileCompleter : IArgumentCompleter
{
    private static readonly (string Form, string Meaning)[] OccurrenceForms =
    [
        ("1", "only the first matching call"),
        ("3", "only the third matching call"),
        ("2..", "the second matching call and every one after it"),
        ("1..5", "the first to the fifth matching call"),
        ("2+2", "every second matching call from the second (2, 4, 6 ...)"),
        ("1..10+3", "every third matching call among the first ten"),
    ];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        if (parameterName.Equals("Occurrence", StringComparison.OrdinalIgnoreCase))
            return OccurrenceForms.Where(f => f.Form.StartsWith(word, StringComparison.Ordinal))
                .Select(f => new CompletionResult(f.Form, f.Form, CompletionResultType.ParameterValue, f.Meaning)).ToList();
        return FaultVariables(word.TrimStart('$'));
    }

    private static List<CompletionResult> FaultVariables(string prefix)
    {
        var results = new List<CompletionResult>();
        var runspace = System.Management.Automation.Runspaces.Runspace.DefaultRunspace;
        if (runspace is null)
            return results;
        using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
        ps.AddCommand("Get-Variable").AddParameter("Name", WildcardPattern.Escape(prefix) + "*").AddParameter("ErrorAction", "Ignore");
        foreach (PSObject item in ps.Invoke())
        {
            if (item.BaseObject is PSVariable variable && IsFaults(variable.Value))
                results.Add(new CompletionResult("$" + variable.Name, "$" + variable.Name, CompletionResultType.Variable, variable.Value?.ToString() ?? variable.Name));
        }
        return results;
    }

    private static bool IsFaults(object? value) => value switch
    {
        SyscallFault => true,
        PSObject o => IsFaults(o.BaseObject),
        object[] items => items.Length > 0 && items.All(IsFaults),
        _ => false,
    };
}
