using System.Management.Automation;

namespace PSSyscall.Completion;

/// <summary>Prefix completion over a fixed list of names (errno, signal).</summary>
internal static class NameCompletion
{
    public static IEnumerable<CompletionResult> Complete(IEnumerable<string> names, string? word)
    {
        string prefix = (word ?? "").Trim('\'', '"');
        foreach (string name in names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
            yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, name);
    }
}
