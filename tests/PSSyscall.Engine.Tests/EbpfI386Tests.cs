using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;
using PSSyscall.Engine.Tracing.Ebpf;
using Xunit.Abstractions;
using TraceOptions = PSSyscall.Engine.Tracing.TraceOptions;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// The eBPF backend on 32-bit programs (every call an i386 call, int 0x80): the kernel program
/// captures what ArgumentCapture reads on i386 (strings, buffers, descriptor paths, poll arrays,
/// fd_sets, and structures widened from their 32-bit layout: stat64, timespec, rusage...), so
/// those calls decode to the same text as with ptrace; iovecs, msghdrs (SCM_RIGHTS: rights32),
/// mmsghdrs, argv, dirents and sigreturn's frame are walked in i386's layout, clone3's tls taken.
/// The calls ptrace rewrites into the call they stand for (socketcall, ipc, the old mmap and
/// select) are not fully captured and left out.
/// </summary>
[Collection(EbpfCollection.Name)]
public sealed class EbpfI386Tests : IClassFixture<Workload32Fixture>
{
    private readonly Workload32Fixture _w;
    private readonly ITestOutputHelper _out;

    public EbpfI386Tests(Workload32Fixture workloads, ITestOutputHelper output)
    {
        _w = workloads;
        _out = output;
    }

    public static TheoryData<string> Workloads => new() { "files32", "proc32", "net32", "misc32", "old32", "rights32" };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void I386TextEqualsPtrace(string workload)
    {
        string file = Path.Combine(_w.Directory, workload);
        List<SyscallEvent> ptrace = Run(TraceBackend.Ptrace, file);
        List<SyscallEvent> ebpf = Run(TraceBackend.Ebpf, file);
        var c = BackendTextComparison.Run(ptrace, ebpf, SyscallArchitecture.I386, e => EbpfPlans.IsFullyCaptured(SyscallArchitecture.I386, e.Number));
        _out.WriteLine($"{workload}: {c.Compared} i386 calls compared: {string.Join(' ', c.ComparedNames)}");
        _out.WriteLine($"  not fully captured: {string.Join(' ', c.SkippedNames)}");
        foreach (string p in c.Problems)
            _out.WriteLine("  " + p);
        Assert.True(c.Compared >= 10, $"only {c.Compared} i386 calls compared");
        Assert.Empty(c.Problems);
    }

    /// <summary>-Name selects i386 calls by their own names in the kernel, as ptrace selects them.</summary>
    [Fact]
    public void NameSelectsI386CallsAsPtraceDoes()
    {
        string file = Path.Combine(_w.Directory, "files32");
        var filter = SyscallFilter.Create(["openat", "read", "fstat64"]);
        List<SyscallEvent> ptrace = Run(TraceBackend.Ptrace, file, filter);
        List<SyscallEvent> ebpf = Run(TraceBackend.Ebpf, file, filter);
        static string Counts(List<SyscallEvent> events) => string.Join(" ", events.Where(e => e.Architecture == SyscallArchitecture.I386)
            .GroupBy(e => e.Name).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}:{g.Count()}"));
        _out.WriteLine($"ptrace {Counts(ptrace)}; ebpf {Counts(ebpf)}");
        Assert.Contains("openat:", Counts(ebpf));
        Assert.Equal(Counts(ptrace), Counts(ebpf));
        Assert.All(ebpf, e => Assert.Contains(e.Name, new[] { "openat", "read", "fstat64" }));
    }

    private List<SyscallEvent> Run(TraceBackend backend, string file, SyscallFilter? filter = null)
    {
        using var session = TraceSession.Start(new TraceOptions { StringLimit = 64, Launch = _w.Launch(file), Backend = backend, Filter = filter });
        var events = session.ReadEvents().OfType<SyscallEvent>().ToList();
        Assert.Equal(backend, session.Backend);
        return events;
    }
}

/// <summary>The eBPF test classes run one after the other: NoBpfObjectIsLeftOpenAfterATrace counts
/// this process's BPF descriptors, which another class's trace would change.</summary>
[CollectionDefinition(Name)]
public sealed class EbpfCollection
{
    public const string Name = "eBPF backend";
}
