using PSSyscall.Engine.Sandbox;

namespace PSSyscall.Engine.Tests.Sandbox;

/// <summary>
/// The ways out that an adversarial review found (issue 12), as programs (sandbox_escape.c). Each
/// test runs the program in the sandbox, where it must fail, and outside it, where it must do the
/// forbidden thing: the control that shows the test can fail.
/// </summary>
public class SandboxHardeningTests
{
    private static SandboxOptions Escape(params string[] args) => new() { FilePath = SandboxRunner.Escape, Arguments = args };

    // The suite runs as root (as CI does): the controls need root's rights, and root is the
    // caller the review got out as.

    // ---------------------------------------------------------------- cause 1: root, cgroups, sysctls

    [Fact]
    public void TheCommandDoesNotRunAsRootUnlessAskedTo()
    {
        var run = SandboxRunner.Execute(SandboxRunner.Options("sh", "-c", "id -u; id -g; id -G; grep ^CapEff /proc/self/status"));
        Assert.Equal(["65534", "65534", "65534"], run.Output.Take(3));
        Assert.Equal("CapEff:\t0000000000000000", run.Output[3]);
        var asRoot = SandboxRunner.Execute(SandboxRunner.Options("id", "-u") with { UserId = 0 });
        Assert.Equal(["0"], asRoot.Output);
    }

    [Fact]
    public void TheCommandCannotMoveItselfIntoTheRootCgroup()
    {
        string procs = RootCgroupProcsWithPids();
        // Outside, root moves itself out of its cgroup (the control).
        Assert.Equal(["cgroup.procs 0 OK"], SandboxRunner.RunOutside(SandboxRunner.Escape, "cgroup-escape", procs));
        // Inside, with limits that need the sandbox's cgroup: as nobody (default) and as root
        // without capabilities (-UserId 0), the hierarchy is read-only.
        var run = SandboxRunner.Execute(Escape("cgroup-escape", procs) with { MaxProcesses = 20, MaxMemory = 64L << 20 });
        Assert.Contains(run.Output.Single(), new[] { "cgroup.procs -1 EACCES", "cgroup.procs -1 EROFS" });
        var asRoot = SandboxRunner.Execute(Escape("cgroup-escape", procs) with { MaxProcesses = 20, UserId = 0 });
        Assert.Equal(["cgroup.procs -1 EROFS"], asRoot.Output);
    }

    [Fact]
    public void TheCommandCannotWriteHostSysctls()
    {
        const string sysctl = "/proc/sys/vm/stat_interval";
        Assert.Equal(["sysctl 0 OK"], SandboxRunner.RunOutside(SandboxRunner.Escape, "sysctl", sysctl));
        Assert.Contains(SandboxRunner.Execute(Escape("sysctl", sysctl)).Output.Single(), new[] { "sysctl -1 EACCES", "sysctl -1 EROFS" });
        Assert.Equal(["sysctl -1 EROFS"], SandboxRunner.Execute(Escape("sysctl", sysctl) with { UserId = 0 }).Output);
    }

    [Fact]
    public void ADetachedDaemonEndsWithTheCommand()
    {
        string marker = "daemon-" + Guid.NewGuid().ToString("N");
        try
        {
            // Outside, the double-forked setsid child lives on after its parent has exited.
            Assert.Equal(["detached"], SandboxRunner.RunOutside(SandboxRunner.Escape, "daemon", marker));
            Assert.NotEmpty(WaitFor(() => SandboxRunner.LiveProcessesWith(marker), found => found.Count > 0));
            KillAll(marker);

            // Inside, it ends with the command, without a timeout or a cancel.
            var run = SandboxRunner.Execute(Escape("daemon", marker));
            Assert.Equal(["detached"], run.Output);
            Assert.Empty(SandboxRunner.LiveProcessesWith(marker));
        }
        finally
        {
            KillAll(marker);
        }
    }

    // ---------------------------------------------------------------- cause 2: unix sockets under -NoNetwork

    [Fact]
    public void NoNetworkCutsPathnameUnixSockets()
    {
        string dir = Directory.CreateTempSubdirectory("pssyscall-unix-").FullName;
        string path = Path.Combine(dir, "listener");
        try
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0x1ff);
            using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
            listener.Listen(8);
            File.SetUnixFileMode(path, (UnixFileMode)0x1ff); // connecting needs write access: anyone may

            // Controls: outside, and inside without -NoNetwork, the program reaches the listener.
            Assert.Equal(["connect 0 OK"], SandboxRunner.RunOutside(SandboxRunner.Escape, "unix-connect", path));
            Assert.Equal("escaped\n", Receive(listener));
            Assert.Equal(["connect 0 OK"], SandboxRunner.Execute(Escape("unix-connect", path)).Output);
            Assert.Equal("escaped\n", Receive(listener));

            var cut = SandboxRunner.Execute(Escape("unix-connect", path) with { Isolation = SandboxIsolation.Network | SandboxIsolation.Pid | SandboxIsolation.Mount });
            Assert.Equal(["socket -1 EACCES"], cut.Output);
            listener.Blocking = false;
            Assert.Throws<System.Net.Sockets.SocketException>(() => listener.Accept());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("i386", "102", "1")]        // socketcall(SYS_SOCKET, ...): the family is in memory, so every socketcall socket
    [InlineData("i386", "359", "1")]        // socket(AF_UNIX) through int 0x80
    [InlineData("x32", "41", "1")]          // socket(AF_UNIX) with __X32_SYSCALL_BIT
    [InlineData("x32", "41", "0x100000001")] // AF_UNIX with garbage in the upper half, which the kernel ignores
    public void NoNetworkCutsUnixSocketsOnEveryAbi(string abi, string number, string family)
    {
        var run = SandboxRunner.Execute(new SandboxOptions { FilePath = SandboxRunner.Probe, Arguments = [abi, number, family], Isolation = SandboxIsolation.Network });
        Assert.Equal($"{abi} -1 EACCES", run.Output.Single());
        // The control: the same call without -NoNetwork is not refused with EACCES.
        var open = SandboxRunner.Execute(new SandboxOptions { FilePath = SandboxRunner.Probe, Arguments = [abi, number, family] });
        Assert.NotEqual($"{abi} -1 EACCES", open.Output.Single());
    }

    [Fact]
    public void NoNetworkKeepsSocketpairAndInternetSockets()
    {
        var run = SandboxRunner.Execute(new SandboxOptions { FilePath = SandboxRunner.Probe, Arguments = ["loopback"], Isolation = SandboxIsolation.Network });
        Assert.Equal(["loopback 0 OK"], run.Output);
        var shell = SandboxRunner.Execute(SandboxRunner.Options("sh", "-c", "echo piped | cat") with { Isolation = SandboxIsolation.Network });
        Assert.Equal(["piped"], shell.Output);
    }

    // ---------------------------------------------------------------- cause 3: io_uring around a deny-list

    private static byte[] Deny(SeccompAction action, params string[] names) => new SeccompFilter
    {
        Architectures = [SyscallArchitecture.X86_64, SyscallArchitecture.I386, SyscallArchitecture.X32],
        Rules = { new SeccompRule(names, action) },
    }.Compile().Program;

    [Fact]
    public void ADenyListCannotBeBypassedThroughIoUring()
    {
        string dir = Directory.CreateTempSubdirectory("pssyscall-uring-").FullName;
        try
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0x1ff);
            // The control: outside, io_uring makes the directory.
            Assert.Equal(["uring-mkdirat 0 OK"], SandboxRunner.RunOutside(SandboxRunner.Escape, "uring-mkdir", Path.Combine(dir, "outside")));
            Assert.True(Directory.Exists(Path.Combine(dir, "outside")));

            foreach (SeccompAction action in new[] { SeccompAction.Errno(1), SeccompAction.KillProcess })
            {
                string target = Path.Combine(dir, "inside-" + action.Kind);
                var run = SandboxRunner.Execute(Escape("uring-mkdir", target) with { SeccompProgram = Deny(action, "mkdir", "mkdirat") });
                Assert.Equal(["io_uring_setup -1 EPERM"], run.Output);
                Assert.False(Directory.Exists(target));
                Assert.Contains(run.Result.Notes, n => n.Contains("io_uring") && n.Contains("-AllowIoUring"));
            }

            // Allowed in so many words, io_uring works (and the note is gone).
            string allowed = Path.Combine(dir, "allowed");
            var permitted = SandboxRunner.Execute(Escape("uring-mkdir", allowed) with { SeccompProgram = Deny(SeccompAction.Errno(1), "mkdir", "mkdirat"), AllowIoUring = true });
            Assert.Equal(["uring-mkdirat 0 OK"], permitted.Output);
            Assert.Empty(permitted.Result.Notes);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void APolicyThatDeniesIoUringItselfReportsIt()
    {
        // Docker's profile denies io_uring_setup: its own violation is reported, no note needed.
        var run = SandboxRunner.Execute(Escape("uring-mkdir", "/nonexistent/x") with { SeccompProgram = Deny(SeccompAction.Errno(1), "io_uring_setup", "mkdirat") });
        Assert.Equal(["io_uring_setup -1 EPERM"], run.Output);
        Assert.Equal("io_uring_setup", Assert.Single(run.Violations).Name);
        Assert.Empty(run.Result.Notes);
    }

    // ---------------------------------------------------------------- cause 4: a filter of the program's own

    [Fact]
    public void TheProgramCannotHideAViolationWithItsOwnFilter()
    {
        string dir = Directory.CreateTempSubdirectory("pssyscall-notif-").FullName;
        try
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0x1ff);
            // The control: outside, the program's listener-less USER_NOTIF filter installs, and
            // mkdir fails with ENOSYS without anyone hearing of it.
            Assert.Equal(["filter 0 OK", "mkdir -1 ENOSYS"], SandboxRunner.RunOutside(SandboxRunner.Escape, "notif-filter", Path.Combine(dir, "a")));

            // Under -Kill mkdir: the filter is refused, the mkdir kills the program, and it is reported.
            var killed = SandboxRunner.Execute(Escape("notif-filter", Path.Combine(dir, "b")) with { SeccompProgram = Deny(SeccompAction.KillProcess, "mkdir") });
            Assert.Equal(["filter -1 EPERM"], killed.Output);
            Assert.Equal("SIGSYS", killed.Result.Signal);
            Assert.Equal(("mkdir", "KillProcess"), (Assert.Single(killed.Violations).Name, killed.Violations[0].Action));

            // Under audit the violation is reported too, and the call runs.
            var audited = SandboxRunner.Execute(Escape("notif-filter", Path.Combine(dir, "c")) with { SeccompProgram = Deny(SeccompAction.Errno(1), "mkdir"), AuditOnly = true });
            Assert.Equal(["filter -1 EPERM", "mkdir 0 OK"], audited.Output);
            Assert.Equal("mkdir", Assert.Single(audited.Violations).Name);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void WithoutAPolicyTheProgramMayInstallItsOwnFilters()
    {
        // Nothing to hide then: the sandbox leaves seccomp to the program.
        string dir = Directory.CreateTempSubdirectory("pssyscall-notif-").FullName;
        try
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0x1ff);
            Assert.Equal(["filter 0 OK", "mkdir -1 ENOSYS"], SandboxRunner.Execute(Escape("notif-filter", Path.Combine(dir, "a"))).Output);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    // ---------------------------------------------------------------- cause 6: metadata Landlock does not cover

    [Fact]
    public void LandlockPathsLeaveNoMetadataWritableOutsideThem()
    {
        string dir = Directory.CreateTempSubdirectory("pssyscall-meta-").FullName;
        string writable = Directory.CreateTempSubdirectory("pssyscall-meta-rw-").FullName;
        try
        {
            string file = Path.Combine(dir, "file"), inside = Path.Combine(writable, "file");
            File.WriteAllText(file, "x");
            File.WriteAllText(inside, "x");
            string[] calls = ["chmod", "utimensat", "setxattr", "chown"];
            // The control: outside, root changes the file's mode, times, xattrs and owner.
            Assert.Equal(calls.Select(c => $"{c} 0 OK"), SandboxRunner.RunOutside(SandboxRunner.Escape, "metadata", file));

            // Inside, as the file's owner (-UserId 0) and with only -ReadOnlyPath /etc: Landlock's
            // rules have no right for these calls, and the read-only root refuses them.
            SandboxOptions o(string target) => Escape("metadata", target) with
            {
                UserId = 0,
                ReadOnlyPaths = ["/etc", Path.GetDirectoryName(SandboxRunner.Escape)!, "/usr", "/lib", "/lib64"],
                ReadWritePaths = [writable],
            };
            Assert.Equal(calls.Select(c => $"{c} -1 EROFS"), SandboxRunner.Execute(o(file)).Output);
            // Beneath a -ReadWritePath they work.
            Assert.Equal(calls.Select(c => $"{c} 0 OK"), SandboxRunner.Execute(o(inside)).Output);
        }
        finally
        {
            Directory.Delete(dir, true);
            Directory.Delete(writable, true);
        }
    }

    // ---------------------------------------------------------------- cause 7: Trap with SIGSYS ignored or blocked

    [Theory]
    [InlineData("ignore")]
    [InlineData("block")]
    public void TrapKillsWhenSigsysIsIgnoredOrBlockedAsTheKernelDoes(string how)
    {
        // The control, and the semantics to match: the kernel's own RET_TRAP kills the program.
        var (nativeOutput, nativeExit) = SandboxRunner.RunOutsideWithExit(SandboxRunner.Escape, "trap", how, "native");
        Assert.Empty(nativeOutput);
        Assert.Equal(128 + 31, nativeExit);
        // Without a policy the call runs, and the program goes on.
        Assert.Equal(["getppid 0 OK"], SandboxRunner.Execute(Escape("trap", how)).Output);

        var run = SandboxRunner.Execute(Escape("trap", how) with { SeccompProgram = Deny(SeccompAction.Trap, "getppid") });
        Assert.Empty(run.Output);
        Assert.Equal("SIGSYS", run.Result.Signal);
        Assert.Equal(("getppid", "Trap"), (Assert.Single(run.Violations).Name, run.Violations[0].Action));
    }

    [Fact]
    public void TrapDeliversSigsysToAHandlerAndTheCallFailsWithEnosys()
    {
        var run = SandboxRunner.Execute(Escape("trap", "handle") with { SeccompProgram = Deny(SeccompAction.Trap, "getppid") });
        Assert.Equal(["SIGSYS", "getppid -1 ENOSYS"], run.Output);
        Assert.Equal(0, run.Result.ExitCode);
    }

    private static string Receive(System.Net.Sockets.Socket listener)
    {
        using var connection = listener.Accept();
        var buffer = new byte[64];
        int n = connection.Receive(buffer);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
    }

    /// <summary>The root cgroup.procs of the hierarchy that has the pids controller (a v1 pids
    /// hierarchy, or the unified one): where a process escapes -MaxProcesses to.</summary>
    private static string RootCgroupProcsWithPids()
    {
        string? unified = null;
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            string[] f = line.Split(' ');
            int dash = Array.IndexOf(f, "-");
            if (dash < 0 || f[3] != "/")
                continue;
            if (f[dash + 1] == "cgroup" && f[dash + 3].Split(',').Contains("pids"))
                return Path.Combine(f[4], "cgroup.procs");
            if (f[dash + 1] == "cgroup2")
                unified = Path.Combine(f[4], "cgroup.procs");
        }
        return unified ?? throw new InvalidOperationException("No cgroup hierarchy with the pids controller is mounted.");
    }

    internal static List<int> WaitFor(Func<List<int>> probe, Func<List<int>, bool> done)
    {
        List<int> found = probe();
        for (int i = 0; i < 200 && !done(found); i++)
        {
            Thread.Sleep(25);
            found = probe();
        }
        return found;
    }

    internal static void KillAll(string marker)
    {
        foreach (int pid in SandboxRunner.LiveProcessesWith(marker))
            Native.Libc.kill(pid, Native.Libc.SIGKILL);
    }
}
