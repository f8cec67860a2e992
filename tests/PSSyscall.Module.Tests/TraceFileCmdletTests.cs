using System.Diagnostics;
using System.Management.Automation;

namespace PSSyscall.Module.Tests;

/// <summary>Export-SyscallEvent, Get-SyscallEvent, Measure-SyscallEvent and Start-TracedProcess
/// -OutFile/-Summary in a hosted runspace.</summary>
public class TraceFileCmdletTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pssyscall-cmdlets-" + Guid.NewGuid().ToString("N"));
    private readonly HostedPowerShell _ps = new();

    public TraceFileCmdletTests()
    {
        Directory.CreateDirectory(_dir);
        _ps.Run($"$null = $ExecutionContext.SessionState.Path.SetLocation('{_dir}')");
    }

    public void Dispose()
    {
        _ps.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private List<object> Run(string script)
    {
        var (output, errors) = _ps.Run(script);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e.ToString())));
        return output.Select(o => o.BaseObject).ToList();
    }

    [Theory]
    [InlineData("t.jsonl")]
    [InlineData("t.csv")]
    [InlineData("t.txt")]
    public void ExportedEventsReadBackAsTheSameTypedEvents(string file)
    {
        var live = Run($"Start-TracedProcess cat /etc/hostname | Export-SyscallEvent {file} -PassThru");
        var read = Run($"Get-SyscallEvent {file}");
        Assert.Equal(live.Count, read.Count);
        Assert.Equal(live.Select(e => e.GetType()), read.Select(e => e.GetType()));
        Assert.Equal(live.OfType<SyscallEvent>().Select(e => e.Name + e.Result), read.OfType<SyscallEvent>().Select(e => e.Name + e.Result));
    }

    [Fact]
    public void FormatFollowsTheExtensionUnlessGiven()
    {
        Run("Start-TracedProcess /bin/true | Export-SyscallEvent a.csv; Start-TracedProcess /bin/true | Export-SyscallEvent b.csv -Format JsonLines");
        Assert.StartsWith("\"EventType\",", File.ReadLines(Path.Combine(_dir, "a.csv")).First());
        Assert.StartsWith("{\"Format\":\"PSSyscall.TraceEvents\"", File.ReadLines(Path.Combine(_dir, "b.csv")).First());
    }

    [Fact]
    public void OutFileRecordsWhatStreams()
    {
        var live = Run("Start-TracedProcess -OutFile rec.jsonl -- sh -c 'cat /etc/hostname; exit 4'");
        Assert.Equal(4, _ps.GetVariable("LASTEXITCODE"));
        var read = Run("Get-SyscallEvent rec.jsonl");
        Assert.Equal(live.Select(e => e.ToString()), read.Select(e => e.ToString()));
        Assert.Contains("sh -c cat /etc/hostname; exit 4", File.ReadLines(Path.Combine(_dir, "rec.jsonl")).First());
    }

    [Fact]
    public void SummaryEmitsOnlyTheTableAndItsCountsEqualStraceC()
    {
        var rows = Run("Start-TracedProcess -Summary -OutFile s.jsonl -- cat /etc/hostname /nonexistent");
        Assert.All(rows, r => Assert.IsType<SyscallSummary>(r));
        var counts = rows.Cast<SyscallSummary>().ToDictionary(r => r.Name, r => (r.Calls, r.Errors));
        Assert.Equal(StraceCounts("cat", "/etc/hostname", "/nonexistent").OrderBy(k => k.Key), counts.OrderBy(k => k.Key));
        // The recording has every event, and Measure-SyscallEvent of it gives the same table.
        var measured = Run("Measure-SyscallEvent s.jsonl").Cast<SyscallSummary>().ToDictionary(r => r.Name, r => (r.Calls, r.Errors));
        Assert.Equal(counts.OrderBy(k => k.Key), measured.OrderBy(k => k.Key));
        var piped = Run("Get-SyscallEvent s.jsonl | Measure-SyscallEvent -By ProcessId");
        Assert.All(piped, r => Assert.NotNull(((SyscallSummary)r).ProcessId));
        Assert.Equal(counts.Values.Sum(c => c.Calls), piped.Cast<SyscallSummary>().Sum(r => r.Calls));
        var (output, _) = _ps.Run("Get-SyscallEvent s.jsonl | Measure-SyscallEvent -By ProcessId");
        Assert.Equal("PSSyscall.SyscallSummary#ByProcess", output[0].TypeNames[0]);
    }

    [Fact]
    public void FiltersSelectWhatTheyName()
    {
        Run("Start-TracedProcess -OutFile f.jsonl -- cat /etc/hostname /nonexistent > $null");
        var all = Run("Get-SyscallEvent f.jsonl").Cast<TraceEvent>().ToList();
        var calls = all.OfType<SyscallEvent>().ToList();

        Assert.Equal(calls.Where(e => e.Name.StartsWith("open")).Select(e => e.Name), Run("Get-SyscallEvent f.jsonl -Name OPEN*").Cast<SyscallEvent>().Select(e => e.Name));
        var failed = Run("Get-SyscallEvent f.jsonl -Failed").Cast<SyscallEvent>().ToList();
        Assert.NotEmpty(failed);
        Assert.Equal(calls.Count(e => e.Errno is not null), failed.Count);
        Assert.Equal(calls.Count(e => e.Errno is null && !e.Unfinished), Run("Get-SyscallEvent f.jsonl -Successful").Count);
        int pid = all[0].ProcessId;
        Assert.Equal(all.Count(e => e.ProcessId == pid), Run($"Get-SyscallEvent f.jsonl -ProcessId {pid}").Count);
        Assert.Empty(Run("Get-SyscallEvent f.jsonl -ProcessId 1"));
        DateTime middle = calls[calls.Count / 2].Timestamp;
        _ps.Run("", new Dictionary<string, object?> { ["middle"] = middle });
        Assert.Equal(all.Count(e => e.Timestamp >= middle), Run("Get-SyscallEvent f.jsonl -After $middle").Count);
        Assert.Equal(all.Count(e => e.Timestamp < middle), Run("Get-SyscallEvent f.jsonl -Before $middle").Count);

        ErrorRecord error = _ps.RunExpectingError("Get-SyscallEvent f.jsonl -Failed -Successful");
        Assert.StartsWith("ContradictoryFilters", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public void AccessedPathFindsCallsOnThePathInStraceLogs()
    {
        Process.Start("strace", ["-f", "-y", "-o", Path.Combine(_dir, "s.log"), "cat", "/etc/hostname"]).WaitForExit();
        var touching = Run("Get-SyscallEvent s.log -AccessedPath /etc/hostname").Cast<SyscallEvent>().ToList();
        // openat by path; fstat, read, close by the fd strace -y annotated with it.
        Assert.Contains(touching, e => e.Name == "openat" && e.Path == "/etc/hostname");
        Assert.Contains(touching, e => e.Name == "read" && e.Fd == 3);
        Assert.Contains(touching, e => e.Name == "close");
        Assert.DoesNotContain(touching, e => e.Name == "mmap" && !e.Arguments.Contains("/etc/hostname"));
        Assert.Equal(touching.Count, Run("Get-SyscallEvent s.log -AccessedPath /etc/host*").Count
            + touching.Count(e => e.Path != "/etc/hostname"));
    }

    [Fact]
    public void FilesComeFromWildcardsPipelinesAndStracePerProcessPrefixes()
    {
        Run("Start-TracedProcess /bin/true | Export-SyscallEvent w1.jsonl; Start-TracedProcess /bin/true | Export-SyscallEvent w2.jsonl");
        int one = Run("Get-SyscallEvent w1.jsonl").Count;
        Assert.Equal(2 * one, Run("Get-SyscallEvent w*.jsonl").Count);
        Assert.Equal(2 * one, Run($"[pscustomobject]@{{ PSPath = '{_dir}/w1.jsonl' }}, [pscustomobject]@{{ PSPath = '{_dir}/w2.jsonl' }} | Get-SyscallEvent").Count);
        Assert.Equal(one, Run($"[System.IO.FileInfo]::new('{_dir}/w1.jsonl') | Get-SyscallEvent").Count);
        Assert.Equal(one, Run("Get-SyscallEvent -LiteralPath w1.jsonl").Count);

        Process.Start("strace", ["-ff", "-o", Path.Combine(_dir, "ff"), "sh", "-c", "cat /etc/hostname > /dev/null"]).WaitForExit();
        var fromPrefix = Run("Get-SyscallEvent ff").Cast<TraceEvent>().ToList();
        Assert.Equal(fromPrefix.Count, Run("Get-SyscallEvent ff.*").Count);
        Assert.Equal(2, fromPrefix.Select(e => e.ProcessId).Distinct().Count());
        Assert.Contains(fromPrefix, e => e.ProcessName == "cat");
    }

    [Fact]
    public void BadFilesGiveSpecificErrorsAndTheGoodEventsStillComeOut()
    {
        Run("Start-TracedProcess /bin/true | Export-SyscallEvent good.jsonl");
        int good = Run("Get-SyscallEvent good.jsonl").Count;
        File.AppendAllText(Path.Combine(_dir, "good.jsonl"), "{\"EventType\":\"Syscall\",\"Name\":\"trunc");
        File.WriteAllBytes(Path.Combine(_dir, "empty.jsonl"), []);
        File.WriteAllBytes(Path.Combine(_dir, "junk.bin"), [0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 0xff, 0xfe]);

        var (output, errors) = _ps.Run("Get-SyscallEvent missing.jsonl, empty.jsonl, junk.bin, good.jsonl");
        Assert.Equal(good, output.Count);
        Assert.Equal(["TraceFileNotFound", "EmptyTraceFile", "NotATraceFile", "MalformedTraceLine"],
            errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.Equal([ErrorCategory.ObjectNotFound, ErrorCategory.InvalidData, ErrorCategory.InvalidData, ErrorCategory.InvalidData],
            errors.Select(e => e.CategoryInfo.Category));
        Assert.Contains($"Line {good + 2} of '{_dir}/good.jsonl'", errors[3].ErrorDetails.Message);
    }

    [Fact]
    public void ExportToAnUnwritablePlaceIsATerminatingError()
    {
        ErrorRecord error = _ps.RunExpectingError("Start-TracedProcess /bin/true | Export-SyscallEvent /nonexistent-dir/x.jsonl");
        Assert.StartsWith("TraceFileNotWritable", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.WriteError, error.CategoryInfo.Category);
        error = _ps.RunExpectingError("Start-TracedProcess -OutFile /nonexistent-dir/x.jsonl /bin/true");
        Assert.StartsWith("TraceFileNotWritable", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void NameCompletesFromTheSyscallTable()
    {
        var (output, _) = _ps.Run("(TabExpansion2 -inputScript 'Get-SyscallEvent x.jsonl -Name opena' -cursorColumn 36).CompletionMatches | ForEach-Object CompletionText");
        Assert.Contains("openat", output.Select(o => o.ToString()));
    }

    private static Dictionary<string, (long, long)> StraceCounts(string file, params string[] args)
    {
        string output = Path.GetTempFileName();
        try
        {
            var psi = new ProcessStartInfo("strace") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "-f", "-c", "-U", "name,calls,errors", "-o", output, "--", file }.Concat(args))
                psi.ArgumentList.Add(a);
            using (Process p = Process.Start(psi)!)
            {
                p.StandardOutput.ReadToEnd();
                p.StandardError.ReadToEnd();
                p.WaitForExit();
            }
            var counts = new Dictionary<string, (long, long)>();
            foreach (string line in File.ReadAllLines(output))
            {
                string[] cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (cols.Length < 2 || cols[0].StartsWith('-') || cols[0] is "syscall" or "total" || !long.TryParse(cols[1], out long calls))
                    continue;
                counts[cols[0]] = (calls, cols.Length > 2 && long.TryParse(cols[2], out long e) ? e : 0);
            }
            return counts;
        }
        finally
        {
            File.Delete(output);
        }
    }
}
