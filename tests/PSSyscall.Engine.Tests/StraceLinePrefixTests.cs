using PSSyscall.Engine.Storage;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// Every line prefix strace 6.1 writes is read or skipped by rule: the same workload traced with each
/// option gives the same calls as a plain <c>strace -f</c> log, with no error; lines that are not
/// strace's (unknown call names, impossible times) are errors, not events.
/// </summary>
public class StraceLinePrefixTests : IDisposable
{
    private readonly string _dir = TraceStoreWorkload.NewDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Trace(string name, params string[] options)
    {
        string output = Path.Combine(_dir, name + ".log");
        TraceStoreWorkload.Strace([.. options, "-o", output, TraceStoreWorkload.Program, _dir]);
        Assert.True(new FileInfo(output).Length > 0, "strace wrote its log");
        return output;
    }

    private static (List<TraceEvent> Events, List<TraceFileError> Errors) Read(string file)
    {
        var errors = new List<TraceFileError>();
        return (TraceFiles.Read([file], errors.Add).ToList(), errors);
    }

    /// <summary>What must not change with the prefixes: calls and errors per name (the workload's
    /// thread makes futex calls whose number depends on timing), exits, signals.</summary>
    private static string Summary(List<TraceEvent> events)
    {
        var counts = TraceRunner.CountByName(events);
        counts.Remove("futex");
        var paths = events.OfType<SyscallEvent>().Where(e => e.Name == "openat" && !e.Unfinished).Select(e => e.Path + " " + e.Errno).Order();
        var exits = events.OfType<ProcessExitEvent>().Select(e => e.ExitCode).Order();
        return string.Join("\n", counts.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}"))
               + "\n" + string.Join("\n", paths) + "\nexits " + string.Join(",", exits)
               + "\nsignals " + string.Join(",", events.OfType<SignalEvent>().Select(e => e.Signal));
    }

    [Theory]
    [InlineData("-i")]
    [InlineData("-n")]
    [InlineData("-i", "-n", "-tt")]
    [InlineData("-r")]
    [InlineData("-tt", "-r")]
    [InlineData("-t")]
    [InlineData("-ttt", "-T")]
    [InlineData("--timestamps=unix,ns")]
    [InlineData("--timestamps=format:time,precision:ms")]
    [InlineData("--timestamps=format:time,precision:s")]
    [InlineData("-k")]
    [InlineData("-yy")]
    [InlineData("-X", "verbose")]
    [InlineData("-X", "raw")]
    [InlineData("-v")]
    [InlineData("-x")]
    [InlineData("-xx")]
    [InlineData("-i", "-n", "-k", "-r", "-T", "-yy")]
    [InlineData("-Y")]
    [InlineData("-Y", "-tt", "-i")]
    [InlineData("-q")]
    [InlineData("--seccomp-bpf")]
    [InlineData("-e", "decode-fds=all")]
    public void EveryPrefixStraceWritesIsReadAndTheCallsAreThePlainLogs(params string[] options)
    {
        var (plain, plainErrors) = Read(Trace("plain", "-f"));
        Assert.Empty(plainErrors);
        Assert.Contains(plain, e => e is SyscallEvent { Name: "gettid" });

        string log = Trace("with", ["-f", .. options]);
        var (events, errors) = Read(log);
        Assert.Empty(errors);
        if (options.Contains("-X"))
        {
            // -X changes how flags are written, not which calls there are (but for futex: the
            // workload's thread makes futex calls only when timing has it wait).
            Assert.Equal(TraceRunner.CountByName(plain).Keys.Where(k => k != "futex").Order(),
                TraceRunner.CountByName(events).Keys.Where(k => k != "futex").Order());
            return;
        }
        Assert.Equal(Summary(plain), Summary(events));
        if (options.Any(o => o.StartsWith("-t", StringComparison.Ordinal) || o.StartsWith("--timestamps", StringComparison.Ordinal) || o == "-r"))
            Assert.All(events, e => Assert.True(Math.Abs((e.Timestamp - DateTime.Now).TotalHours) < 25, $"{e.Timestamp} is the day of the trace"));
    }

    [Fact]
    public void RelativeTimesAddUpFromTheFilesCreation()
    {
        string log = Trace("relative", "-r");
        var (events, errors) = Read(log);
        Assert.Empty(errors);
        // The deltas as strace wrote them, one a line (the first is 0).
        var deltas = File.ReadLines(log).Select(l => TimeSpan.FromTicks((long)(decimal.Parse(l.TrimStart().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond))).ToList();
        Assert.Equal(deltas.Count, events.Count);
        DateTime start = File.GetCreationTime(log);
        Assert.Equal(start, events[0].Timestamp);
        for (int i = 1; i < events.Count; i++)
            Assert.Equal(deltas[i], events[i].Timestamp - events[i - 1].Timestamp);
        Assert.True(events[^1].Timestamp > start);
    }

    [Fact]
    public void LinesThatAreNotStracesAreErrorsNotEvents()
    {
        string path = Path.Combine(_dir, "forged.log");
        File.WriteAllLines(path,
        [
            "100   10:00:00.000001 getpid() = 100",
            "100   10:00:00.000002 nonexistentcall(1, 2) = 0",
            "100   99:99:99.000003 getppid() = 1",
            "100   10:00:00.000004 [ 39] [00007f0000000000] getpid() = 100",
            "100   10:00:00.000005 [xyz] getpid() = 100",
            "100   1o:00:00.000006 getpid() = 100",
            "100   10:00:00.000007 <... bogus resumed>) = 0",
            " > /lib/x86_64-linux-gnu/libc.so.6(getpid+0x7) [0xe5b77]",
            "100   10:00:00.000008 syscall_0x1c9(0x1, 0x2) = -1 ENOSYS (Function not implemented)",
            "100<sh> 10:00:00.000009 getpid() = 100",
            "[pid   100<a b>c>] 10:00:00.000010 getpid() = 100",
            "100<sh 10:00:00.000011 getpid() = 100",
            "100   10:00:00.000012 +++ exited with 0 +++",
        ]);
        var (events, errors) = Read(path);
        Assert.Equal(["getpid", "getpid", "syscall_0x1c9", "getpid", "getpid"], events.OfType<SyscallEvent>().Select(e => e.Name));
        Assert.All(events, e => Assert.Equal(100, e.ThreadId));
        Assert.Single(events.OfType<ProcessExitEvent>());
        Assert.Equal([2L, 3L, 5L, 6L, 7L, 12L], errors.Select(e => e.LineNumber));
        Assert.All(errors, e => Assert.Equal((TraceFileErrorKind.MalformedLine, path), (e.Kind, e.FilePath)));
        Assert.Contains("nonexistentcall", errors[0].Message);
        Assert.Contains("time stamp", errors[1].Message);
    }

    [Fact]
    public void InjectedAndDelayedCallsAreMarked()
    {
        string path = Path.Combine(_dir, "inject.log");
        File.WriteAllLines(path,
        [
            "getppid()                               = 2987 (DELAYED)",
            "openat(AT_FDCWD, \"/x\", O_RDONLY) = -1 ENOENT (No such file or directory) (INJECTED)",
            "getpid()                                = 5 (INJECTED) (DELAYED)",
        ]);
        var (events, errors) = Read(path);
        Assert.Empty(errors);
        Assert.Equal([(2987L, "delay"), (-1L, "error=ENOENT"), (5L, "retval=5:delay")],
            events.OfType<SyscallEvent>().Select(e => (e.ReturnValue, e.Fault!)));
        Assert.All(events.OfType<SyscallEvent>(), e => Assert.True(e.Injected));
    }

    [Theory]
    [InlineData("-C")]
    [InlineData("-C", "-U", "name,calls,errors")]
    [InlineData("-C", "-U", "time-percent,total-time,avg-time,min-time,max-time,calls,errors,name")]
    public void TheSummaryTableAfterATraceIsSkipped(params string[] options)
    {
        var (plain, _) = Read(Trace("plain", "-f"));
        string log = Trace("summary", ["-f", .. options]);
        Assert.Contains(File.ReadLines(log), l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("total"));
        var (events, errors) = Read(log);
        Assert.Empty(errors);
        Assert.Equal(Summary(plain), Summary(events));
    }

    [Fact]
    public void AFileWithOnlyASummaryIsOneErrorThatSaysSo()
    {
        string log = Trace("counts", "-c", "-f");
        var (events, errors) = Read(log);
        Assert.Empty(events);
        TraceFileError error = Assert.Single(errors);
        Assert.Equal(TraceFileErrorKind.NotATraceFile, error.Kind);
        Assert.Contains("-c summary", error.Message);
    }
}
