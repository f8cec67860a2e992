using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Engine.Tests.Seccomp;

/// <summary>The OCI and Docker profile fields, one at a time, on small profiles.</summary>
public class SeccompProfileParsingTests
{
    private const string Docker = """
        {
          "defaultAction": "SCMP_ACT_ERRNO",
          "archMap": [
            { "architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"] },
            { "architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"] }
          ],
          "syscalls": [
            { "name": "read", "action": "SCMP_ACT_ALLOW" },
            { "names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": { "minKernel": "4.8" } },
            { "names": ["kcmp"], "action": "SCMP_ACT_ALLOW", "excludes": { "minKernel": "5.0" } },
            { "names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": { "arches": ["amd64", "x32"] } },
            { "names": ["arm_fadvise64_64"], "action": "SCMP_ACT_ALLOW", "includes": { "arches": ["arm", "arm64"] } },
            { "names": ["modify_ldt"], "action": "SCMP_ACT_ALLOW", "excludes": { "arches": ["amd64"] } },
            { "names": ["bpf"], "action": "SCMP_ACT_ALLOW", "includes": { "caps": ["CAP_SYS_ADMIN", "CAP_BPF"] } },
            { "names": ["clone"], "action": "SCMP_ACT_ALLOW", "excludes": { "caps": ["CAP_SYS_ADMIN"] },
              "args": [ { "index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ" } ] },
            { "names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 97,
              "args": [ { "index": 0, "value": 10, "op": "SCMP_CMP_EQ" } ] },
            { "names": ["getcpu"], "action": "SCMP_ACT_TRACE", "errnoRet": 7 }
          ]
        }
        """;

    private static HashSet<string> Names(SeccompFilter f) => f.Rules.SelectMany(r => r.Names).ToHashSet();

    [Fact]
    public void ResolvesDockerConditionsForThisMachineAndKernel()
    {
        SeccompFilter modern = SeccompProfile.Parse(Docker, "docker", new[] { "CAP_SYS_ADMIN" }, new Version(6, 18));
        Assert.Equal(new[] { SyscallArchitecture.X86_64, SyscallArchitecture.I386 }, modern.Architectures);
        Assert.Equal(SeccompAction.Errno(1), modern.DefaultAction);
        Assert.Equal(new[] { "read", "ptrace", "arch_prctl" }, modern.Rules.Take(3).SelectMany(r => r.Names));
        Assert.DoesNotContain("kcmp", Names(modern));               // excludes.minKernel 5.0 on 6.18
        Assert.DoesNotContain("arm_fadvise64_64", Names(modern));
        Assert.DoesNotContain("modify_ldt", Names(modern));
        Assert.DoesNotContain("bpf", Names(modern));                // needs CAP_BPF as well
        Assert.DoesNotContain("clone", Names(modern));              // excluded with CAP_SYS_ADMIN
        SeccompRule socket = modern.Rules.Single(r => r.Names.Contains("socket"));
        Assert.Equal(SeccompAction.Errno(97), socket.Action);
        Assert.Equal("arg0 == 10", socket.ConditionText);
        Assert.Equal(SeccompAction.Trace(7), modern.Rules.Single(r => r.Names.Contains("getcpu")).Action);

        SeccompFilter old = SeccompProfile.Parse(Docker, "docker", new[] { "SYS_ADMIN", "BPF" }, new Version(4, 4));
        Assert.DoesNotContain("ptrace", Names(old));                 // includes.minKernel 4.8
        Assert.Contains("kcmp", Names(old));
        Assert.Contains("bpf", Names(old));

        SeccompFilter unprivileged = SeccompProfile.Parse(Docker, "docker", Array.Empty<string>(), new Version(6, 18));
        SeccompRule clone = unprivileged.Rules.Single(r => r.Names.Contains("clone"));
        Assert.Equal("arg0 & 0x7e020000 == 0", clone.ConditionText);
    }

    [Fact]
    public void ReadsAnOciConfigJsonAndItsFlags()
    {
        const string config = """
            { "ociVersion": "1.0.2", "linux": { "seccomp": {
                "defaultAction": "SCMP_ACT_KILL_PROCESS",
                "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X32"],
                "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
                "syscalls": [ { "names": ["read", "write"], "action": "SCMP_ACT_LOG" } ] } } }
            """;
        SeccompFilter f = SeccompProfile.Parse(config);
        Assert.Equal(SeccompAction.KillProcess, f.DefaultAction);
        Assert.Equal(new[] { SyscallArchitecture.X86_64, SyscallArchitecture.X32 }, f.Architectures);
        Assert.Equal(SeccompFilterFlags.Log | SeccompFilterFlags.SpecAllow, f.Flags);
        Assert.Equal(SeccompFilterFlags.Log | SeccompFilterFlags.SpecAllow, SeccompProfile.Parse(SeccompProfileWriter.ToJson(f)).Flags);
        Assert.Equal("Log", f.Compile().Evaluate("write").Action);
    }

    [Theory]
    [InlineData("""{ "defaultAction": "SCMP_ACT_NOPE" }""", "unknown action 'SCMP_ACT_NOPE'")]
    [InlineData("""{ "syscalls": [] }""", "'defaultAction' is required")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [ { "index": 0, "value": 1, "op": "SCMP_CMP_ABOUT" } ] } ] }""", "syscalls[0].args[0].op")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "name": "read", "names": ["write"], "action": "SCMP_ACT_ERRNO" } ] }""", "either 'name' or 'names'")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"], "archMap": [ { "architecture": "SCMP_ARCH_X86_64" } ] }""", "not both")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 999999 }""", "defaultAction: errnoRet 999999 is out of range")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": -1 }""", "errnoRet -1 is out of range")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_TRACE", "errnoRet": 70000 } ] }""", "syscalls[0].action: errnoRet 70000")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_BOGUS"] }""", "'SCMP_ARCH_BOGUS' is not an architecture")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "archMap": [ { "architecture": "SCMP_ARCH_AMD64" } ] }""", "'SCMP_ARCH_AMD64' is not an architecture")]
    public void ReportsWhereAProfileIsWrong(string json, string message)
    {
        var e = Assert.Throws<SeccompException>(() => SeccompProfile.Parse(json, "p.json"));
        Assert.Equal("InvalidProfile", e.ErrorId);
        Assert.Contains(message, e.Message);
        Assert.StartsWith("p.json: ", e.Message);
    }

    [Fact]
    public void ReportsAnArgumentIndexOutOfRange()
    {
        var e = Assert.Throws<SeccompException>(() => SeccompProfile.Parse("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [ { "index": 6, "value": 1, "op": "SCMP_CMP_EQ" } ] } ] }"""));
        Assert.Equal("ArgumentIndexOutOfRange", e.ErrorId);
    }

    [Fact]
    public void ReportsMalformedJsonWithLineAndPosition()
    {
        var e = Assert.Throws<SeccompException>(() => SeccompProfile.Parse("{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": [ ,\n}", "bad.json"));
        Assert.Equal("InvalidProfile", e.ErrorId);
        Assert.Contains("line 3, position", e.Message);
    }

    [Fact]
    public void OtherMachinesArchitecturesAreKeptAndCompiled()
    {
        // As runc does, every listed architecture goes into the filter (libseccomp builds them on any host).
        SeccompFilter f = SeccompProfile.Parse("""{ "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64", "SCMP_ARCH_S390X", "SCMP_ARCH_LOONGARCH64"], "syscalls": [ { "names": ["openat"], "action": "SCMP_ACT_ERRNO" } ] }""");
        Assert.Equal([SyscallArchitecture.X86_64, SyscallArchitecture.Aarch64, SyscallArchitecture.S390x], f.Architectures);
        Assert.Contains("SCMP_ARCH_LOONGARCH64", SeccompProfileWriter.ToJson(f));   // no table here: kept as written
        CompiledSeccompFilter c = f.Compile();
        Assert.Equal("Errno(1)", c.Evaluate("openat", SyscallArchitecture.Aarch64).Action);
        Assert.Equal("Allow", c.Evaluate("read", SyscallArchitecture.Aarch64).Action);
        Assert.Equal("KillProcess", c.Evaluate("openat", SyscallArchitecture.Riscv64).Action);
        // s390x is big-endian: it cannot share a program with x86_64, and the compiler says so.
        Assert.Contains(c.Warnings, w => w.Contains("S390x") && w.Contains("big-endian"));
        Assert.Equal("KillProcess", c.Evaluate("openat", SyscallArchitecture.S390x).Action);
        f.Architectures = [SyscallArchitecture.S390x, SyscallArchitecture.S390];
        CompiledSeccompFilter big = f.Compile();
        Assert.Equal("Errno(1)", big.Evaluate("openat", SyscallArchitecture.S390x).Action);
        Assert.Equal("Allow", big.Evaluate("read", SyscallArchitecture.S390).Action);
        Assert.Equal("KillProcess", big.Evaluate("read", SyscallArchitecture.X86_64).Action);
    }

    [Fact]
    public void AProfileFileOverTheLimitIsRefusedUnread()
    {
        string path = Path.Combine(Path.GetTempPath(), "pssyscall-huge-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            // Sparse: 3 GB that a reader holding the whole file would try to allocate.
            using (var f = new FileStream(path, FileMode.CreateNew))
                f.SetLength(3L * 1024 * 1024 * 1024);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<SeccompException>(() => SeccompProfile.Load(path));
            Assert.Equal(("ProfileTooLarge", (object?)path), (e.ErrorId, e.Target));
            Assert.Contains("3,221,225,472 bytes", e.Message);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024 * 1024, "nothing of the file was read");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AProfileFromAFifoIsReadAndAnIdleOneEndsAtCancellation()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pssyscall-fifo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string fifo = Path.Combine(dir, "profile.json");
            using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
                mkfifo.WaitForExit();
            Task writing = Task.Run(() => File.WriteAllText(fifo, """{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW" } ] }"""));
            SeccompFilter filter = SeccompProfile.Load(fifo);
            writing.Wait();
            Assert.Equal("read", Assert.Single(filter.Rules).Names.Single());

            using var cancel = new CancellationTokenSource();
            Task<SeccompFilter> idle = Task.Run(() => SeccompProfile.Load(fifo, cancel: cancel.Token));
            Assert.False(idle.Wait(TimeSpan.FromMilliseconds(300)), "a FIFO with no writer is waited for");
            cancel.Cancel();
            var ended = Assert.Throws<AggregateException>(() => idle.Wait(TimeSpan.FromSeconds(60)));
            Assert.IsAssignableFrom<OperationCanceledException>(ended.InnerException);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void AnEndlessDeviceIsCutAtTheLimit()
    {
        var e = Assert.Throws<SeccompException>(() => SeccompProfile.Load("/dev/zero"));
        Assert.Equal("ProfileTooLarge", e.ErrorId);
    }
}
