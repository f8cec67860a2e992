using System.Collections;
using System.Diagnostics;
using System.Management.Automation;

namespace PSSyscall.Commands;

/// <summary>
/// Lets a process id parameter take what users have at hand: <c>-Id (Get-Process sleep)</c> or
/// <c>-Id $proc</c> as well as numbers. A Process object (or anything with an integer Id property,
/// such as a deserialized one) becomes its Id; other values are left to the binder's conversion.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class ProcessIdTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is IEnumerable items and not string)
            return items.Cast<object?>().Select(ToId).ToArray();
        return ToId(inputData);
    }

    private static object? ToId(object? item)
    {
        object? value = item is PSObject pso ? pso.BaseObject : item;
        if (value is Process process)
            return process.Id;
        if (item is PSObject wrapped && value is not (int or long or string) && wrapped.Properties["Id"]?.Value is { } id)
            return id;
        return item;
    }
}
