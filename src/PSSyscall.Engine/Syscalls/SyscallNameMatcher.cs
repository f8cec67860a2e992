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

    /// <summary>Case-insensitive Levenshtein distance, giving up (returning limit+1) once it exceeds limit.</summary>
    public static int Distance(string a, string b, int limit = int.MaxValue)
    {
        if (a.Length < b.Length)
            (a, b) = (b, a);
        Span<int> previous = b.Length < 256 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        Span<int> current = b.Length < 256 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            int rowMin = i;
            char ca = char.ToLowerInvariant(a[i - 1]);
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = ca == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                rowMin = Math.Min(rowMin, current[j]);
            }
            if (rowMin > limit)
                return limit + 1;
            current.CopyTo(previous);
        }
        return previous[b.Length];
    }
}
