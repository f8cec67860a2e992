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
        var pThreads = DecodingOracleTests.Lineage(ptrace.Select(e => (e.ThreadId, e.Name, e.Result)).ToList());
        var eThreads = DecodingOracleTests.Lineage(ebpf.Select(e => (e.ThreadId, e.Name, e.Result)).ToList());
        var byP = ptrace.GroupBy(e => pThreads.GetValueOrDefault(e.ThreadId, "?")).ToDictionary(g => g.Key, g => g.ToList());
        var byE = ebpf.GroupBy(e => eThreads.GetValueOrDefault(e.ThreadId, "?")).ToDictionary(g => g.Key, g => g.ToList());
        int compared = 0;
        var problems = new List<string>();
        SortedSet<string> names = new(StringComparer.Ordinal), skipped = new(StringComparer.Ordinal);
        foreach (string thread in byP.Keys.Union(byE.Keys).Order())
        {
            var p = byP.GetValueOrDefault(thread) ?? new();
            var o = byE.GetValueOrDefault(thread) ?? new();
            foreach (var (pi, oi) in DecodingOracleTests.Align(p.Select(e => DecodingOracleTests.AlignKey(e.Name, e.Arguments)).ToList(),
                o.Select(e => DecodingOracleTests.AlignKey(e.Name, e.Arguments)).ToList(), out _))
            {
                SyscallEvent a = p[pi], b = o[oi];
                if (a.Architecture != SyscallArchitecture.I386)
                    continue;
                if (a.Unfinished != b.Unfinished || !EbpfPlans.IsFullyCaptured(SyscallArchitecture.I386, b.Number))
                {
                    skipped.Add(a.Name);
                    continue;
                }
                compared++;
                names.Add(a.Name);
                string ea = DecodingOracleTests.Normalize(a.Arguments, pThreads, a.Name), eb = DecodingOracleTests.Normalize(b.Arguments, eThreads, b.Name);
                string ra = DecodingOracleTests.NormalizeResult(a.Result, pThreads, a.Name), rb = DecodingOracleTests.NormalizeResult(b.Result, eThreads, b.Name);
                if ((ea != eb || ra != rb) && problems.Count < 25)
                    problems.Add($"[{thread}] ptrace: {a.Name}({ea}) = {ra}\n          ebpf:   {b.Name}({eb}) = {rb}");
            }
        }
        _out.WriteLine($"{workload}: {compared} i386 calls compared: {string.Join(' ', names)}");
        _out.WriteLine($"  not fully captured: {string.Join(' ', skipped)}");
        foreach (string p in problems)
            _out.WriteLine("  " + p);
        Assert.True(compared >= 10, $"only {compared} i386 calls compared");
        Assert.Empty(problems);
    }

    private List<SyscallEvent> Run(TraceBackend backend, string file)
    {
        using var session = TraceSession.Start(new TraceOptions { StringLimit = 64, Launch = _w.Launch(file), Backend = backend });
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
