using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// Two traces of the same program (ptrace's and eBPF's), compared call by call as decoded text:
/// thread by thread (named by their place in the process tree), the calls aligned, arguments and
/// results normalised as the decoding oracle does (DecodingOracleTests). Only the calls of one
/// ABI are compared, and only those the kernel side captures in full and both saw finish.
/// </summary>
internal sealed class BackendTextComparison
{
    public int Compared { get; private set; }
    public SortedSet<string> ComparedNames { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> SkippedNames { get; } = new(StringComparer.Ordinal);
    public int Skipped { get; private set; }

    /// <summary>The first 25 differences, each as two lines.</summary>
    public List<string> Problems { get; } = new();

    public static BackendTextComparison Run(List<SyscallEvent> ptrace, List<SyscallEvent> ebpf, SyscallArchitecture architecture, Func<SyscallEvent, bool> fullyCaptured)
    {
        var result = new BackendTextComparison();
        var pThreads = DecodingOracleTests.Lineage(ptrace.Select(e => (e.ThreadId, e.Name, e.Result)).ToList());
        var eThreads = DecodingOracleTests.Lineage(ebpf.Select(e => (e.ThreadId, e.Name, e.Result)).ToList());
        var byP = ptrace.GroupBy(e => pThreads.GetValueOrDefault(e.ThreadId, "?")).ToDictionary(g => g.Key, g => g.ToList());
        var byE = ebpf.GroupBy(e => eThreads.GetValueOrDefault(e.ThreadId, "?")).ToDictionary(g => g.Key, g => g.ToList());
        foreach (string thread in byP.Keys.Union(byE.Keys).Order())
        {
            var p = byP.GetValueOrDefault(thread) ?? new();
            var o = byE.GetValueOrDefault(thread) ?? new();
            foreach (var (pi, oi) in DecodingOracleTests.Align(p.Select(e => DecodingOracleTests.AlignKey(e.Name, e.Arguments)).ToList(),
                o.Select(e => DecodingOracleTests.AlignKey(e.Name, e.Arguments)).ToList(), out _))
            {
                SyscallEvent a = p[pi], b = o[oi];
                if (a.Architecture != architecture)
                    continue;
                if (a.Unfinished != b.Unfinished || !fullyCaptured(b))
                {
                    result.Skipped++;
                    result.SkippedNames.Add(a.Name);
                    continue;
                }
                result.Compared++;
                result.ComparedNames.Add(a.Name);
                string ea = DecodingOracleTests.Normalize(a.Arguments, pThreads, a.Name), eb = DecodingOracleTests.Normalize(b.Arguments, eThreads, b.Name);
                string ra = DecodingOracleTests.NormalizeResult(a.Result, pThreads, a.Name), rb = DecodingOracleTests.NormalizeResult(b.Result, eThreads, b.Name);
                if ((ea != eb || ra != rb) && result.Problems.Count < 25)
                    result.Problems.Add($"[{thread}] ptrace: {a.Name}({ea}) = {ra}\n          ebpf:   {b.Name}({eb}) = {rb}");
            }
        }
        return result;
    }
}
