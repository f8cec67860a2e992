namespace PSSyscall.Engine.Storage;

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
    }

    private readonly bool _byProcess;
    private readonly Dictionary<(int Pid, string Name), Row> _rows = new();

    public SyscallSummaryBuilder(bool byProcess = false) => _byProcess = byProcess;

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
        long ticks = call.Duration.Ticks;
        row.Calls++;
        if (call.Errno is not null)
            row.Errors++;
        row.TotalTicks += ticks;
        row.MinTicks = Math.Min(row.MinTicks, ticks);
        row.MaxTicks = Math.Max(row.MaxTicks, ticks);
        if (call.ProcessName.Length > 0)
            row.ProcessName = call.ProcessName;
    }

    /// <summary>The table, sorted as strace -c sorts it: by total time, most first (then by calls and
    /// name); with processes, by process id first.</summary>
    public IReadOnlyList<SyscallSummary> Build()
    {
        var totals = new Dictionary<int, long>();
        foreach (var ((pid, _), row) in _rows)
            totals[pid] = totals.GetValueOrDefault(pid) + row.TotalTicks;
        var result = new List<SyscallSummary>(_rows.Count);
        foreach (var ((pid, name), row) in _rows)
        {
            long total = totals[pid];
            result.Add(new SyscallSummary
            {
                Name = name,
                Calls = row.Calls,
                Errors = row.Errors,
                TotalTime = new TimeSpan(row.TotalTicks),
                AverageTime = new TimeSpan(row.TotalTicks / row.Calls),
                MinTime = new TimeSpan(row.MinTicks),
                MaxTime = new TimeSpan(row.MaxTicks),
                PercentTime = total == 0 ? 0 : Math.Round(100.0 * row.TotalTicks / total, 2),
                ProcessId = _byProcess ? pid : null,
                ProcessName = _byProcess ? row.ProcessName : null,
            });
        }
        result.Sort((a, b) =>
        {
            int c = (a.ProcessId ?? 0).CompareTo(b.ProcessId ?? 0);
            if (c == 0) c = b.TotalTime.CompareTo(a.TotalTime);
            if (c == 0) c = b.Calls.CompareTo(a.Calls);
            if (c == 0) c = string.CompareOrdinal(a.Name, b.Name);
            return c;
        });
        return result;
    }
}
