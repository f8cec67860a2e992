namespace PSSyscall.Engine.Syscalls;

/// <summary>
/// "Did you mean" suggestions for misspelt syscall (or group, errno) names: the candidates with the
/// smallest edit distance (Levenshtein, case-insensitive), within a distance that still looks like
/// a typo for a name of that length.
/// </summary>
public static class SyscallNameMatcher
{
    /// <summary>Every syscall name any ABI of this machine knows (x86_64, i386, x32).</summary>
    public static IReadOnlyCollection<string> AllSyscallNames { get; } =
        SyscallTable.X86_64.Names.Concat(SyscallTable.I386.Names).Concat(SyscallTable.X32.Names)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>True when some ABI has a syscall with this exact name.</summary>
    public static bool IsKnownSyscall(string name) => ((HashSet<string>)AllSyscallNames).Contains(name);

    /// <summary>Up to <paramref name="max"/> closest names, best first; empty when none is close.</summary>
    public static IReadOnlyList<string> Suggest(string name, IEnumerable<string>? candidates = null, int max = 3)
    {
        candidates ??= AllSyscallNames;
        int limit = Math.Max(1, Math.Min(3, name.Length / 3));
        var scored = new List<(int Distance, string Name)>();
        foreach (string candidate in candidates)
        {
            if (Math.Abs(candidate.Length - name.Length) > limit)
                continue;
            int d = Distance(name, candidate, limit);
            if (d <= limit)
                scored.Add((d, candidate));
        }
        return scored.OrderBy(s => s.Distance).ThenBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => s.Name).Distinct().Take(max).ToArray();
    }

    /// <summary>The single closest name, or null.</summary>
    public static string? Closest(string name, IEnumerable<string>? candidates = null)
        => Suggest(name, candidates, 1).FirstOrDefault();

    /// <summary>" Did you mean 'openat'?" (or "'a' or 'b'"), or "" when nothing is close.</summary>
    public static string DidYouMean(string name, IEnumerable<string>? candidates = null)
    {
        var s = Suggest(name, candidates);
        return s.Count switch
        {
            0 => "",
            1 => $" Did you mean '{s[0]}'?",
            _ => " Did you mean " + string.Join(", ", s.Take(s.Count - 1).Select(n => $"'{n}'")) + $" or '{s[^1]}'?",
        };
    }

    /// <summary>Case-insensitive edit distance (Levenshtein with adjacent transpositions counted
    /// as one edit, the "optimal string alignment" distance: 'EPREM' is one edit from 'EPERM'),
    /// giving up (returning limit+1) once every alignment exceeds limit.</summary>
    public static int Distance(string a, string b, int limit = int.MaxValue)
    {
        int n = a.Length, m = b.Length;
        var rows = new int[3, m + 1];   // rows i-2, i-1, i in rotation
        for (int j = 0; j <= m; j++)
            rows[0, j] = j;
        for (int i = 1; i <= n; i++)
        {
            int cur = i % 3, prev = (i - 1) % 3, prev2 = (i + 1) % 3;
            rows[cur, 0] = i;
            int rowMin = i;
            char ca = char.ToLowerInvariant(a[i - 1]);
            for (int j = 1; j <= m; j++)
            {
                char cb = char.ToLowerInvariant(b[j - 1]);
                int cost = ca == cb ? 0 : 1;
                int d = Math.Min(Math.Min(rows[cur, j - 1] + 1, rows[prev, j] + 1), rows[prev, j - 1] + cost);
                if (i > 1 && j > 1 && ca == char.ToLowerInvariant(b[j - 2]) && char.ToLowerInvariant(a[i - 2]) == cb)
                    d = Math.Min(d, rows[prev2, j - 2] + 1);
                rows[cur, j] = d;
                rowMin = Math.Min(rowMin, d);
            }
            if (rowMin > limit)
                return limit + 1;
        }
        return rows[n % 3, m];
    }
}
