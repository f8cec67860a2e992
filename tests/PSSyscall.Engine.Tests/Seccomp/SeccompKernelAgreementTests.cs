using PSSyscall.Engine.Syscalls;
using Xunit.Abstractions;

namespace PSSyscall.Engine.Tests.Seccomp;

/// <summary>
/// The engine's BPF interpreter must predict the kernel: for each (filter, ABI, syscall, raw
/// arguments) vector, a child runs the real call under the compiled filter and its fate is compared
/// with the emulator's verdict and with the verdict written here by hand.
/// </summary>
public class SeccompKernelAgreementTests
{
    private readonly ITestOutputHelper _output;
    public SeccompKernelAgreementTests(ITestOutputHelper output) => _output = output;

    private static SeccompRule Rule(string name, SeccompAction action, params string[] conditions)
        => new(new[] { name }, action, conditions.Select(SeccompCondition.Parse));

    /// <summary>Every operator, 64-bit values across both words, masks on either word, overlapping
    /// rules and every action; admitted ABIs x86_64, i386 and x32.</summary>
    private static readonly SeccompFilter Mixed = new()
    {
        DefaultAction = SeccompAction.Errno(13),
        Architectures = { SyscallArchitecture.I386, SyscallArchitecture.X32 },
        Rules =
        {
            Rule("getpid", SeccompAction.Allow, "arg0 == 2"),
            Rule("getpid", SeccompAction.Errno(5), "arg0 == 0xffffffff"),
            Rule("getppid", SeccompAction.Allow, "arg1 != 7"),
            Rule("getuid", SeccompAction.Errno(20), "arg2 < 100"),
            Rule("getgid", SeccompAction.Errno(21), "arg3 <= 0x100000000"),
            Rule("geteuid", SeccompAction.Errno(22), "arg4 > 0xffffffff"),
            Rule("getegid", SeccompAction.Errno(23), "arg5 >= 0x100000005"),
            Rule("gettid", SeccompAction.Allow, "arg1 & 0xff00 == 0x1000"),
            Rule("gettid", SeccompAction.Errno(24), "arg0 & 0xffffffff00000000 == 0x100000000"),
            Rule("getpgrp", SeccompAction.Errno(30), "arg0 == 1"),
            Rule("getpgrp", SeccompAction.Errno(31), "arg1 == 1"),
            Rule("getpgid", SeccompAction.Errno(25), "arg0 == 0xffffffffffffffff"),
            Rule("getsid", SeccompAction.Log),
            Rule("sched_yield", SeccompAction.KillThread),
            Rule("getcpu", SeccompAction.Trap),
            Rule("umask", SeccompAction.Trace(7)),
            Rule("times", SeccompAction.KillProcess),
            Rule("alarm", SeccompAction.Notify),
            Rule("sched_getscheduler", SeccompAction.Allow),
            // Newer than libseccomp 2.5.4's tables: added by number on x86_64 (which makes the
            // compiler build x86_64 and the foreign ABIs in separate contexts and merge them).
            Rule("mseal", SeccompAction.Errno(26), "arg2 == 0"),
        },
    };

    /// <summary>x86_64 only (foreign ABIs must be killed), Allow by default, and an unconditional
    /// rule that must override a conditional one for the same call.</summary>
    private static readonly SeccompFilter NativeOnly = new()
    {
        DefaultAction = SeccompAction.Allow,
        Rules =
        {
            Rule("getuid", SeccompAction.Allow, "arg0 == 1"),
            Rule("getuid", SeccompAction.Errno(1)),
            Rule("getgid", SeccompAction.Errno(2), "arg0 >= 0x80000000"),
        },
    };

    /// <summary>A killing default.</summary>
    private static readonly SeccompFilter KillByDefault = new()
    {
        DefaultAction = SeccompAction.KillProcess,
        Rules = { Rule("getpid", SeccompAction.Allow), Rule("getppid", SeccompAction.Errno(3), "arg0 < 0x100000000") },
    };

    private const SyscallArchitecture X64 = SyscallArchitecture.X86_64, I386 = SyscallArchitecture.I386, X32 = SyscallArchitecture.X32;

    // (filter, ABI, call, args, verdict expected by hand; null where libseccomp's order of
    // overlapping rules decides, which only the kernel and the emulator must agree on).
    private static readonly (SeccompFilter Filter, SyscallArchitecture Abi, string Name, ulong[] Args, string? Expected)[] Vectors =
    {
        (Mixed, X64, "getpid", new ulong[] { 2 }, "Allow"),
        (Mixed, X64, "getpid", new ulong[] { 0xffffffff }, "Errno(5)"),
        (Mixed, X64, "getpid", new ulong[] { 0xffffffffffffffff }, "Errno(13)"),
        (Mixed, X64, "getpid", new ulong[] { 0x200000002 }, "Errno(13)"),
        (Mixed, X64, "getpid", new ulong[] { 3 }, "Errno(13)"),
        (Mixed, X64, "getppid", new ulong[] { 0, 7 }, "Errno(13)"),
        (Mixed, X64, "getppid", new ulong[] { 0, 8 }, "Allow"),
        (Mixed, X64, "getppid", new ulong[] { 0, 0x100000007 }, "Allow"),
        (Mixed, X64, "getuid", new ulong[] { 0, 0, 99 }, "Errno(20)"),
        (Mixed, X64, "getuid", new ulong[] { 0, 0, 100 }, "Errno(13)"),
        (Mixed, X64, "getuid", new ulong[] { 0, 0, 0x100000000 }, "Errno(13)"),
        (Mixed, X64, "getgid", new ulong[] { 0, 0, 0, 0x100000000 }, "Errno(21)"),
        (Mixed, X64, "getgid", new ulong[] { 0, 0, 0, 0x100000001 }, "Errno(13)"),
        (Mixed, X64, "getgid", new ulong[] { 0, 0, 0, 0xffffffff }, "Errno(21)"),
        (Mixed, X64, "geteuid", new ulong[] { 0, 0, 0, 0, 0xffffffff }, "Errno(13)"),
        (Mixed, X64, "geteuid", new ulong[] { 0, 0, 0, 0, 0x100000000 }, "Errno(22)"),
        (Mixed, X64, "geteuid", new ulong[] { 0, 0, 0, 0, 0xffffffffffffffff }, "Errno(22)"),
        (Mixed, X64, "getegid", new ulong[] { 0, 0, 0, 0, 0, 0x100000005 }, "Errno(23)"),
        (Mixed, X64, "getegid", new ulong[] { 0, 0, 0, 0, 0, 0x100000004 }, "Errno(13)"),
        (Mixed, X64, "getegid", new ulong[] { 0, 0, 0, 0, 0, 0x200000000 }, "Errno(23)"),
        (Mixed, X64, "gettid", new ulong[] { 0, 0x1000 }, "Allow"),
        (Mixed, X64, "gettid", new ulong[] { 0, 0x12ff }, "Errno(13)"),
        (Mixed, X64, "gettid", new ulong[] { 0x100000000, 0 }, "Errno(24)"),
        (Mixed, X64, "gettid", new ulong[] { 0x1ffffffff, 0x10 }, "Errno(24)"),
        (Mixed, X64, "gettid", new ulong[] { 0x200000000, 0 }, "Errno(13)"),
        (Mixed, X64, "gettid", new ulong[] { 0x100000000, 0x1000 }, null),
        (Mixed, X64, "getpgrp", new ulong[] { 1, 0 }, "Errno(30)"),
        (Mixed, X64, "getpgrp", new ulong[] { 0, 1 }, "Errno(31)"),
        (Mixed, X64, "getpgrp", new ulong[] { 1, 1 }, null),
        (Mixed, X64, "getpgrp", new ulong[] { 0, 0 }, "Errno(13)"),
        (Mixed, X64, "getpgid", new ulong[] { 0xffffffffffffffff }, "Errno(25)"),
        (Mixed, X64, "getpgid", new ulong[] { 0xffffffff }, "Errno(13)"),
        (Mixed, X64, "getsid", new ulong[] { 0 }, "Log"),
        (Mixed, X64, "sched_yield", new ulong[0], "KillThread"),
        (Mixed, X64, "getcpu", new ulong[] { 0, 0, 0 }, "Trap"),
        (Mixed, X64, "umask", new ulong[] { 18 }, "Trace(7)"),
        (Mixed, X64, "times", new ulong[] { 0 }, "KillProcess"),
        (Mixed, X64, "alarm", new ulong[] { 0 }, "Notify"),
        (Mixed, X64, "sched_getscheduler", new ulong[] { 0 }, "Allow"),
        (Mixed, X64, "getrandom", new ulong[] { 0, 0, 0 }, "Errno(13)"),
        (Mixed, X64, "mseal", new ulong[] { 0, 0, 0 }, "Errno(26)"),
        (Mixed, X64, "mseal", new ulong[] { 0, 0, 1 }, "Errno(13)"),
        (Mixed, I386, "getpid", new ulong[] { 2 }, "Allow"),
        (Mixed, I386, "getpid", new ulong[] { 0xffffffff }, "Errno(5)"),
        (Mixed, I386, "getpid", new ulong[] { 3 }, "Errno(13)"),
        (Mixed, I386, "getpid", new ulong[] { 0xffffffffffffffff }, null),
        (Mixed, I386, "getppid", new ulong[] { 0, 7 }, "Errno(13)"),
        (Mixed, I386, "getppid", new ulong[] { 0, 8 }, "Allow"),
        (Mixed, I386, "getuid", new ulong[] { 0, 0, 99 }, "Errno(20)"),
        // On i386 libseccomp keeps only the low 32 bits of values and masks: the arg0 mask
        // 0xffffffff00000000 becomes 0, so that rule always matches and overlaps the arg1 rule ...
        (Mixed, I386, "gettid", new ulong[] { 0, 0x1000 }, null),
        (Mixed, I386, "getpgrp", new ulong[] { 1, 0 }, "Errno(30)"),
        (Mixed, I386, "sched_yield", new ulong[0], "KillThread"),
        (Mixed, I386, "times", new ulong[] { 0 }, "KillProcess"),
        // ... and "arg3 <= 0x100000000" becomes "arg3 <= 0".
        (Mixed, I386, "getgid", new ulong[0], "Errno(21)"),
        (Mixed, I386, "getgid", new ulong[] { 0, 0, 0, 1 }, "Errno(13)"),
        (Mixed, X32, "getpid", new ulong[] { 2 }, "Allow"),
        (Mixed, X32, "getpid", new ulong[] { 0xffffffff }, "Errno(5)"),
        (Mixed, X32, "getppid", new ulong[] { 0, 7 }, "Errno(13)"),
        (Mixed, X32, "times", new ulong[] { 0 }, "KillProcess"),
        (NativeOnly, X64, "getuid", new ulong[] { 1 }, "Errno(1)"),
        (NativeOnly, X64, "getppid", new ulong[0], "Allow"),
        (NativeOnly, X64, "getgid", new ulong[] { 0x80000000 }, "Errno(2)"),
        (NativeOnly, X64, "getgid", new ulong[] { 0x7fffffff }, "Allow"),
        (NativeOnly, I386, "getpid", new ulong[0], "KillProcess"),
        (NativeOnly, X32, "getpid", new ulong[0], "KillProcess"),
        (KillByDefault, X64, "getpid", new ulong[0], "Allow"),
        (KillByDefault, X64, "getppid", new ulong[] { 0xffffffff }, "Errno(3)"),
        (KillByDefault, X64, "getppid", new ulong[] { 0x100000000 }, "KillProcess"),
        (KillByDefault, X64, "getuid", new ulong[0], "KillProcess"),
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EmulatorVerdictsEqualTheKernelsOnEveryVector(bool binaryTree)
    {
        var compiled = new Dictionary<SeccompFilter, CompiledSeccompFilter>();
        var failures = new List<string>();
        var actions = new HashSet<SeccompActionKind>();
        foreach (var (filter, abi, name, args, expected) in Vectors)
        {
            if (!compiled.TryGetValue(filter, out CompiledSeccompFilter? program))
            {
                SeccompFilter withProbe = SeccompProbe.WithInfrastructure(filter);
                withProbe.BinaryTree = binaryTree;
                compiled[filter] = program = withProbe.Compile();
            }
            SeccompTestResult verdict = program.Evaluate(name, abi, args);
            actions.Add(verdict.ActionKind);
            Assert.True(SyscallTable.For(abi).TryGetNumber(name, out int number));
            ProbeOutcome kernel = SeccompProbe.Run(program, abi, number, args);
            ProbeOutcome predicted = SeccompProbe.Expected(verdict);
            string line = $"{abi,-6} {name}({string.Join(", ", args.Select(a => "0x" + a.ToString("x")))}): expected {expected ?? "(either)"}, emulator {verdict.Action}, kernel {kernel}";
            _output.WriteLine(line);
            if (kernel != predicted || (expected is not null && verdict.Action != expected))
                failures.Add(line);
        }
        Assert.Empty(failures);
        Assert.True(Vectors.Length >= 40);
        // The vectors must keep covering every action and every operator.
        Assert.Equal(Enum.GetValues<SeccompActionKind>().ToHashSet(), actions);
        var operators = new[] { Mixed, NativeOnly, KillByDefault }.SelectMany(f => f.Rules).SelectMany(r => r.Conditions).Select(c => c.Operator).ToHashSet();
        Assert.Equal(Enum.GetValues<SeccompOperator>().ToHashSet(), operators);
    }
}
