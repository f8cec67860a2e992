using System.Text;
using System.Text.RegularExpressions;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tracing.Faults;

/// <summary>
/// The calls a fault applies to, as syscall numbers per ABI, from names, wildcards (open*) and
/// classes (%file, or a bare class name such as "network" that is no syscall's name).
/// </summary>
internal sealed class FaultSyscallSet
{
    private static readonly SyscallTable[] Tables = { SyscallTable.X86_64, SyscallTable.I386, SyscallTable.X32 };
    private readonly bool[][] _selected; // by SyscallArchitecture, then number

    private FaultSyscallSet(bool[][] selected, IReadOnlyList<string> names)
    {
        _selected = selected;
        Names = names;
    }

    /// <summary>Every syscall name selected, in any ABI (x86_64 order first).</summary>
    public IReadOnlyList<string> Names { get; }

    public bool Contains(SyscallArchitecture architecture, int number)
    {
        int abi = (int)architecture;
        if (abi < 0 || abi >= _selected.Length)
            return false;
        bool[] set = _selected[abi];
        return number >= 0 && number < set.Length && set[number];
    }

    /// <summary>Throws <see cref="FaultException"/> ("UnknownSyscall") for a name or pattern that
    /// selects nothing, with the nearest names as suggestions.</summary>
    public static FaultSyscallSet Resolve(IEnumerable<string> patterns)
    {
        var regexes = new List<Regex>();
        var classes = SyscallClass.None;
        foreach (string raw in patterns)
        {
            string p = raw.Trim();
            if (p.Length == 0)
                continue;
            if (TryParseClass(p, out SyscallClass c))
            {
                classes |= c;
                continue;
            }
            Regex r = ToRegex(p);
            if (!Tables.Any(t => t.Names.Any(r.IsMatch)))
                throw new FaultException("UnknownSyscall", p, UnknownNameMessage(p));
            regexes.Add(r);
        }
        if (regexes.Count == 0 && classes == SyscallClass.None)
            throw new FaultException("NoSyscallNamed", "", "Name the syscalls to fault with -Name (names, wildcards such as 'open*', or classes such as '%file').");

        var selected = new bool[Tables.Length][];
        var names = new List<string>();
        foreach (SyscallTable table in Tables)
        {
            var set = new bool[table.Count];
            foreach (var (number, name) in table.Entries)
            {
                bool on = regexes.Any(r => r.IsMatch(name))
                    || (classes != SyscallClass.None && (SyscallClassesOf(table, number) & classes) != 0);
                set[number] = on;
                if (on && !names.Contains(name))
                    names.Add(name);
            }
            selected[(int)table.Architecture] = set;
        }
        if (names.Count == 0)
            throw new FaultException("UnknownSyscall", string.Join(",", patterns), "The names select no syscall.");
        return new FaultSyscallSet(selected, names);
    }

    // MERGE(decode): classes come from the one syscall table's signatures once decoding lands.
    private static SyscallClass SyscallClassesOf(SyscallTable table, int number) => SyscallClass.None;

    private static bool TryParseClass(string text, out SyscallClass c)
    {
        c = SyscallClass.None;
        bool marked = text.StartsWith('%');
        string t = text.TrimStart('%');
        if (!marked && Tables.Any(tb => tb.TryGetNumber(t, out _)))
            return false; // a syscall's own name wins over a class name
        if (t.Length == 0 || char.IsDigit(t[0]) || t.Contains(',') || !Enum.TryParse(t, ignoreCase: true, out c) || c == SyscallClass.None)
        {
            if (marked)
                throw new FaultException("UnknownSyscallClass", text,
                    $"No syscall class named '{text}'. Classes: {string.Join(", ", Enum.GetNames<SyscallClass>().Where(n => n != nameof(SyscallClass.None)).Select(n => "%" + n.ToLowerInvariant()))}.");
            return false;
        }
        return true;
    }

    private static string UnknownNameMessage(string pattern)
    {
        if (pattern.IndexOfAny(['*', '?', '[']) >= 0)
            return $"No syscall matches '{pattern}'.";
        string[] close = Closest(pattern, Tables.SelectMany(t => t.Names).Distinct().ToArray(), 3);
        string suggestion = close.Length switch
        {
            0 => "",
            1 => $" Did you mean '{close[0]}'?",
            _ => " Did you mean " + string.Join(", ", close[..^1].Select(n => $"'{n}'")) + $" or '{close[^1]}'?",
        };
        return $"No syscall named '{pattern}'." + suggestion;
    }

    /// <summary>PowerShell wildcards (* ? [a-z]) over the whole name, case-insensitive.</summary>
    internal static Regex ToRegex(string pattern, bool ignoreCase = true)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char ch = pattern[i];
            switch (ch)
            {
                case '*': sb.Append(".*"); break;
                case '?': sb.Append('.'); break;
                case '`' when i + 1 < pattern.Length:
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '[':
                    int end = pattern.IndexOf(']', i + 1);
                    if (end > i + 1)
                    {
                        string body = pattern[(i + 1)..end];
                        sb.Append('[').Append(body.Replace("\\", "\\\\").Replace("^", "\\^")).Append(']');
                        i = end;
                    }
                    else
                    {
                        sb.Append("\\[");
                    }
                    break;
                default: sb.Append(Regex.Escape(ch.ToString())); break;
            }
        }
        var options = RegexOptions.CultureInvariant | RegexOptions.Singleline | (ignoreCase ? RegexOptions.IgnoreCase : 0);
        return new Regex(sb.Append('$').ToString(), options);
    }

    private static string[] Closest(string word, IReadOnlyCollection<string> candidates, int count)
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
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
