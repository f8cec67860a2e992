using PSSyscall.Engine.Storage;
using PSSyscall.Engine.Tracing;
using PSSyscall.Engine.Tracing.Faults;

namespace PSSyscall.Engine.Tests;

/// <summary>The engine parts of issue 18's run options: signal sets, status filters, pokes, users,
/// strace -c's sort orders and total row, and the -ff writer.</summary>
public class RunOptionTests : IDisposable
{
    private readonly string _dir = TraceStoreWorkload.NewDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("none", 0UL)]
    [InlineData("SIGCHLD", 1UL << 16)]
    [InlineData("chld,TERM", (1UL << 16) | (1UL << 14))]
    [InlineData("!SIGCHLD", ~(1UL << 16))]
    [InlineData("all", ~0UL)]
    [InlineData("9", 1UL << 8)]
    public void ParsesSignalSetsAsStraceDoes(string text, ulong mask)
        => Assert.Equal(mask, SyscallFilter.ParseSignalSet([text]));

    [Fact]
    public void RefusesUnknownSignals()
        => Assert.Equal("UnknownSignal", Assert.Throws<SyscallFilterException>(() => SyscallFilter.ParseSignalSet(["SIGNOPE"])).ErrorId);

    [Fact]
    public void StatusFiltersSelectResults()
    {
        SyscallFilter failed = SyscallFilter.All.WithStatusesAndSignals(SyscallStatus.Failed | SyscallStatus.Unfinished, ~0UL);
        Assert.True(failed.SelectsResult(-2));
        Assert.False(failed.SelectsResult(3));
        Assert.True(failed.SelectsUnfinished);
        Assert.False(failed.SelectsDetached);
        Assert.Equal(SyscallStatus.Failed, SyscallFilter.Create(result: ResultFilter.Failed).Statuses);
        Assert.Throws<SyscallFilterException>(() => SyscallFilter.All.WithStatusesAndSignals(SyscallStatus.None, ~0UL));
    }

    [Fact]
    public void ParsesPokes()
    {
        IReadOnlyList<FaultPoke> pokes = FaultPoke.ParseList("@arg1=DEAD,arg2=0x00BEEF");
        Assert.Equal(2, pokes.Count);
        Assert.Equal(1, pokes[0].Argument);
        Assert.Equal(new byte[] { 0xDE, 0xAD }, pokes[0].Data);
        Assert.Equal("@arg1=DEAD,@arg2=00BEEF", FaultPoke.Format(pokes));
        foreach (string bad in new[] { "@arg0=00", "@arg7=00", "@arg1=0", "@arg1=zz", "@arg1" })
            Assert.Equal("InvalidPoke", Assert.Throws<FaultException>(() => FaultPoke.ParseList(bad)).ErrorId);
    }

    [Fact]
    public void ResolvesUsersAsThePasswdDatabaseHasThem()
    {
        UserIdentity nobody = UserIdentity.Resolve("nobody");
        Assert.Equal(65534, nobody.UserId);
        Assert.Contains(nobody.GroupId, nobody.SupplementaryGroups);
        Assert.Equal(nobody.UserId, UserIdentity.Resolve("65534").UserId);
        UserIdentity both = UserIdentity.Resolve("4321:99");
        Assert.Equal((4321, 99), (both.UserId, both.GroupId));
        Assert.Empty(both.SupplementaryGroups);
        Assert.Equal("UserNotFound", Assert.Throws<TraceException>(() => UserIdentity.Resolve("no-such-user-here")).ErrorId);
    }

    private static SyscallEvent Call(string name, int number, long ms, string? errno = null)
        => new() { Name = name, Number = number, Duration = TimeSpan.FromMilliseconds(ms), Errno = errno, ReturnValue = errno is null ? 0 : -1 };

    [Fact]
    public void SortsAndTotalsAsStraceC()
    {
        var events = new[]
        {
            Call("read", 0, 5), Call("read", 0, 5), Call("close", 3, 1), Call("close", 3, 1),
            Call("openat", 257, 20, "ENOENT"), Call("mmap", 9, 2), Call("mmap", 9, 2),
        };
        IReadOnlyList<SyscallSummary> Build(SummarySortOrder order)
        {
            var b = new SyscallSummaryBuilder { SortBy = order, IncludeTotal = true };
            foreach (SyscallEvent e in events)
                b.Add(e);
            return b.Build();
        }
        // Ties keep syscall number order (read 0, close 3, mmap 9), as strace's stable sort does.
        Assert.Equal(["read", "close", "mmap", "openat", "total"], Build(SummarySortOrder.Calls).Select(r => r.Name));
        Assert.Equal(["openat", "read", "mmap", "close", "total"], Build(SummarySortOrder.Time).Select(r => r.Name));
        Assert.Equal(["close", "mmap", "openat", "read", "total"], Build(SummarySortOrder.Name).Select(r => r.Name));
        Assert.Equal(["read", "close", "mmap", "openat", "total"], Build(SummarySortOrder.Nothing).Select(r => r.Name));
        Assert.Equal("openat", Build(SummarySortOrder.Errors)[0].Name);
        SyscallSummary total = Build(SummarySortOrder.Time)[^1];
        Assert.True(total.IsTotal);
        Assert.Equal((7L, 1L, TimeSpan.FromMilliseconds(36)), (total.Calls, total.Errors, total.TotalTime));
    }

    [Fact]
    public void WritesOneStraceFilePerThreadAndReadsThemBack()
    {
        var (events, _) = TraceRunner.Run(new TraceOptions { Launch = TraceRunner.Launch(TraceStoreWorkload.Program, _dir) });
        string prefix = Path.Combine(_dir, "ff");
        File.WriteAllText(prefix + ".1", "stale");
        using (TraceFileWriter writer = PerThreadTraceWriter.Create(prefix))
            foreach (TraceEvent e in events)
                writer.Write(e);
        IReadOnlyList<string> files = TraceFiles.FindPerProcessFiles(prefix);
        Assert.Equal(events.Select(e => e.ThreadId).Distinct().Count(), files.Count);
        Assert.DoesNotContain(prefix + ".1", files);
        Assert.All(files, f => Assert.DoesNotMatch(@"^\d+ ", File.ReadAllLines(f)[0]));
        var errors = new List<TraceFileError>();
        List<TraceEvent> back = TraceFiles.Read(files, errors.Add).ToList();
        Assert.Empty(errors);
        Assert.Equal(events.Count, back.Count);
        Assert.Equal(events.OfType<SyscallEvent>().Select(e => e.Name).Order(), back.OfType<SyscallEvent>().Select(e => e.Name).Order());
    }
}
