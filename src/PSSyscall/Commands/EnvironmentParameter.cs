using System.Collections;
using System.Management.Automation;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Commands;

/// <summary>
/// -Environment and -ClearEnvironment, one rule for Start-TracedProcess (strace -E) and
/// Invoke-Sandboxed: the command gets this process's environment with PWD set to where it starts
/// (<see cref="LaunchEnvironment"/>); each entry of -Environment sets a variable (strace -E
/// var=val), and a $null value removes one (strace -E var); -ClearEnvironment starts from nothing.
/// </summary>
internal static class EnvironmentParameter
{
    public static Dictionary<string, string> Build(PSCmdlet cmdlet, IDictionary? changes, bool clear, string workingDirectory)
    {
        var env = clear ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(LaunchEnvironment.Current(workingDirectory), StringComparer.Ordinal);
        if (changes is null)
            return env;
        foreach (DictionaryEntry entry in changes)
        {
            string key = entry.Key?.ToString() ?? "";
            // execve's environment is NAME=VALUE strings: a name with '=' (or a NUL) would
            // become another variable, an empty one none.
            if (key.Length == 0 || key.Contains('=') || key.Contains('\0'))
                cmdlet.ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{key}' is not a valid environment variable name."), "InvalidEnvironmentName", ErrorCategory.InvalidArgument, key)
                {
                    ErrorDetails = new ErrorDetails($"'{key}' is not a valid environment variable name: a name is not empty and has no '=' or NUL character."),
                });
            object? value = entry.Value is PSObject pso ? pso.BaseObject : entry.Value;
            if (value is null)
                env.Remove(key);
            else
                env[key] = LanguagePrimitives.ConvertTo<string>(value);
        }
        return env;
    }
}

/// <summary>-Environment also takes strace -E's words: "NAME=value" sets a variable, "NAME" removes
/// one ('FOO=bar', 'HOME'), as strings or an array of them; a hashtable passes through.</summary>
internal sealed class EnvironmentTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is null or IDictionary)
            return value;
        var table = new Hashtable(StringComparer.Ordinal);
        IEnumerable items = value is string s ? new[] { s } : LanguagePrimitives.GetEnumerable(value) ?? new[] { value };
        foreach (object? item in items)
        {
            object? inner = item is PSObject p ? p.BaseObject : item;
            if (inner is not string text)
                throw new ArgumentTransformationMetadataException($"'{inner}' is not an environment change: give @{{ NAME = 'value' }}, or strace's 'NAME=value' (set) and 'NAME' (remove).");
            int eq = text.IndexOf('=');
            if (eq < 0)
                table[text] = null;
            else
                table[text[..eq]] = text[(eq + 1)..];
        }
        return table;
    }
}
