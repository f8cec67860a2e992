using System.Collections;
using System.Management.Automation;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Commands;

/// <summary>Takes SeccompBpfPrograms as they come back from Export-Clixml, jobs or remoting
/// (property bags with the Program bytes) and raw byte arrays (Export-SeccompFilter -Format Bpf's
/// output), checking each as the kernel would.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class SeccompBpfProgramTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is byte[] bytes)
            return new[] { Convert(bytes)! };
        object?[] items = value is IEnumerable list and not string ? list.Cast<object?>().ToArray() : new[] { inputData };
        var programs = new SeccompBpfProgram[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            // Anything else is left to the binder, which then tries the other parameter sets
            // (Test-SeccompFilter $filter binds -Filter).
            if (Convert(items[i]) is not SeccompBpfProgram program)
                return inputData;
            programs[i] = program;
        }
        return programs;
    }

    private static SeccompBpfProgram? Convert(object? item)
    {
        object? value = item is PSObject pso ? pso.BaseObject : item;
        try
        {
            switch (value)
            {
                case SeccompBpfProgram program:
                    return program;
                case byte[] bytes:
                    return SeccompBpfProgram.FromBytes(bytes, "a byte array");
                case CompiledSeccompFilter compiled:
                    return SeccompBpfProgram.FromBytes(compiled.Program, compiled.Source.ToString());
            }
            if (item is PSObject bag && bag.Properties["Program"]?.Value is { } raw
                && (raw is PSObject p ? p.BaseObject : raw) is byte[] code)
            {
                string source = bag.Properties["Source"]?.Value?.ToString() ?? "a deserialized program";
                SeccompBpfProgram rebuilt = SeccompBpfProgram.FromBytes(code, source);
                rebuilt.Path = bag.Properties["Path"]?.Value?.ToString();
                rebuilt.ProcessId = bag.Properties["ProcessId"]?.Value is { } pid ? LanguagePrimitives.ConvertTo<int?>(pid) : null;
                rebuilt.Index = bag.Properties["Index"]?.Value is { } index ? LanguagePrimitives.ConvertTo<int?>(index) : null;
                rebuilt.FilterCount = bag.Properties["FilterCount"]?.Value is { } count ? LanguagePrimitives.ConvertTo<int?>(count) : null;
                return rebuilt;
            }
        }
        catch (SeccompException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
        return null;
    }
}
