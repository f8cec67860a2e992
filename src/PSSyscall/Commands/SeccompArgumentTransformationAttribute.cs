using System.Collections;
using System.Management.Automation;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Commands;

/// <summary>Turns what users type for raw 64-bit syscall arguments into ulongs: numbers (PowerShell
/// reads 0xFFFFFFFFFFFFFFFF as -1, so negatives are taken as two's complement) and strings
/// ('0x80000', '-1', '18446744073709551615').</summary>
public sealed class SeccompArgumentTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        if (inputData is IEnumerable list and not string)
        {
            var result = new List<ulong>();
            foreach (object? item in list)
                result.Add(ToULong(item));
            return result.ToArray();
        }
        return new[] { ToULong(inputData) };
    }

    private static ulong ToULong(object? value)
    {
        value = value is PSObject pso ? pso.BaseObject : value;
        switch (value)
        {
            case null: return 0;
            case ulong u: return u;
            case long l: return unchecked((ulong)l);
            case int i: return unchecked((ulong)(long)i);
            case uint ui: return ui;
            case short s: return unchecked((ulong)(long)s);
            case ushort us: return us;
            case byte b: return b;
            case sbyte sb: return unchecked((ulong)(long)sb);
            case decimal d when d >= 0 && d <= ulong.MaxValue && decimal.Truncate(d) == d: return (ulong)d;
            case double dbl when dbl >= 0 && dbl < 18446744073709551616.0 && Math.Truncate(dbl) == dbl: return (ulong)dbl;
            case System.Numerics.BigInteger bi when bi >= 0 && bi <= ulong.MaxValue: return (ulong)bi;
            case string text when SeccompAction.TryParseNumber(text, out ulong parsed): return parsed;
        }
        throw new ArgumentTransformationMetadataException($"'{value}' is not a 64-bit syscall argument. Use a number, 0x hex, or a negative number for two's complement.");
    }
}
