namespace PSSyscall.Engine.Storage;

/// <summary>
/// Which events of a stored trace to keep (Get-SyscallEvent's filters). Conditions combine with AND.
/// Conditions about system calls (name, class, failure, path) drop signal and exit events; process
/// and time conditions apply to every event.
/// </summary>
public sealed class TraceEventFilter
{
    private readonly Dictionary<string, bool> _nameCache = new(StringComparer.Ordinal);

    /// <summary>Keep calls whose name this accepts (Get-SyscallEvent -Name, wildcards).</summary>
    public Func<string, bool>? NameMatches { get; init; }

    /// <summary>Keep calls in any of these classes (None: no condition).</summary>
    public SyscallClass Class { get; init; }

    /// <summary>Keep events of these processes (empty: no condition).</summary>
    public IReadOnlySet<int> ProcessIds { get; init; } = new HashSet<int>();

    /// <summary>True: only calls that returned an error; false: only calls that succeeded; null: both
    /// (and calls that never returned).</summary>
    public bool? Failed { get; init; }

    /// <summary>Keep calls that touch a path this accepts: the call's path argument, or (in strace -y
    /// text) a file descriptor annotated with it.</summary>
    public Func<string, bool>? PathMatches { get; init; }

    /// <summary>Literal paths for the fd-annotation test ("3&lt;/etc/passwd&gt;" touches /etc/passwd).</summary>
    public IReadOnlyList<string> LiteralPaths { get; init; } = Array.Empty<string>();

    /// <summary>Keep calls that ended so (Get-SyscallEvent -Status, strace -e status=); null: any.</summary>
    public Tracing.SyscallStatus? Statuses { get; init; }

    /// <summary>Keep events at or after this time.</summary>
    public DateTime? After { get; init; }

    /// <summary>Keep events before this time.</summary>
    public DateTime? Before { get; init; }

    private bool SyscallConditions => NameMatches is not null || Class != SyscallClass.None || Failed is not null || PathMatches is not null || Statuses is not null;

    public bool Matches(TraceEvent e)
    {
        if (ProcessIds.Count > 0 && !ProcessIds.Contains(e.ProcessId))
            return false;
        if (After is DateTime after && e.Timestamp < after)
            return false;
        if (Before is DateTime before && e.Timestamp >= before)
            return false;
        if (e is not SyscallEvent call)
            return !SyscallConditions;
        if (NameMatches is not null)
        {
            if (!_nameCache.TryGetValue(call.Name, out bool ok))
            {
                ok = NameMatches(call.Name);
                if (_nameCache.Count < 4096)
                    _nameCache[call.Name] = ok;
            }
            if (!ok)
                return false;
        }
        if (Class != SyscallClass.None && (call.Class & Class) == 0)
            return false;
        if (Failed is bool failed)
        {
            if (call.Unfinished || (call.Errno is not null) != failed)
                return false;
        }
        if (Statuses is { } statuses && (call.Status & statuses) == 0)
            return false;
        if (PathMatches is not null && !TouchesPath(call))
            return false;
        return true;
    }

    private bool TouchesPath(SyscallEvent call)
    {
        if (call.Path is string path && PathMatches!(path))
            return true;
        foreach (string literal in LiteralPaths)
            if (call.Arguments.Contains("<" + literal + ">", StringComparison.Ordinal))
                return true;
        return false;
    }
}
