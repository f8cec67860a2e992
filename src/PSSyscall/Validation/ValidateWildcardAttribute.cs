using System.Management.Automation;

namespace PSSyscall.Validation;

/// <summary>Refuses at binding a wildcard pattern PowerShell cannot parse ('[' without its ']'),
/// which would otherwise fail with a WildcardPatternException mid-run or never match.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateWildcardAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        string pattern = element is PSObject ps ? ps.BaseObject?.ToString() ?? "" : element?.ToString() ?? "";
        try
        {
            // Matching parses the pattern; a bad one throws here rather than later.
            _ = new WildcardPattern(pattern, WildcardOptions.IgnoreCase).IsMatch("");
        }
        catch (WildcardPatternException e)
        {
            throw new ValidationMetadataException(
                $"'{pattern}' is not a valid wildcard pattern ({e.Message.TrimEnd('.')}). Use * and ? for any text and one character, [abc] or [a-z] for a set; write `[ to match a literal bracket.");
        }
    }
}
