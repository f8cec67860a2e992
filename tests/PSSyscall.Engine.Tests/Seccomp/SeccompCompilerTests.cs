using PSSyscall.Engine.Seccomp;
using Xunit.Abstractions;

namespace PSSyscall.Engine.Tests.Seccomp;

public class SeccompCompilerTests
{
    private readonly ITestOutputHelper _output;
    public SeccompCompilerTests(ITestOutputHelper output) => _output = output;

    private static SeccompFilter Allow(params string[] names) => new()
    {
        DefaultAction = SeccompAction.Errno(1),
        Rules = { new SeccompRule(names, SeccompAction.Allow) },
    };

    [Fact]
    public void CompilesToWholeInstructionsWithinTheKernelLimit()
    {
        var compiled = Allow("read", "write", "exit_group").Compile();
        _output.WriteLine(compiled.Disassemble());
        Assert.Equal(0, compiled.Program.Length % 8);
        Assert.InRange(compiled.InstructionCount, 5, 4096);
        Assert.Equal("Allow", compiled.Evaluate("read").Action);
        Assert.Equal("Errno(1)", compiled.Evaluate("openat").Action);
    }

    [Fact]
    public void ForeignAbisAreKilledUnlessAdmitted()
    {
        var compiled = Allow("read", "getpid").Compile();
        Assert.Equal("KillProcess", compiled.Evaluate("getpid", SyscallArchitecture.I386).Action);
        Assert.Equal("KillProcess", compiled.Evaluate("getpid", SyscallArchitecture.X32).Action);

        var filter = Allow("read", "getpid");
        filter.Architectures.Add(SyscallArchitecture.I386);
        filter.Architectures.Add(SyscallArchitecture.X32);
        compiled = filter.Compile();
        _output.WriteLine(compiled.Disassemble());
        Assert.Equal("Allow", compiled.Evaluate("getpid", SyscallArchitecture.I386).Action);
        Assert.Equal("Allow", compiled.Evaluate("getpid", SyscallArchitecture.X32).Action);
        Assert.Equal("Errno(1)", compiled.Evaluate("getppid", SyscallArchitecture.X32).Action);
    }

    [Fact]
    public void LaterUnconditionalRuleWins()
    {
        var filter = Allow("@file-system");
        filter.Rules.Add(new SeccompRule(new[] { "chmod" }, SeccompAction.KillProcess));
        var compiled = filter.Compile();
        Assert.Equal("KillProcess", compiled.Evaluate("chmod").Action);
        Assert.Equal("Allow", compiled.Evaluate("openat").Action);
    }

    [Fact]
    public void UnknownNamesSuggestTheClosest()
    {
        var e = Assert.Throws<SeccompException>(() => Allow("opnat").Compile());
        Assert.Equal("UnknownSyscall", e.ErrorId);
        Assert.Contains("'openat'", e.Message);
        var g = Assert.Throws<SeccompException>(() => Allow("@file-sytem").Compile());
        Assert.Equal("UnknownGroup", g.ErrorId);
        Assert.Contains("'@file-system'", g.Message);
    }

    [Fact]
    public void NewerSyscallsThanLibseccompKnowsCompileByNumber()
    {
        // mseal (462) is newer than libseccomp 2.5.4's tables.
        var compiled = Allow("mseal").Compile();
        Assert.Equal("Allow", compiled.Evaluate("mseal").Action);
        Assert.Equal("Errno(1)", compiled.Evaluate("read").Action);
    }

    [Fact]
    public void OverLimitFiltersAreAnError()
    {
        var filter = new SeccompFilter { DefaultAction = SeccompAction.Allow };
        // Distinct high and low words: two compares per value, well over 4096 instructions.
        for (ulong v = 1; v <= 2100; v++)
            filter.Rules.Add(new SeccompRule(new[] { "ioctl" }, SeccompAction.Errno(1), new[] { new SeccompCondition(1, SeccompOperator.Equal, v << 32 | v) }));
        var e = Assert.Throws<SeccompException>(() => filter.Compile());
        Assert.Equal("FilterTooLarge", e.ErrorId);
        Assert.Contains("4096", e.Message);
    }
}
