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
            // The workload's stdio is /dev/null, as in TraceRunner, so both see the same descriptors.
            var psi = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "-c", "exec strace \"$@\" </dev/null >/dev/null 2>/dev/null", "strace", "-f", "-c", "-U", "name,calls,errors", "-o", output, "--", file }.Concat(args))
                psi.ArgumentList.Add(a);
            using (var p = Process.Start(psi)!)
            {
                p.StandardOutput.ReadToEnd();
                p.StandardError.ReadToEnd();
                p.WaitForExit();
            }
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
}
