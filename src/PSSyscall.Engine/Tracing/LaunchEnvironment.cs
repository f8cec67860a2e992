using System.Collections;

namespace PSSyscall.Engine.Tracing;

/// <summary>The environment a command started from the shell gets: this process's variables, with
/// PWD set to the directory the command starts in, as a shell exports it. (PowerShell's location is
/// not the process's working directory, so the inherited PWD would be stale; shells that find PWD
/// wrong call getcwd and behave differently from a run outside the tracer.)</summary>
public static class LaunchEnvironment
{
    public static IReadOnlyDictionary<string, string> Current(string workingDirectory)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            env[(string)entry.Key] = (string?)entry.Value ?? "";
        env["PWD"] = workingDirectory;
        return env;
    }
}
