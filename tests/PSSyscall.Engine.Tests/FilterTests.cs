using System.Text.RegularExpressions;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;
using Xunit.Abstractions;

namespace PSSyscall.Engine.Tests;

/// <summary>Filters: the seccomp fast path and the engine's own filtering give the same events as
/// an unfiltered trace, restricted to what was asked for; bad filter input is refused.</summary>
public sealed partial class FilterTests : IClassFixture<WorkloadFixture>
{
    private readonly WorkloadFixture _w;
    private readonly ITestOutputHelper _out;

    public FilterTests(WorkloadFixture workloads, ITestOutputHelper output)
    {
        _w = workloads;
        _out = output;
    }

    private List<SyscallEvent> Trace(string workload, SyscallFilter? filter, bool fastPath)
    {
        (string file, string[] args) = _w.Command(workload);
        var options = new PSSyscall.Engine.Tracing.TraceOptions
        {
            StringLimit = 64,
            Filter = filter,
            UseSeccompStops = fastPath,
            Launch = _w.Launch(file, args),
        };
        using var session = TraceSession.Start(options);
        return session.ReadEvents().OfType<SyscallEvent>().ToList();
    }

    [GeneratedRegex("0x[0-9a-f]+")]
    private static partial Regex Hex();

    private static List<string> Lines(IEnumerable<SyscallEvent> events)
        => events.Select(e => Hex().Replace($"{e.Name}({e.Arguments}) = {e.Result}", "0x?")).ToList();

    [Theory]
    [InlineData("fileio", true)]
    [InlineData("fileio", false)]
    [InlineData("pollfds", true)]
    [InlineData("redirect", true)]
    public void FilteredTraceEqualsUnfilteredForTheFilteredNames(string workload, bool fastPath)
    {
        string[] names = { "openat", "read", "close", "dup*", "fcntl", "write*", "execve" };
        SyscallFilter filter = SyscallFilter.Create(names);
        List<SyscallEvent> all = Trace(workload, null, false);
        List<SyscallEvent> filtered = Trace(workload, filter, fastPath);
        List<string> expected = Lines(all.Where(e => filter.Selects(e.Name)));
        List<string> actual = Lines(filtered);
        _out.WriteLine($"{workload}: {actual.Count} filtered events, {all.Count} in the full trace");
        Assert.NotEmpty(actual);
        Assert.All(filtered, e => Assert.True(filter.Selects(e.Name), e.Name));
        // Process ids differ between runs; compare per event text (single-process workloads
        // compare as is, the shell's children are compared by their order within the trace).
        Assert.Equal(expected.Select(StripPids), actual.Select(StripPids));
    }

    // pids run from 300 (the kernel reserves those below) up to pid_max (32768 here), then wrap.
    private static string StripPids(string line) => Regex.Replace(line, @"\b\d{3,}\b", "<n>");

    [Fact]
    public void DescriptorLinksAreReadOncePerDescriptorNotPerUse()
    {
        // strace -y reads /proc/PID/fd/N for every descriptor it prints; the engine caches the
        // link per process and follows close/dup/exec, so a full trace reads far fewer links.
        var options = new PSSyscall.Engine.Tracing.TraceOptions { Launch = TraceRunner.Launch("ls", "-laR", "/usr/share/doc/dpkg") };
        var (events, session) = TraceRunner.Run(options);
        var calls = events.OfType<SyscallEvent>().ToList();
        int annotated = calls.Sum(e => System.Text.RegularExpressions.Regex.Matches(e.Arguments + " " + e.Result, @"(\d|AT_FDCWD)</").Count);
        _out.WriteLine($"{calls.Count} calls, {annotated} descriptor annotations, {session.TracerLinkReads} readlinks, {session.TracerCaptureFailures} capture failures");
        Assert.True(annotated > 100, $"{annotated} annotations");
        Assert.True(session.TracerLinkReads * 2 < annotated, $"{session.TracerLinkReads} readlinks for {annotated} annotations");
        Assert.Equal(0, session.TracerCaptureFailures);
    }

    [Fact]
    public void ClassFilterSelectsStraceMembership()
    {
        SyscallFilter filter = SyscallFilter.Create(classes: SyscallClass.Network);
        List<SyscallEvent> events = Trace("sockets", filter, true);
        Assert.Contains(events, e => e.Name == "accept");
        Assert.All(events, e => Assert.True((e.Class & SyscallClass.Network) != 0, e.Name));
        Assert.DoesNotContain(events, e => e.Name is "openat" or "close" or "read");
    }

    [Fact]
    public void ResultFiltersSplitTheTrace()
    {
        List<SyscallEvent> failed = Trace("fileio", SyscallFilter.Create(result: ResultFilter.Failed), false);
        List<SyscallEvent> ok = Trace("fileio", SyscallFilter.Create(result: ResultFilter.Successful), false);
        Assert.NotEmpty(failed);
        Assert.All(failed, e => Assert.NotNull(e.Errno));
        Assert.All(ok, e => Assert.Null(e.Errno));
        Assert.Contains(failed, e => e.Name == "newfstatat" && e.Path == "missing.txt" && e.Result.StartsWith("-1 ENOENT"));
    }

    [Fact]
    public void PathFilterKeepsCallsTouchingThePath()
    {
        string data = Path.Combine(_w.Directory, "data.txt");
        List<SyscallEvent> all = Trace("fileio", null, false);
        List<SyscallEvent> touching = Trace("fileio", SyscallFilter.Create(paths: new[] { "data.txt", data }), false);
        // Calls on descriptors of the file count as touching it (strace -P), as do path arguments.
        Assert.Contains(touching, e => e.Name == "write" && e.Arguments.StartsWith("3</"));
        Assert.Contains(touching, e => e.Name == "unlink" && e.Path == "data.txt");
        Assert.DoesNotContain(touching, e => e.Name is "mmap" or "brk" or "mkdir");
        Assert.True(touching.Count < all.Count);
    }

    [Fact]
    public void ForeignAbiCallsAreNamedFromTheirOwnTableOnBothPaths()
    {
        foreach (bool fastPath in new[] { false, true })
        {
            List<SyscallEvent> events = Trace("foreignabi", SyscallFilter.Create(new[] { "getpid", "write" }), fastPath);
            Assert.Contains(events, e => e.Name == "getpid" && e.Architecture == SyscallArchitecture.I386);
            Assert.Contains(events, e => e.Name == "write" && e.Architecture == SyscallArchitecture.I386);
            Assert.Contains(events, e => e.Name == "getpid" && e.Architecture == SyscallArchitecture.X86_64);
            Assert.Contains(events, e => e.Name == "getpid" && e.Architecture == SyscallArchitecture.X32);
            Assert.DoesNotContain(events, e => e.Name == "writev");
        }
    }

    [Theory]
    [InlineData("opnat", "UnknownSyscall", "'openat'")]
    [InlineData("no_such_*", "UnknownSyscall", "No syscall matches")]
    public void UnknownNamesAreRefusedWithSuggestions(string name, string id, string text)
    {
        var e = Assert.Throws<SyscallFilterException>(() => SyscallFilter.Create(new[] { name }));
        Assert.Equal(id, e.ErrorId);
        Assert.Contains(text, e.Message);
    }

    [Fact]
    public void ContradictionsAndUnknownClassesAreRefused()
    {
        Assert.Equal("ContradictoryFilter", Assert.Throws<SyscallFilterException>(() => SyscallFilter.Create(new[] { "read" }, excludeNames: new[] { "read" })).ErrorId);
        Assert.Equal("EmptySelection", Assert.Throws<SyscallFilterException>(() => SyscallFilter.Create(new[] { "read*" }, excludeNames: new[] { "read*" })).ErrorId);
        var c = Assert.Throws<SyscallFilterException>(() => SyscallFilter.ParseClass("netwrk"));
        Assert.Equal("UnknownSyscallClass", c.ErrorId);
        Assert.Contains("'Network'", c.Message);
        Assert.Equal(SyscallClass.Network, SyscallFilter.ParseClass("%network"));
    }

    [Fact]
    public void FastPathProgramTracesOnlySelectedCallsAndForeignAbis()
    {
        string pfc = SeccompFastPath.Describe(SyscallFilter.Create(new[] { "openat" }));
        _out.WriteLine(pfc);
        Assert.Contains("action TRACE", pfc);
        Assert.Contains("257", pfc);
        Assert.DoesNotContain("== 0)", pfc); // read (0) is not traced
    }
}
