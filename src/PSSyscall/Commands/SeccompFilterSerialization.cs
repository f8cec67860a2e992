using System.Management.Automation;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Commands;

/// <summary>
/// A SeccompFilter that went through Export-Clixml, a job or remoting comes back as a property bag
/// (Deserialized.PSSyscall.SeccompFilter) that no cmdlet could bind. The types file gives every
/// filter a Profile code property, its OCI JSON as Export-SeccompFilter -Format Json writes it
/// (which parses back to an equal filter: architectures, archMap, rules and their conditions), and
/// registers this converter for the deserialized type name, so that a parameter of type
/// SeccompFilter binds the bag as the real filter it was.
/// </summary>
public sealed class SeccompFilterSerialization : PSTypeConverter
{
    /// <summary>The Profile code property (module/PSSyscall.Types.ps1xml).</summary>
    public static string GetProfile(PSObject filter)
        => filter.BaseObject is SeccompFilter f ? SeccompProfileWriter.ToJson(f) : "";

    public override bool CanConvertFrom(object sourceValue, Type destinationType)
        => destinationType == typeof(SeccompFilter) && ProfileOf(sourceValue) is not null;

    public override object ConvertFrom(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase)
    {
        string json = ProfileOf(sourceValue) ?? throw new PSInvalidCastException("The object carries no seccomp profile (its Profile property) to rebuild a filter from.");
        return SeccompProfile.Parse(json, "deserialized filter");
    }

    // PowerShell asks the converter of the source's type name (Deserialized.PSSyscall.SeccompFilter).
    public override bool CanConvertTo(object sourceValue, Type destinationType) => CanConvertFrom(sourceValue, destinationType);

    public override object ConvertTo(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase)
        => ConvertFrom(sourceValue, destinationType, formatProvider, ignoreCase);

    private static string? ProfileOf(object? value)
        => value is PSObject bag && bag.Properties["Profile"]?.Value is string { Length: > 0 } json ? json : null;
}
