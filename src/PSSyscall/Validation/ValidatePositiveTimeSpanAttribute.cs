using System.Management.Automation;

namespace PSSyscall.Validation;

/// <summary>Refuses a TimeSpan that is zero or negative: a time limit of none, or less, is a
/// mistake to report, not a limit to apply.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidatePositiveTimeSpanAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        object value = arguments is PSObject ps ? ps.BaseObject : arguments;
        if (value is TimeSpan span && span <= TimeSpan.Zero)
            throw new ValidationMetadataException($"The time must be greater than zero; '{span}' is not.");
    }
}
