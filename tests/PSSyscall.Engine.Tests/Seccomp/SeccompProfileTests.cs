using PSSyscall.Engine.Seccomp;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Tests.Seccomp;

/// <summary>Docker's default profile: import, compile, export and re-import, and its effect on real
/// processes.</summary>
public class SeccompProfileTests
{
    public static readonly string DockerDefault = Path.Combine(AppContext.BaseDirectory, "data", "seccomp", "docker-default.json");

    [Fact]
    public void DockerDefaultResolvesAsDockerResolvesItForAmd64()
    {
        SeccompFilter filter = SeccompProfile.Load(DockerDefault).Resolve(new SeccompHost { Architecture = SyscallArchitecture.X86_64 });
        Assert.Equal(SeccompAction.Errno(1), filter.DefaultAction);
        Assert.Equal(new[] { SyscallArchitecture.X86_64, SyscallArchitecture.I386, SyscallArchitecture.X32 }, filter.Architectures);
        var names = filter.Rules.SelectMany(r => r.Names).ToHashSet();
        Assert.Contains("arch_prctl", names);          // includes.arches amd64
        Assert.DoesNotContain("riscv_flush_icache", names);
        Assert.DoesNotContain("bpf", names);           // needs CAP_SYS_ADMIN or CAP_BPF
        Assert.Contains("chroot", names);              // CAP_SYS_CHROOT is a Docker default capability
        Assert.Contains(filter.Rules, r => r.Names.Contains("clone") && r.Conditions.Count == 1 && r.Conditions[0].Operator == SeccompOperator.MaskedEqual && r.Conditions[0].Mask == 0x7E020000);
        Assert.Contains(filter.Rules, r => r.Names.Contains("clone3") && r.Action == SeccompAction.Errno(38));

        // With CAP_SYS_ADMIN, Docker allows bpf, clone unconditionally, and no longer fails clone3.
        SeccompFilter admin = SeccompProfile.Load(DockerDefault, SeccompProfile.DockerDefaultCapabilities.Append("CAP_SYS_ADMIN"));
        Assert.Contains(admin.Rules, r => r.Names.Contains("bpf"));
        Assert.DoesNotContain(admin.Rules, r => r.Names.Contains("clone3") && r.Action.Kind == SeccompActionKind.Errno);
    }

    [Fact]
    public void ResolvedDockerDefaultRoundTripsThroughOciJson()
    {
        SeccompFilter filter = SeccompProfile.Load(DockerDefault).Resolve();
        CompiledSeccompFilter compiled = filter.Compile();
        string json = SeccompProfileWriter.ToJson(filter);
        SeccompFilter again = SeccompProfile.Parse(json, "exported");
        Assert.Equal(filter.DefaultAction, again.DefaultAction);
        Assert.Equal(filter.Architectures, again.Architectures);
        Assert.Equal(filter.Rules.Select(r => r.ToString()), again.Rules.Select(r => r.ToString()));
        Assert.Equal(compiled.Program, again.Compile().Program);
        Assert.DoesNotContain("includes", json);
        Assert.Contains("\"SCMP_ARCH_X32\"", json);
    }

    [Fact]
    public void BinaryTreeLayoutRunsFewerInstructionsWithTheSameVerdicts()
    {
        SeccompFilter filter = SeccompProfile.Load(DockerDefault);
        CompiledSeccompFilter linear = filter.Compile();
        filter.BinaryTree = true;
        CompiledSeccompFilter tree = filter.Compile();
        Assert.NotEqual(linear.Program, tree.Program);
        Assert.True(SeccompEmulator.WorstCaseInstructions(tree) < SeccompEmulator.WorstCaseInstructions(linear) / 4);
        foreach (SyscallArchitecture arch in Enum.GetValues<SyscallArchitecture>())
            foreach (var (number, _) in SyscallTable.For(arch).Entries)
                foreach (ulong arg in new ulong[] { 0, 0x10000000 })
                    Assert.Equal(linear.Evaluate(SyscallTable.For(arch).GetName(number)!, arch, new[] { arg }).Action,
                                 tree.Evaluate(SyscallTable.For(arch).GetName(number)!, arch, new[] { arg }).Action);
    }

    [Theory]
    [InlineData("unshare", 0x10000000UL)]   // CLONE_NEWUSER
    [InlineData("mount", 0UL)]
    [InlineData("keyctl", 0UL)]
    [InlineData("bpf", 0UL)]
    [InlineData("io_uring_setup", 1UL)]
    public void UnderDockerDefaultTheseCallsFailWithEperm(string name, ulong arg0)
    {
        CompiledSeccompFilter compiled = SeccompProfile.Load(DockerDefault).Compile();
        Assert.True(SyscallTable.X86_64.TryGetNumber(name, out int number));
        Assert.Equal("Errno(1)", compiled.Evaluate(name, SyscallArchitecture.X86_64, new[] { arg0 }).Action);

        ProbeOutcome filtered = SeccompProbe.Run(compiled, SyscallArchitecture.X86_64, number, arg0);
        Assert.Equal(ProbeOutcome.Exited(1), filtered);
        // Control: without the filter the same call does not fail with EPERM (as root).
        ProbeOutcome unfiltered = SeccompProbe.Run(new LaunchOptions { FilePath = SeccompProbe.Path, Arguments = new[] { "64", number.ToString(), "0x" + arg0.ToString("x") } });
        Assert.NotEqual(ProbeOutcome.Exited(1), unfiltered);
    }

    [Fact]
    public void LsRunsNormallyUnderDockerDefault()
    {
        CompiledSeccompFilter compiled = SeccompProfile.Load(DockerDefault).Compile();
        var (code, output) = ProgramRunner.Run(compiled, "ls", "-a", "/usr");
        var (plainCode, plainOutput) = ProgramRunner.Run(null, "ls", "-a", "/usr");
        Assert.Equal(0, plainCode);
        Assert.Equal(0, code);
        Assert.Equal(plainOutput, output);
        Assert.NotEmpty(output);
    }
}

/// <summary>Runs a real program (optionally under a compiled filter) with its standard output in
/// a temporary file; returns its exit code (128+signal when killed) and output.</summary>
public static class ProgramRunner
{
    public static (int ExitCode, string Output) Run(CompiledSeccompFilter? filter, string command, params string[] args)
    {
        string file = Path.GetTempFileName();
        try
        {
            using (var handle = File.OpenHandle(file, FileMode.Truncate, FileAccess.Write))
            {
                var options = new LaunchOptions
                {
                    FilePath = ExecutableResolver.Resolve(command, Environment.CurrentDirectory),
                    ArgumentZero = command,
                    Arguments = args,
                    StandardOutput = (int)handle.DangerousGetHandle(),
                    SeccompProgram = filter?.Program,
                    SeccompFlags = filter is null ? 0 : filter.InstallFlags,
                    NoNewPrivileges = filter is not null,
                    Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["LC_ALL"] = "C" },
                };
                ProbeOutcome outcome = SeccompProbe.Run(options);
                int code = outcome.Signal is int s ? 128 + s : outcome.ExitCode!.Value;
                return (code, File.ReadAllText(file));
            }
        }
        finally
        {
            File.Delete(file);
        }
    }
}
