namespace PSSyscall.Engine.Storage;

/// <summary>How strace -c's table is ordered (strace -S): by total time (the default), calls,
/// errors, name, not at all (syscall number order), or average, least or most time per call.</summary>
public enum SummarySortOrder
{
    Time,
    Calls,
    Errors,
    Name,
    Nothing,
    AverageTime,
    MinTime,
    MaxTime,
}

/// <summary>Which clock times a call in strace -c's table.</summary>
public enum SummaryClock
{
    /// <summary>Wall-clock time from entry to exit (strace -c -w; the only one events from files have).</summary>
    Wall,
    /// <summary>System time the process spent in the call (strace -c's default; measured live by Start-TracedProcess -Summary).</summary>
    System,
}

/// <summary>
/// Adds up events into strace -c's table: calls, errors and time per syscall name (and per process
/// when asked). Like strace -c it counts calls that returned; a call that never returned (exit_group,
/// a thread killed mid-call) is left out. Memory grows with distinct names (and processes), not events.
/// </summary>
public sealed class SyscallSummaryBuilder
{
    private sealed class Row
    {
        public long Calls;
        public long Errors;
        public long TotalTicks;
        public long MinTicks = long.MaxValue;
        public long MaxTicks;
        public string ProcessName = "";
        public int Number = int.MaxValue;
        public int Order;
    }

    private readonly bool _byProcess;
    private readonly Dictionary<(int Pid, string Name), Row> _rows = new();

    public SyscallSummaryBuilder(bool byProcess = false) => _byProcess = byProcess;

    /// <summary>strace -S: the order of the rows.</summary>
    public SummarySortOrder SortBy { get; init; } = SummarySortOrder.Time;

    /// <summary>strace -w: which clock times the calls.</summary>
    public SummaryClock Clock { get; init; } = SummaryClock.Wall;

    /// <summary>Add strace's "total" row (per process with -By ProcessId) after the others.</summary>
    public bool IncludeTotal { get; init; }

    public void Add(TraceEvent e)
    {
        if (e is not SyscallEvent call || call.Unfinished)
            return;
        var key = (_byProcess ? call.ProcessId : 0, call.Name);
        if (!_rows.TryGetValue(key, out Row? row))
        {
            row = new Row();
            _rows[key] = row;
        }
        long ticks = Clock == SummaryClock.System ? call.SystemTime.Ticks : call.Duration.Ticks;
        if (row.Calls == 0)
        {
            row.Number = call.Number + (int)call.Architecture * 100_000; // strace's table order: by ABI and number
            row.Order = _rows.Count;
        }
        row.Calls++;
        if (call.Errno is not null)
            row.Errors++;
        row.TotalTicks += ticks;
        row.MinTicks = Math.Min(row.MinTicks, ticks);
        row.MaxTicks = Math.Max(row.MaxTicks, ticks);
        if (call.ProcessName.Length > 0)
            row.ProcessName = call.ProcessName;
    }

    /// <summary>The table, sorted as strace -c -S sorts it (ties keep syscall number order, as
    /// strace's stable sort over its table does); with processes, by process id first; with
    /// <see cref="IncludeTotal"/>, each table ends with its total row.</summary>
    public IReadOnlyList<SyscallSummary> Build()
    {
        var totals = new Dictionary<int, Row>();
        foreach (var ((pid, _), row) in _rows)
        {
            if (!totals.TryGetValue(pid, out Row? t))
                totals[pid] = t = new Row();
            t.Calls += row.Calls;
            t.Errors += row.Errors;
            t.TotalTicks += row.TotalTicks;
            t.MinTicks = Math.Min(t.MinTicks, row.MinTicks);
            t.MaxTicks = Math.Max(t.MaxTicks, row.MaxTicks);
            t.ProcessName = row.ProcessName;
        }
        var result = new List<(SyscallSummary Summary, Row Row)>(_rows.Count);
        foreach (var ((pid, name), row) in _rows)
            result.Add((ToSummary(name, row, totals[pid].TotalTicks, pid, isTotal: false), row));
        Comparison<(SyscallSummary S, Row R)> order = SortBy switch
        {
            SummarySortOrder.Calls => (a, b) => b.S.Calls.CompareTo(a.S.Calls),
            SummarySortOrder.Errors => (a, b) => b.S.Errors.CompareTo(a.S.Errors),
            SummarySortOrder.Name => (a, b) => string.CompareOrdinal(a.S.Name, b.S.Name),
            SummarySortOrder.Nothing => (a, b) => 0,
            SummarySortOrder.AverageTime => (a, b) => b.S.AverageTime.CompareTo(a.S.AverageTime),
            SummarySortOrder.MinTime => (a, b) => b.S.MinTime.CompareTo(a.S.MinTime),
            SummarySortOrder.MaxTime => (a, b) => b.S.MaxTime.CompareTo(a.S.MaxTime),
            _ => (a, b) => b.S.TotalTime.CompareTo(a.S.TotalTime),
        };
        result.Sort((a, b) =>
        {
            int c = (a.Summary.ProcessId ?? 0).CompareTo(b.Summary.ProcessId ?? 0);
            if (c == 0) c = order(a, b);
            if (c == 0) c = a.Row.Number.CompareTo(b.Row.Number);
            if (c == 0) c = string.CompareOrdinal(a.Summary.Name, b.Summary.Name);
            return c;
        });
        var rows = new List<SyscallSummary>(result.Count + totals.Count);
        for (int i = 0; i < result.Count; i++)
        {
            rows.Add(result[i].Summary);
            int pid = result[i].Summary.ProcessId ?? 0;
            bool last = i == result.Count - 1 || (result[i + 1].Summary.ProcessId ?? 0) != pid;
            if (IncludeTotal && last)
                rows.Add(ToSummary("total", totals[pid], totals[pid].TotalTicks, pid, isTotal: true));
        }
        return rows;
    }

    private SyscallSummary ToSummary(string name, Row row, long total, int pid, bool isTotal) => new()
    {
        Name = name,
        Calls = row.Calls,
        Errors = row.Errors,
        TotalTime = new TimeSpan(row.TotalTicks),
        AverageTime = new TimeSpan(row.Calls == 0 ? 0 : row.TotalTicks / row.Calls),
        MinTime = new TimeSpan(row.Calls == 0 ? 0 : row.MinTicks),
        MaxTime = new TimeSpan(row.MaxTicks),
        PercentTime = isTotal ? 100 : total == 0 ? 0 : Math.Round(100.0 * row.TotalTicks / total, 2),
        ProcessId = _byProcess ? pid : null,
        ProcessName = _byProcess ? row.ProcessName : null,
        IsTotal = isTotal,
    };
}
