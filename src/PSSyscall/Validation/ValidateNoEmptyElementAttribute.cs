using System.Management.Automation;

namespace PSSyscall.Validation;

/// <summary>Refuses at binding a list with an empty or blank name in it ('' in -Allow ''): such an
/// entry can only be a mistake (an unset variable), and ignoring it would change what the command
/// does. An empty list is allowed.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateNoEmptyElementAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        string? text = element is PSObject ps ? ps.BaseObject?.ToString() : element?.ToString();
        if (string.IsNullOrWhiteSpace(text))
            throw new ValidationMetadataException("An empty name is in the list: give syscall or group names, or leave the parameter out.");
    }
}
