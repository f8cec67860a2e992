using System.Diagnostics;
using System.Globalization;

namespace PSSyscall.Engine.Tests;

/// <summary>Runs a workload under the installed strace and reads its per-syscall counts.</summary>
public static class StraceOracle
{
    /// <summary>strace -f -c: calls (and errors) per syscall name. Like strace, exit/exit_group are
    /// not counted because they never return.</summary>
    public static Dictionary<string, (int Calls, int Errors)> Count(string file, params string[] args)
    {
        string output = Path.GetTempFileName();
        try
        {
            RunStrace(["-f", "-c", "-U", "name,calls,errors", "-o", output, "--", file, .. args]);
            var counts = new Dictionary<string, (int, int)>();
            foreach (string line in File.ReadAllLines(output))
            {
                string[] cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (cols.Length < 2 || cols[0].StartsWith('-') || cols[0] == "syscall" || cols[0] == "total")
                    continue;
                if (!int.TryParse(cols[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int calls))
                    continue;
                int errors = cols.Length > 2 && int.TryParse(cols[2], out int e) ? e : 0;
                counts[cols[0]] = (calls, errors);
            }
            return counts;
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Calls and errors per name from strace -f's full output, leaving out the attempts
    /// that a signal interrupted and the kernel restarted ("= ? ERESTART... (To be restarted)").
    /// Whether a child's SIGCHLD lands in the middle of its parent's next fork or wait differs
    /// between any two runs of a shell pipeline, traced or not, so only these counts are
    /// deterministic. Calls are counted when they return, as strace -c counts them.</summary>
    public static Dictionary<string, (int Calls, int Errors)> CountWithoutRestarts(string file, params string[] args)
    {
        string output = Path.GetTempFileName();
        try
        {
            RunStrace(["-f", "-qq", "-o", output, "--", file, .. args]);
            var counts = new Dictionary<string, (int Calls, int Errors)>();
            foreach (string line in File.ReadAllLines(output))
            {
                // "PID name(args) = RESULT" or "PID <... name resumed>...) = RESULT"; unfinished
                // halves, signals and exits carry no result.
                int space = line.IndexOf(' ');
                string rest = line[(space + 1)..].TrimStart(); // strace pads the pid to five places
                if (rest.StartsWith("---") || rest.StartsWith("+++") || rest.EndsWith("<unfinished ...>"))
                    continue;
                int nameEnd = rest.StartsWith("<... ") ? rest.IndexOf(' ', 5) : rest.IndexOf('(');
                if (space < 0 || nameEnd < 0)
                    continue; // not a call line
                string name = rest.StartsWith("<... ") ? rest[5..nameEnd] : rest[..nameEnd];
                // strace pads before " = " to align results.
                var match = System.Text.RegularExpressions.Regex.Match(rest, @"\)\s+= (.*)$");
                if (!match.Success)
                    continue;
                string result = match.Groups[1].Value;
                if (result.StartsWith("? ERESTART") || result == "?")
                    continue;
                var (calls, errors) = counts.GetValueOrDefault(name);
                counts[name] = (calls + 1, errors + (result.StartsWith("-1 ") ? 1 : 0));
            }
            return counts;
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static void RunStrace(string[] straceArgs)
    {
        // The workload's stdio is /dev/null, as in TraceRunner, so both see the same descriptors.
        var psi = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-c", "exec strace \"$@\" </dev/null >/dev/null 2>/dev/null", "strace" }.Concat(straceArgs))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
    }
}
