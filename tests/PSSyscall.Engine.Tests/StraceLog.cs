using System.Text.RegularExpressions;

namespace PSSyscall.Engine.Tests;

/// <summary>One syscall line of an strace -f log, with unfinished/resumed halves joined.</summary>
public sealed record StraceCall(int ThreadId, string Name, string Arguments, string Result);

/// <summary>Parses `strace -f -y -s N -o FILE` output into calls per thread, in order.</summary>
public static partial class StraceLog
{
    [GeneratedRegex(@"^(\d+)\s+(.*)$")]
    private static partial Regex PidLine();

    [GeneratedRegex(@"^<\.\.\. (\w+) resumed>(.*)$")]
    private static partial Regex Resumed();

    [GeneratedRegex(@"^(\w+)\((.*)$")]
    private static partial Regex CallStart();

    [GeneratedRegex(@"\)\s+= ", RegexOptions.RightToLeft)]
    private static partial Regex ResultSeparator();

    public static List<StraceCall> Parse(string file)
    {
        var calls = new List<StraceCall>();
        var pending = new Dictionary<int, (int Index, string Name, string Head)>();
        foreach (string raw in File.ReadLines(file))
        {
            Match m = PidLine().Match(raw);
            if (!m.Success)
                continue;
            int tid = int.Parse(m.Groups[1].Value);
            string text = m.Groups[2].Value;
            if (text.StartsWith("---", StringComparison.Ordinal) || text.StartsWith("+++", StringComparison.Ordinal))
                continue;
            Match r = Resumed().Match(text);
            if (r.Success)
            {
                if (!pending.Remove(tid, out var p))
                    continue;
                string rest = r.Groups[2].Value;
                if (rest.EndsWith(" <unfinished ...>)", StringComparison.Ordinal) || rest.EndsWith(" <unfinished ...>) = ?", StringComparison.Ordinal))
                    rest = rest.Replace(" <unfinished ...>", "");
                calls[p.Index] = Complete(tid, p.Name, p.Head + rest);
                continue;
            }
            Match c = CallStart().Match(text);
            if (!c.Success)
                continue;
            string name = c.Groups[1].Value;
            string body = c.Groups[2].Value;
            if (body.EndsWith(" <unfinished ...>", StringComparison.Ordinal))
            {
                pending[tid] = (calls.Count, name, body[..^" <unfinished ...>".Length]);
                calls.Add(new StraceCall(tid, name, body[..^" <unfinished ...>".Length].TrimEnd(' ', ','), "?"));
                continue;
            }
            calls.Add(Complete(tid, name, body));
        }
        return calls;
    }

    private static StraceCall Complete(int tid, string name, string body)
    {
        // strace pads the text before " = " to a column: find the last ")<spaces>= ".
        Match m = ResultSeparator().Match(body);
        if (!m.Success)
            return new StraceCall(tid, name, body.TrimEnd(')', ' '), "?");
        return new StraceCall(tid, name, body[..m.Index], body[(m.Index + m.Length)..].Trim());
    }
}
