using PSSyscall.Engine.Storage;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Tests;

/// <summary>strace's own text output of a workload reads back as the events our tracer reports for it.</summary>
public class StraceImportTests : IDisposable
{
    // Calls whose results are addresses or process ids (they differ between any two runs), and futex,
    // whose count depends on whether pthread_join had to wait.
    private static readonly HashSet<string> RunDependentResults =
        ["mmap", "brk", "mremap", "clone", "clone3", "fork", "vfork", "wait4", "getpid", "gettid", "getppid", "set_tid_address", "futex"];

    private readonly string _dir = TraceStoreWorkload.NewDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private List<TraceEvent> OurTrace()
        => TraceRunner.Run(new TraceOptions { Launch = TraceRunner.Launch(TraceStoreWorkload.Program, _dir) }).Events;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ImportGivesTheSameCallsResultsAndPathsAsOurTrace(bool perProcessFiles)
    {
        List<TraceEvent> ours = OurTrace();
        string output = Path.Combine(_dir, "strace-out");
        TraceStoreWorkload.Strace(perProcessFiles ? "-ff" : "-f", "-tt", "-T", "-y", "-s", "64", "-o", output, TraceStoreWorkload.Program, _dir);
        IReadOnlyList<string> files = perProcessFiles ? TraceFiles.FindPerProcessFiles(output) : [output];
        Assert.True(files.Count >= (perProcessFiles ? 3 : 1), "strace wrote its files");
        var errors = new List<TraceFileError>();
        List<TraceEvent> imported = TraceFiles.Read(files, errors.Add).ToList();
        Assert.Empty(errors);

        // Same calls per name.
        var ourCounts = TraceRunner.CountByName(ours);
        var theirCounts = TraceRunner.CountByName(imported);
        ourCounts.Remove("futex");
        theirCounts.Remove("futex");
        Assert.Equal(ourCounts.OrderBy(k => k.Key), theirCounts.OrderBy(k => k.Key));

        // Same return values per name.
        foreach (string name in ourCounts.Keys.Where(n => !RunDependentResults.Contains(n)))
            Assert.Equal(Results(ours, name), Results(imported, name));

        // Paths as the program gave them, quotes and spaces unescaped.
        string data = Path.Combine(_dir, "data file \"quoted\".txt");
        string subdir = Path.Combine(_dir, "subdir");
        Assert.Equal(2, Calls(imported, "openat").Count(e => e.Path == data && e.Fd is null && e.Errno is null));
        Assert.Single(Calls(imported, "openat"), e => e.Path == "/nonexistent/missing" && e.Errno == "ENOENT");
        Assert.Equal("EEXIST,", string.Join(",", Calls(imported, "mkdir").Where(e => e.Path == subdir).Select(e => e.Errno).OrderBy(e => e is null)));
        Assert.Single(Calls(imported, "unlink"), e => e.Path == data);
        Assert.Single(Calls(imported, "close"), e => e.Fd == 99 && e.Errno == "EBADF");
        Assert.Contains(Calls(imported, "read"), e => e.Fd == 3 && e.ReturnValue == 15);
        // Where our tracer decodes paths too, they must agree call for call.
        if (ours.OfType<SyscallEvent>().Any(e => e.Path is not null))
        {
            foreach (string name in ourCounts.Keys)
                Assert.Equal(Calls(ours, name).Select(e => e.Path ?? "").Order(), Calls(imported, name).Select(e => e.Path ?? "").Order());
        }
        if (ours.OfType<SyscallEvent>().Any(e => e.Fd is not null))
        {
            foreach (string name in ourCounts.Keys.Where(n => n != "mmap"))
                Assert.Equal(Calls(ours, name).Select(e => e.Fd ?? int.MinValue).Order(), Calls(imported, name).Select(e => e.Fd ?? int.MinValue).Order());
        }
        // Result text, where the decoder renders it as strace does ("3</etc/hostname>").
        if (ours.OfType<SyscallEvent>().Any(e => e.Result.Contains('<')))
        {
            foreach (string name in ourCounts.Keys.Where(n => !RunDependentResults.Contains(n)))
                Assert.Equal(Calls(ours, name).Select(e => e.Result).Order(), Calls(imported, name).Select(e => e.Result).Order());
        }
        // Classes, where the import knows them (from the syscall signature table).
        if (imported.OfType<SyscallEvent>().Any(e => e.Class != SyscallClass.None))
        {
            foreach (string name in ourCounts.Keys)
                Assert.Equal(Calls(ours, name).First().Class, Calls(imported, name).First().Class);
        }

        // Processes and threads reconstructed as the kernel had them.
        SyscallEvent execve = Calls(imported, "execve").First();
        int root = execve.ProcessId;
        int child = (int)Calls(imported, "clone").Single(e => e.ProcessId == root).ReturnValue;
        Assert.Equal(3, imported.OfType<ProcessExitEvent>().Single(e => e.ProcessId == child && e.ThreadId == child).ExitCode);
        Assert.True(imported.OfType<ProcessExitEvent>().Single(e => e.ThreadId == root).IsRoot);
        SyscallEvent gettid = Calls(imported, "gettid").Single();
        Assert.Equal(root, gettid.ProcessId);
        Assert.NotEqual(root, gettid.ThreadId);
        Assert.Single(Calls(imported, "openat"), e => e.ProcessId == child && e.ThreadId == child && e.Path == "/etc/hostname");
        Assert.Single(Calls(imported, "openat"), e => e.ProcessId == root && e.ThreadId == gettid.ThreadId && e.Path == "/etc/hostname");
        Assert.Equal(
            ours.OfType<SyscallEvent>().Skip(1).Select(e => e.ProcessName).Distinct().Order(),
            imported.OfType<SyscallEvent>().Skip(1).Select(e => e.ProcessName).Distinct().Order());

        // -tt -T: times to the microsecond, in order, with durations.
        Assert.All(Calls(imported, "openat"), e => Assert.True(e.Duration > TimeSpan.Zero && e.Timestamp.Date >= DateTime.Today.AddDays(-1)));
        Assert.Equal(ours.OfType<SignalEvent>().Count(), imported.OfType<SignalEvent>().Count());
        Assert.Equal("CLD_EXITED", imported.OfType<SignalEvent>().Single().Code);
        Assert.Equal(3, imported.OfType<SignalEvent>().Single().Value);
    }

    private static IEnumerable<SyscallEvent> Calls(IEnumerable<TraceEvent> events, string name)
        => events.OfType<SyscallEvent>().Where(e => e.Name == name && !e.Unfinished);

    private static List<(long, string?)> Results(IEnumerable<TraceEvent> events, string name)
        => Calls(events, name).Select(e => (e.ReturnValue, e.Errno)).Order().ToList();

    [Fact]
    public void UnfinishedAndResumedHalvesJoinIntoOneEvent()
    {
        string file = Path.Combine(_dir, "joined.txt");
        File.WriteAllLines(file,
        [
            "100   10:00:00.000001 newfstatat(AT_FDCWD</tmp>, \"/usr/bin/ls\",  <unfinished ...>",
            "101   10:00:00.000002 set_robust_list(0x7f88026e8a20, 24 <unfinished ...>",
            "100   10:00:00.000003 <... newfstatat resumed>0x7ffd5f21db10, 0) = -1 ENOENT (No such file or directory) <0.000031>",
            "101   10:00:00.000004 <... set_robust_list resumed>) = 0 <0.000065>",
            "[pid   101] 10:00:00.000005 read(3<UNIX:[123->456]>, \"a)b\\\"c\", 16) = 5 <0.000010>",
            "101   10:00:00.000006 umask(022)        = 022 <0.000001>",
            "101   10:00:00.000007 futex(0x1, FUTEX_WAIT, 0, NULL <unfinished ...>",
            "101   10:00:00.000008 +++ killed by SIGKILL +++",
        ]);
        var errors = new List<TraceFileError>();
        List<TraceEvent> events = TraceFiles.Read([file], errors.Add).ToList();
        Assert.Empty(errors);
        var calls = events.OfType<SyscallEvent>().ToList();
        Assert.Equal("AT_FDCWD</tmp>, \"/usr/bin/ls\", 0x7ffd5f21db10, 0", calls[0].Arguments);
        Assert.Equal(("/usr/bin/ls", (int?)null, "ENOENT", 310L), (calls[0].Path, calls[0].Fd, calls[0].Errno, calls[0].Duration.Ticks));
        Assert.Equal(new DateTime(calls[0].Timestamp.Date.Ticks + TimeSpan.FromHours(10).Ticks + 10), calls[0].Timestamp);
        Assert.Equal("0x7f88026e8a20, 24", calls[1].Arguments);
        Assert.Equal((3, 5L), (calls[2].Fd!.Value, calls[2].ReturnValue));
        Assert.Equal(18, calls[3].ReturnValue);
        Assert.True(calls[4].Unfinished);
        Assert.Equal("futex", calls[4].Name);
        var exit = events.OfType<ProcessExitEvent>().Single();
        Assert.Equal(("SIGKILL", 137), (exit.Signal, exit.ExitCode));
    }

    [Fact]
    public void AChildThatExecsBeforeItsParentsVforkReturnsKeepsItsNewName()
    {
        string file = Path.Combine(_dir, "vfork.txt");
        File.WriteAllLines(file,
        [
            "200   10:00:00.000001 execve(\"/usr/bin/sh\", [\"sh\"], 0x1 /* 1 vars */) = 0 <0.000100>",
            "200   10:00:00.000002 vfork( <unfinished ...>",
            "201   10:00:00.000003 execve(\"/usr/bin/cat\", [\"cat\"], 0x1 /* 1 vars */) = 0 <0.000100>",
            "200   10:00:00.000004 <... vfork resumed>) = 201 <0.000288>",
            "201   10:00:00.000005 openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3 <0.000010>",
            "200   10:00:00.000006 wait4(-1, NULL, 0, NULL) = 201 <0.000010>",
        ]);
        var errors = new List<TraceFileError>();
        var calls = TraceFiles.Read([file], errors.Add).OfType<SyscallEvent>().ToList();
        Assert.Empty(errors);
        Assert.Equal([("sh", 200), ("cat", 201), ("sh", 200), ("cat", 201), ("sh", 200)], calls.Select(e => (e.ProcessName, e.ProcessId)));
    }

    [Fact]
    public void ReadsPlainAndEpochTimestampsWithoutPids()
    {
        string plain = Path.Combine(_dir, "plain.txt");
        string epoch = Path.Combine(_dir, "epoch.txt");
        File.WriteAllLines(plain, ["execve(\"/bin/true\", [\"/bin/true\"], 0x7ffc /* 43 vars */) = 0", "brk(NULL)                               = 0x560afb6d8000", "exit_group(0)                           = ?", "+++ exited with 0 +++"]);
        File.WriteAllLines(epoch, ["1795360877.459940 getpid()              = 7"]);
        var errors = new List<TraceFileError>();
        var events = TraceFiles.Read([plain, epoch], errors.Add).ToList();
        Assert.Empty(errors);
        Assert.Equal(["execve", "brk", "exit_group"], events.OfType<SyscallEvent>().Take(3).Select(e => e.Name));
        Assert.Equal(0x560afb6d8000, ((SyscallEvent)events[1]).ReturnValue);
        Assert.True(((SyscallEvent)events[2]).Unfinished);
        Assert.Equal("true", events[1].ProcessName);
        var getpid = (SyscallEvent)events[^1];
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795360877459).AddTicks(9400).UtcDateTime, getpid.Timestamp.ToUniversalTime());
    }
}
