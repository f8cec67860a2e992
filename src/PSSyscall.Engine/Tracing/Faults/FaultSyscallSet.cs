using System.Text;
using System.Text.RegularExpressions;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tracing.Faults;

/// <summary>
/// The calls a fault applies to, as syscall numbers per ABI: names, wildcards (open*) and classes
/// (%file, or a bare class name such as "network" that is no syscall's name), resolved by the same
/// <see cref="SyscallFilter"/> that Start-TracedProcess -Name/-Class use, so both agree on every
/// name, class and suggestion.
/// </summary>
internal sealed class FaultSyscallSet
{
    private readonly SyscallFilter _filter;

    private FaultSyscallSet(SyscallFilter filter) => _filter = filter;

    /// <summary>Every syscall name selected, in any ABI (x86_64 names first).</summary>
    public IReadOnlyList<string> Names => _filter.Names;

    public bool Contains(SyscallArchitecture architecture, int number) => _filter.Selects(architecture, number);

    /// <summary>Throws <see cref="FaultException"/> (UnknownSyscall, UnknownSyscallClass,
    /// NoSyscallNamed) for names that select nothing, with the nearest names as suggestions.</summary>
    public static FaultSyscallSet Resolve(IEnumerable<string> patterns)
    {
        var names = new List<string>();
        var classes = SyscallClass.None;
        try
        {
            foreach (string raw in patterns)
            {
                string p = raw.Trim();
                if (p.Length == 0)
                    continue;
                if (p.StartsWith('%'))
                    classes |= SyscallFilter.ParseClass(p);
                else if (!IsSyscallName(p) && IsClassName(p))
                    classes |= SyscallFilter.ParseClass(p);
                else
                    names.Add(p);
            }
            if (names.Count == 0 && classes == SyscallClass.None)
                throw new FaultException("NoSyscallNamed", "", "Name the syscalls to fault with -Name (names, wildcards such as 'open*', or classes such as '%file').");
            return new FaultSyscallSet(SyscallFilter.Create(names, classes));
        }
        catch (SyscallFilterException e)
        {
            throw new FaultException(e.ErrorId, e.Target, e.Message);
        }
    }

    private static bool IsSyscallName(string p) => SyscallTable.All.Any(t => t.TryGetNumber(p, out _));

    private static bool IsClassName(string p)
        => p.Length > 0 && !char.IsDigit(p[0]) && p.IndexOfAny(['*', '?', '[', ',']) < 0
            && Enum.TryParse(p, ignoreCase: true, out SyscallClass c) && c != SyscallClass.None;

    /// <summary>PowerShell wildcards (* ? [a-z], ` escapes) over the whole text.</summary>
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
}
