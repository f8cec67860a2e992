using System.Management.Automation;
using PSSyscall.Engine.Storage;

namespace PSSyscall.Commands;

/// <summary>
/// Lets a TraceEvent parameter take events that went through serialization: the property bags
/// that remoting, jobs, Import-Clixml, Import-Csv and ConvertFrom-Json give back become events again
/// (<see cref="TraceEventRebuilder"/>), so every cmdlet that takes events gives the same results
/// for them. Anything else is left as it is, for the binder to try other parameters (a string may
/// be a trace file's path).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class TraceEventTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        => TryConvert(inputData, out TraceEvent? e, out _) ? e : inputData;

    /// <summary>The event an object is or describes. False for objects that are no event (a
    /// string, a file) and for bags whose values do not fit (the reason says why).</summary>
    public static bool TryConvert(object? input, out TraceEvent? e, out string? reason)
    {
        reason = null;
        e = null;
        object? value = input is PSObject pso ? pso.BaseObject : input;
        if (value is TraceEvent traced)
        {
            e = traced;
            return true;
        }
        if (input is not PSObject bag || value is string || value is not PSCustomObject && !IsDeserialized(bag))
            return false;
        var properties = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (PSPropertyInfo property in bag.Properties)
        {
            object? v;
            try
            {
                v = property.Value;
            }
            catch (GetValueException)
            {
                continue;
            }
            properties[property.Name] = Flatten(v);
        }
        e = TraceEventRebuilder.TryRebuild(properties, out reason);
        return e is not null;
    }

    private static bool IsDeserialized(PSObject bag)
        => bag.TypeNames.Count > 0 && bag.TypeNames[0].StartsWith("Deserialized.", StringComparison.Ordinal);

    /// <summary>Values as the rebuilder takes them: PSObject wrappers off; a TimeSpan that
    /// ConvertTo-Json wrote as an object ({Ticks: ...}) back to a TimeSpan.</summary>
    private static object? Flatten(object? value)
    {
        if (value is PSObject pso)
        {
            if (pso.BaseObject is PSCustomObject && pso.Properties["Ticks"]?.Value is { } ticks)
                return TimeSpan.FromTicks(Convert.ToInt64(ticks, System.Globalization.CultureInfo.InvariantCulture));
            return pso.BaseObject;
        }
        return value;
    }
}
