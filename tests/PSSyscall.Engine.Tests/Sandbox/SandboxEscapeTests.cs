using System.Net;
using System.Net.Sockets;
using PSSyscall.Engine.Sandbox;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Engine.Tests.Sandbox;

/// <summary>Programs that try to get out of the sandbox, and must fail to.</summary>
public class SandboxEscapeTests
{
    private static SandboxOptions Probe(params string[] args) => new() { FilePath = SandboxRunner.Probe, Arguments = args };

    private static byte[] Deny(params string[] names) => new SeccompFilter
    {
        DefaultAction = SeccompAction.Allow,
        Architectures = [SyscallArchitecture.X86_64, SyscallArchitecture.I386, SyscallArchitecture.X32],
        Rules = { new SeccompRule(names, SeccompAction.Errno(1)) },
    }.Compile().Program;

    [Fact]
    public void DeniedCallsFailWithThePolicysErrnoAndAreReported()
    {
        var run = SandboxRunner.Execute(Probe("call", "unshare", "keyctl", "getppid") with { SeccompProgram = Deny("unshare", "keyctl") });
        Assert.Equal(0, run.Result.ExitCode);
        Assert.Equal(["unshare -1 EPERM", "keyctl -1 EPERM"], run.Output.Take(2));
        Assert.EndsWith(" OK", run.Output[2]);
        Assert.Equal(["unshare", "keyctl"], run.Violations.Select(v => v.Name));
        Assert.All(run.Violations, v =>
        {
            Assert.Equal("Errno(EPERM)", v.Action);
            Assert.Equal("EPERM", v.Errno);
            Assert.True(v.Enforced);
            Assert.Equal(SyscallArchitecture.X86_64, v.Architecture);
            Assert.Equal(run.Result.ProcessId, v.ProcessId);
            Assert.Equal("sandbox_probe", v.ProcessName);
        });
        Assert.Equal("CLONE_NEWUSER", run.Violations[0].Arguments); // decoded as Start-TracedProcess shows it
        Assert.Equal(2, run.Result.ViolationCount);
    }

    private static readonly Lazy<byte[]> DockerDefault = new(() =>
        SeccompProfile.Load(Path.Combine(AppContext.BaseDirectory, "data", "seccomp", "docker-default.json")).Compile().Program);

    [Fact]
    public void DockersDefaultProfileStopsTheContainerEscapes()
    {
        var run = SandboxRunner.Execute(Probe("call", "unshare", "mount", "keyctl", "bpf", "io_uring_setup", "ptrace") with { SeccompProgram = DockerDefault.Value });
        Assert.Equal(["unshare -1 EPERM", "mount -1 EPERM", "keyctl -1 EPERM", "bpf -1 EPERM", "io_uring_setup -1 EPERM", "ptrace -1 EPERM"], run.Output);
        // Docker's profile allows ptrace on kernels since 4.8 (its minKernel rule); it fails here
        // because the sandbox has dropped every capability, so the kernel, not the policy, says EPERM.
        Assert.Equal(["unshare", "mount", "keyctl", "bpf", "io_uring_setup"], run.Violations.Select(v => v.Name));
        Assert.All(run.Violations, v => Assert.Equal("Errno(EPERM)", v.Action));
        // Arguments are decoded as Start-TracedProcess shows them, read while the call waits.
        Assert.Equal("CLONE_NEWUSER", run.Violations[0].Arguments);
        Assert.StartsWith("\"none\", \"/mnt\", \"tmpfs\", 0", run.Violations[1].Arguments);
    }

    [Theory]
    [InlineData("ls", "/")]
    [InlineData("sh", "-c", "echo one; echo two | cat")]
    [InlineData("/usr/bin/python3", "-c", "import os, json; print(json.dumps(sorted(os.listdir('/'))[:1]))")]
    public void DockersDefaultProfileRunsOrdinaryPrograms(string command, params string[] args)
    {
        var run = SandboxRunner.Execute(SandboxRunner.Options(command, args) with { SeccompProgram = DockerDefault.Value });
        Assert.Equal(0, run.Result.ExitCode);
        Assert.NotEmpty(run.Output);
        Assert.Empty(run.Violations);
    }

    [Fact]
    public void TheErrnoIsExactlyThePolicys()
    {
        byte[] policy = new SeccompFilter { Rules = { new SeccompRule(["unshare"], SeccompAction.Errno(38)) } }.Compile().Program;
        var run = SandboxRunner.Execute(Probe("call", "unshare") with { SeccompProgram = policy });
        Assert.Equal("unshare -1 ENOSYS", run.Output[0]);
        Assert.Equal("Errno(ENOSYS)", Assert.Single(run.Violations).Action);
    }

    [Theory]
    [InlineData("i386", "310", SyscallArchitecture.I386)]  // unshare through int 0x80
    [InlineData("x32", "272", SyscallArchitecture.X32)]    // unshare with __X32_SYSCALL_BIT
    public void OtherAbisAreStoppedToo(string abi, string number, SyscallArchitecture architecture)
    {
        var run = SandboxRunner.Execute(Probe(abi, number, "0x10000000") with { SeccompProgram = Deny("unshare") });
        Assert.Equal($"{abi} -1 EPERM", run.Output[0]);
        SeccompViolation v = Assert.Single(run.Violations);
        Assert.Equal("unshare", v.Name);
        Assert.Equal(architecture, v.Architecture);
    }

    [Fact]
    public void AForeignAbiIsKilledWhenThePolicyDoesNotAdmitIt()
    {
        // Only x86_64 admitted: the bad-architecture action (KillProcess) applies to int 0x80.
        byte[] policy = new SeccompFilter { Rules = { new SeccompRule(["unshare"], SeccompAction.Errno(1)) } }.Compile().Program;
        var run = SandboxRunner.Execute(Probe("i386", "64") with { SeccompProgram = policy });
        Assert.Empty(run.Output);
        Assert.Equal("SIGSYS", run.Result.Signal);
        Assert.Equal(128 + 31, run.Result.ExitCode);
        SeccompViolation v = Assert.Single(run.Violations);
        Assert.Equal(("getppid", SyscallArchitecture.I386, "KillProcess"), (v.Name, v.Architecture, v.Action));
    }

    [Fact]
    public void AFloodOfDeniedCallsIsAnsweredAndCountedWhileTheConsumerIsSlow()
    {
        using var session = SandboxSession.Start(Probe("repeat", "keyctl", "20000") with { SeccompProgram = Deny("keyctl"), MaxRecordedViolations = 100 });
        var output = new List<string>();
        int violations = 0;
        foreach (SandboxMessage m in session.ReadMessages())
        {
            if (m.Kind == SandboxMessageKind.Output)
                output.Add(m.Text!);
            else if (m.Kind == SandboxMessageKind.Violation && ++violations % 5000 == 0)
                Thread.Sleep(50); // a slow pipeline: the supervisor must wait, not pile up
        }
        Assert.Equal(["failed 20000 of 20000"], output);
        Assert.Equal(20000, violations);
        Assert.Equal(20000, session.Result!.ViolationCount);
        Assert.Equal(100, session.Result.Violations.Length);
    }

    [Fact]
    public void AuditOnlyReportsTheSameViolationsAndLetsTheCallsRun()
    {
        byte[] policy = Deny("unshare", "keyctl", "getppid");
        var enforced = SandboxRunner.Execute(Probe("call", "unshare", "keyctl", "getppid") with { SeccompProgram = policy });
        var audited = SandboxRunner.Execute(Probe("call", "unshare", "keyctl", "getppid") with { SeccompProgram = policy, AuditOnly = true });
        Assert.Equal(enforced.Violations.Select(v => (v.Name, v.Action)), audited.Violations.Select(v => (v.Name, v.Action)));
        Assert.Equal(3, audited.Violations.Count);
        Assert.All(enforced.Output, line => Assert.EndsWith(" EPERM", line));
        Assert.Equal("unshare 0 OK", audited.Output[0]);
        Assert.EndsWith(" OK", audited.Output[2]);
        Assert.All(audited.Violations, v => Assert.False(v.Enforced));
    }

    [Fact]
    public void ThreadsAndChildrenAreSupervisedAndTheShellRunsNormally()
    {
        var run = SandboxRunner.Execute(SandboxRunner.Options("sh", "-c", "echo start; unshare -U true; echo $?") with { SeccompProgram = Deny("unshare") });
        Assert.Equal("start", run.Output[0]);
        Assert.Equal("1", run.Output[1]);
        Assert.Contains(run.Violations, v => v.Name == "unshare" && v.ProcessName == "unshare");
        Assert.Contains(run.Errors, e => e.Contains("Operation not permitted"));
    }

    [Fact]
    public void TheCommandCannotSignalProcessesOutsideTheSandbox()
    {
        // The control: outside, the same shell signals this process (kill -0 checks the right).
        string script = $"kill -0 {Environment.ProcessId} 2>/dev/null; echo $?; sleep 0 & kill -0 $!; echo $?";
        Assert.Equal(["0", "0"], SandboxRunner.RunOutside("sh", "-c", script));
        // Inside, its own children still can be signalled, processes outside cannot: the PID
        // namespace does not even name them (and Landlock's signal scope, ABI 6, would refuse).
        var run = SandboxRunner.Execute(SandboxRunner.Options("sh", "-c", script));
        Assert.Equal(["1", "0"], run.Output);
    }

    [Fact]
    public void CapabilitiesAreDroppedEvenForRoot()
    {
        var run = SandboxRunner.Execute(Probe("call", "mount"));
        Assert.Equal("mount -1 EPERM", run.Output[0]);
    }

    [Fact]
    public void NoNetworkCannotReachALoopbackServerOutsideButLoopbackInsideWorks()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        string port = ((IPEndPoint)server.LocalEndpoint).Port.ToString();

        var outside = SandboxRunner.Execute(Probe("connect", port));
        Assert.Equal("connect 0 OK", outside.Output[0]); // the server is reachable without the option

        var isolated = SandboxRunner.Execute(Probe("connect", port) with { Isolation = SandboxIsolation.Network });
        Assert.Equal("connect -1 ECONNREFUSED", isolated.Output[0]);

        var inside = SandboxRunner.Execute(Probe("loopback") with { Isolation = SandboxIsolation.Network });
        Assert.Equal("loopback 0 OK", inside.Output[0]);
    }

    [Fact]
    public void LandlockDeniesWritesOutsideTheReadWritePaths()
    {
        string allowed = Directory.CreateTempSubdirectory("pssyscall-rw-").FullName;
        string other = Directory.CreateTempSubdirectory("pssyscall-other-").FullName;
        try
        {
            // Writable by anyone, so that only Landlock stands between the command (nobody) and them.
            File.SetUnixFileMode(allowed, (UnixFileMode)0x1ff);
            File.SetUnixFileMode(other, (UnixFileMode)0x1ff);
            SandboxOptions o(params string[] args) => Probe(args) with
            {
                ReadWritePaths = [allowed],
                ReadOnlyPaths = ["/etc"],
                ExecutablePaths = ["/usr", Path.GetDirectoryName(SandboxRunner.Probe)!],
            };
            Assert.Equal("write 3 OK", SandboxRunner.Execute(o("write", Path.Combine(allowed, "f"))).Output[0]);
            // Landlock denies it, and beneath the read-only root that Landlock paths bring (for the
            // metadata Landlock does not cover) the mount says so first.
            Assert.Contains(SandboxRunner.Execute(o("write", Path.Combine(other, "f"))).Output[0], new[] { "write -1 EACCES", "write -1 EROFS" });
            Assert.False(File.Exists(Path.Combine(other, "f")));
            Assert.Equal("read 3 OK", SandboxRunner.Execute(o("read", "/etc/hostname")).Output[0]);
            Assert.Equal("read -1 EACCES", SandboxRunner.Execute(o("read", "/proc/self/status")).Output[0]);
            // The same write without Landlock succeeds: the denial above is Landlock's.
            Assert.Equal("write 3 OK", SandboxRunner.Execute(Probe("write", Path.Combine(other, "f"))).Output[0]);
        }
        finally
        {
            Directory.Delete(allowed, true);
            Directory.Delete(other, true);
        }
    }

    [Fact]
    public void MaxProcessesStopsAForkLoopAlsoForRoot()
    {
        var limited = SandboxRunner.Execute(Probe("fork-loop") with { MaxProcesses = 20 });
        string[] words = limited.Output[0].Split(' ');
        Assert.Equal("EAGAIN", words[2]);
        Assert.InRange(int.Parse(words[1]), 1, 19);
    }

    [Fact]
    public void MaxMemoryStopsAnAllocationLoop()
    {
        var run = SandboxRunner.Execute(Probe("alloc", "2048") with { MaxMemory = 64L << 20 });
        // Either the allocation failed (exit 3) or the kernel's OOM killer ended it: never 2 GiB.
        Assert.True(run.Result.ExitCode == 3 || run.Result.Signal == "SIGKILL", run.Result.ToString());
        Assert.DoesNotContain("allocated 2048", run.Output);
    }

    [Fact]
    public void TimeoutKillsTheWholeTreeAndLeavesNothingBehind()
    {
        string marker = "tree-" + Guid.NewGuid().ToString("N");
        var run = SandboxRunner.Execute(Probe("tree", marker) with { Timeout = TimeSpan.FromSeconds(1) });
        Assert.True(run.Result.TimedOut);
        Assert.Equal("SIGKILL", run.Result.Signal);
        // Two children and two grandchildren that left the session were running (the ids are
        // the PID namespace's); none of them is left.
        Assert.Equal(4, run.Output.Count(l => l.StartsWith("child ") || l.StartsWith("grandchild ")));
        Assert.Empty(SandboxRunner.LiveProcessesWith(marker));
    }
}
