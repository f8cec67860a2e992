using System.Text;
using System.Text.RegularExpressions;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tracing;

/// <summary>Which results to report.</summary>
public enum ResultFilter
{
    All,
    /// <summary>Only calls that failed (strace -Z).</summary>
    Failed,
    /// <summary>Only calls that succeeded (strace -z).</summary>
    Successful,
}

/// <summary>strace -e status=: how a call ended. A set of them selects calls (Start-TracedProcess
/// -Status); each <see cref="SyscallEvent"/> has one (<see cref="SyscallEvent.Status"/>).</summary>
[Flags]
public enum SyscallStatus
{
    None = 0,
    /// <summary>Returned without an error (strace -z).</summary>
    Successful = 1,
    /// <summary>Returned an error (strace -Z).</summary>
    Failed = 2,
    /// <summary>Never returned: exit_group, a thread killed or exec'd over mid-call ("= ?").</summary>
    Unfinished = 4,
    /// <summary>Returned, but the tracer could not read how. strace shows it when fetching the
    /// registers fails; this engine reads every result with PTRACE_GET_SYSCALL_INFO, so no live
    /// call has it (a strace log may).</summary>
    Unavailable = 8,
    /// <summary>The tracer let the thread go during the call ("&lt;detached ...&gt;"), as -DetachOn execve does.</summary>
    Detached = 16,
    All = Successful | Failed | Unfinished | Unavailable | Detached,
}

/// <summary>
/// What a trace reports, as Start-TracedProcess's filter parameters state it: syscall names
/// (wildcards), classes, excluded names, failed/successful, and paths (like strace -P). The name
/// and class part is a set of syscall numbers per ABI, which the seccomp fast path compiles into
/// the kernel; the rest is decided on the events. Both give the same events.
/// </summary>
public sealed class SyscallFilter
{
    private readonly bool[][] _selected; // per ABI (SyscallTable.All order), by number

    public static readonly SyscallFilter All = new(null, ResultFilter.All, Array.Empty<string>(), "", SyscallClass.None, Array.Empty<string>());

    /// <summary>The call endings reported (strace -e status=); every one by default.</summary>
    public SyscallStatus Statuses { get; private init; } = SyscallStatus.All;

    /// <summary>The signals reported (strace -e signal=), bit n for signal n; every one by default.
    /// Signals are delivered either way: this only chooses which become events.</summary>
    public ulong SignalMask { get; private init; } = ~0UL;

    internal bool SelectsSignal(int signal) => signal is >= 1 and <= 64 && (SignalMask & (1UL << (signal - 1))) != 0;

    /// <summary>Calls the tracer detached from (strace's "&lt;detached ...&gt;").</summary>
    internal bool SelectsDetached => (Statuses & SyscallStatus.Detached) != 0;

    /// <summary>This filter with another status set and signal mask (Start-TracedProcess -Status, -Signal).</summary>
    public SyscallFilter WithStatusesAndSignals(SyscallStatus statuses, ulong signalMask)
    {
        if (statuses == SyscallStatus.None)
            throw new SyscallFilterException("EmptySelection", "Status", "The status filter selects no call: name at least one of Successful, Failed, Unfinished, Unavailable, Detached.");
        return new SyscallFilter(SelectsAll ? null : _selected, Result, Paths, Description
                + (statuses != SyscallStatus.All ? " status=" + statuses : "") + (signalMask != ~0UL ? " signal=0x" + signalMask.ToString("x") : ""),
            Classes, Names)
        { Statuses = statuses, SignalMask = signalMask };
    }

    /// <summary>Parses strace's -e signal= set: names (SIGCHLD, CHLD) or numbers, "all", "none",
    /// and a leading "!" for all but the set. Throws <see cref="SyscallFilterException"/> for an
    /// unknown signal.</summary>
    public static ulong ParseSignalSet(IEnumerable<string> items)
    {
        ulong mask = 0;
        bool any = false;
        bool negate = false;
        foreach (string raw in items)
        {
            foreach (string part in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                string text = part;
                if (!any && text.StartsWith('!'))
                {
                    negate = true;
                    text = text[1..].Trim();
                }
                any = true;
                if (text.Equals("all", StringComparison.OrdinalIgnoreCase))
                    mask = ~0UL;
                else if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
                    continue;
                else if (Decoding.SignalNames.TryParse(text, out int signal))
                    mask |= 1UL << (signal - 1);
                else
                    throw new SyscallFilterException("UnknownSignal", part,
                        $"No signal named '{part}'. Give names (SIGCHLD or CHLD), numbers (1-64), 'all' or 'none'; a leading '!' selects every other signal.");
            }
        }
        return negate ? ~mask : mask;
    }

    private SyscallFilter(bool[][]? selected, ResultFilter result, IReadOnlyList<string> paths, string description,
        SyscallClass classes, IReadOnlyList<string> names)
    {
        SelectsAll = selected is null;
        _selected = selected ?? Array.Empty<bool[]>();
        Result = result;
        Paths = paths;
        PathBytes = paths.Select(p => Encoding.UTF8.GetBytes(p)).ToArray();
        Description = description;
        Classes = classes;
        Names = names;
    }

    /// <summary>True when every syscall number is selected (no name or class filter).</summary>
    public bool SelectsAll { get; }

    public ResultFilter Result { get; }

    /// <summary>Paths (as given, and resolved when they are links) a call must touch.</summary>
    public IReadOnlyList<string> Paths { get; }

    internal byte[][] PathBytes { get; }

    public SyscallClass Classes { get; }

    /// <summary>The syscall names the name and class filters selected (x86_64 names first).</summary>
    public IReadOnlyList<string> Names { get; }

    public string Description { get; }

    public bool Selects(SyscallArchitecture architecture, int number)
    {
        if (SelectsAll)
            return true;
        bool[] set = _selected[(int)architecture];
        return number >= 0 && number < set.Length && set[number];
    }

    public bool Selects(string name)
        => SelectsAll || SyscallTable.All.Any(t => t.TryGetNumber(name, out int n) && Selects(t.Architecture, n));

    internal bool SelectsResult(long ret) => (ret < 0 && ret >= -4095)
        ? (Statuses & SyscallStatus.Failed) != 0
        : (Statuses & SyscallStatus.Successful) != 0;

    /// <summary>Calls that never returned have no result: shown unless a result filter is set.</summary>
    internal bool SelectsUnfinished => (Statuses & SyscallStatus.Unfinished) != 0;

    /// <summary>Builds a filter; throws <see cref="SyscallFilterException"/> for names or classes
    /// that match nothing, contradictory choices, or an empty selection.</summary>
    public static SyscallFilter Create(IEnumerable<string>? names = null, SyscallClass classes = SyscallClass.None,
        IEnumerable<string>? excludeNames = null, ResultFilter result = ResultFilter.All, IEnumerable<string>? paths = null)
    {
        string[] include = (names ?? Array.Empty<string>()).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).ToArray();
        string[] exclude = (excludeNames ?? Array.Empty<string>()).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).ToArray();

        foreach (string pattern in include.Concat(exclude))
        {
            if (!MatchesAny(pattern))
                throw new SyscallFilterException("UnknownSyscall", pattern, UnknownNameMessage(pattern));
        }
        string[] both = include.Where(i => !HasWildcard(i)).Intersect(exclude.Where(e => !HasWildcard(e)), StringComparer.OrdinalIgnoreCase).ToArray();
        if (both.Length > 0)
            throw new SyscallFilterException("ContradictoryFilter", both[0],
                $"'{both[0]}' is both included (-Name) and excluded (-ExcludeName). Name it in only one of them.");

        var pathList = new List<string>();
        foreach (string p in paths ?? Array.Empty<string>())
        {
            if (string.IsNullOrEmpty(p))
                continue;
            if (!pathList.Contains(p))
                pathList.Add(p);
            // A relative path is matched as given, as strace -P matches it (the caller also passes
            // its resolved form); this process's own directory says nothing about it.
            if (!System.IO.Path.IsPathRooted(p))
                continue;
            // strace -P also matches what a link resolves to.
            try
            {
                string? full = System.IO.Path.GetFullPath(p);
                FileSystemInfo? target = File.Exists(full) || Directory.Exists(full)
                    ? new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) : null;
                if (target is not null && !pathList.Contains(target.FullName))
                    pathList.Add(target.FullName);
                if (full != p && !pathList.Contains(full))
                    pathList.Add(full);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        bool byNumber = include.Length > 0 || classes != SyscallClass.None || exclude.Length > 0;
        bool[][]? selected = null;
        var selectedNames = new List<string>();
        if (byNumber)
        {
            selected = new bool[SyscallTable.All.Count][];
            var includeRegex = include.Select(ToRegex).ToArray();
            var excludeRegex = exclude.Select(ToRegex).ToArray();
            bool anyInclude = include.Length > 0 || classes != SyscallClass.None;
            foreach (SyscallTable table in SyscallTable.All)
            {
                bool[] set = new bool[table.Count];
                foreach (var (number, name) in table.Entries)
                {
                    bool on = !anyInclude
                        || includeRegex.Any(r => r.IsMatch(name))
                        || (classes != SyscallClass.None && (table.GetClasses(number) & classes) != 0);
                    if (on && excludeRegex.Any(r => r.IsMatch(name)))
                        on = false;
                    set[number] = on;
                    if (on && !selectedNames.Contains(name))
                        selectedNames.Add(name);
                }
                selected[(int)table.Architecture] = set;
            }
            if (selectedNames.Count == 0)
                throw new SyscallFilterException("EmptySelection", string.Join(",", include),
                    "The filter selects no syscall: every name it includes is excluded again.");
        }
        string description = string.Join(" ", new[]
        {
            include.Length > 0 ? "name=" + string.Join(",", include) : null,
            classes != SyscallClass.None ? "class=" + classes : null,
            exclude.Length > 0 ? "exclude=" + string.Join(",", exclude) : null,
            result != ResultFilter.All ? "result=" + result : null,
            pathList.Count > 0 ? "path=" + string.Join(",", pathList) : null,
        }.Where(x => x is not null));
        return new SyscallFilter(selected, result, pathList, description, classes, selectedNames)
        {
            Statuses = result switch
            {
                ResultFilter.Failed => SyscallStatus.Failed,
                ResultFilter.Successful => SyscallStatus.Successful,
                _ => SyscallStatus.All,
            },
        };
    }

    /// <summary>Parses a class name (File, desc, %network...); throws for unknown ones.</summary>
    public static SyscallClass ParseClass(string text)
    {
        string t = text.Trim().TrimStart('%');
        if (t.Length > 0 && !char.IsDigit(t[0]) && Enum.TryParse(t, ignoreCase: true, out SyscallClass c) && c != SyscallClass.None)
            return c;
        string[] known = Enum.GetNames<SyscallClass>().Where(n => n != nameof(SyscallClass.None)).ToArray();
        string[] close = Closest(t, known, 3);
        throw new SyscallFilterException("UnknownSyscallClass", text,
            $"No syscall class named '{text}'." + (close.Length > 0 ? $" Did you mean {Quote(close)}?" : "") +
            $" Classes: {string.Join(", ", known)}.");
    }

    private static bool HasWildcard(string pattern) => pattern.IndexOfAny(['*', '?', '[']) >= 0;

    private static bool MatchesAny(string pattern)
    {
        Regex r = ToRegex(pattern);
        return SyscallTable.All.Any(t => t.Names.Any(r.IsMatch));
    }

    /// <summary>PowerShell-style wildcards (* ? [abc]), whole name, case-insensitive.</summary>
    private static Regex ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*': sb.Append(".*"); break;
                case '?': sb.Append('.'); break;
                case '[':
                    int end = pattern.IndexOf(']', i + 1);
                    if (end > i)
                    {
                        sb.Append('[').Append(Regex.Escape(pattern[(i + 1)..end]).Replace("\\-", "-")).Append(']');
                        i = end;
                    }
                    else
                    {
                        sb.Append("\\[");
                    }
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    private static string UnknownNameMessage(string pattern)
    {
        string[] close = Closest(pattern, SyscallTable.All.SelectMany(t => t.Names).Distinct().ToArray(), 3);
        return HasWildcard(pattern)
            ? $"No syscall matches '{pattern}'."
            : $"No syscall named '{pattern}'." + (close.Length > 0 ? $" Did you mean {Quote(close)}?" : "");
    }

    private static string Quote(string[] names) => names.Length == 1
        ? $"'{names[0]}'"
        : string.Join(", ", names[..^1].Select(n => $"'{n}'")) + $" or '{names[^1]}'";

    /// <summary>The nearest names by edit distance (at most a third of the word's length away).</summary>
    public static string[] Closest(string word, IReadOnlyCollection<string> candidates, int count)
    {
        string w = word.ToLowerInvariant();
        int limit = Math.Max(2, w.Length / 3);
        return candidates
            .Select(c => (Name: c, Distance: Distance(w, c.ToLowerInvariant())))
            .Where(x => x.Distance <= limit)
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(count).Select(x => x.Name).ToArray();
    }

    private static int Distance(string a, string b)
    {
        // Damerau-Levenshtein (optimal string alignment): a swapped pair counts as one edit.
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}

/// <summary>A filter that cannot be built: <see cref="ErrorId"/> names the problem, <see cref="Target"/> the input.</summary>
public sealed class SyscallFilterException : Exception, IEngineFailure
{
    public SyscallFilterException(string errorId, string target, string message) : base(message)
    {
        ErrorId = errorId;
        Target = target;
    }

    public string ErrorId { get; }

    public string Target { get; }

    object? IEngineFailure.Target => Target;

    /// <summary>Every filter failure is a selection the user gave that cannot be made.</summary>
    public FailureCategory Category => FailureCategory.InvalidArgument;
}
