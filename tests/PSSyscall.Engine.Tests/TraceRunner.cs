using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Tests;

/// <summary>Traces a command to the end with the engine and returns every event.</summary>
public static class TraceRunner
{
    public static (List<TraceEvent> Events, TraceSession Session) Run(string command, params string[] args)
        => Run(new TraceOptions { Launch = Launch(command, args) });

    public static LaunchOptions Launch(string command, params string[] args) => new()
    {
        FilePath = ExecutableResolver.Resolve(command, Environment.CurrentDirectory),
        ArgumentZero = command,
        Arguments = args,
        Environment = LaunchEnvironment.Current(Environment.CurrentDirectory),
        StandardInput = DevNull.Value,
        StandardOutput = DevNull.Value,
        StandardError = DevNull.Value,
    };

    public static (List<TraceEvent> Events, TraceSession Session) Run(TraceOptions options)
    {
        using var session = TraceSession.Start(options);
        var events = session.ReadEvents().ToList();
        return (events, session);
    }

    public static Dictionary<string, (int Calls, int Errors)> CountByName(IEnumerable<TraceEvent> events)
        => events.OfType<SyscallEvent>().Where(e => !e.Unfinished)
            .GroupBy(e => e.Name)
            .ToDictionary(g => g.Key, g => (g.Count(), g.Count(e => e.Errno is not null)));

    /// <summary>As <see cref="StraceOracle.CountWithoutRestarts"/>: interrupted attempts left out.</summary>
    public static Dictionary<string, (int Calls, int Errors)> CountByNameWithoutRestarts(IEnumerable<TraceEvent> events)
        => CountByName(events.Where(e => e is not SyscallEvent { Errno: string errno } || !errno.StartsWith("ERESTART", StringComparison.Ordinal)));

    private static class DevNull
    {
        // Kept in a field: a collected SafeFileHandle would close the descriptor under us.
        private static readonly Microsoft.Win32.SafeHandles.SafeFileHandle Handle = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        public static readonly int Value = Handle.DangerousGetHandle().ToInt32();
    }
}
