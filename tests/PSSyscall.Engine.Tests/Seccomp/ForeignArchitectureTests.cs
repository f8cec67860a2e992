using System.Diagnostics;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Seccomp;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tests.Seccomp;

/// <summary>
/// libseccomp as the oracle for other machines' architectures: its own resolver for the generated
/// syscall tables, and for a rule set compiled for each architecture (by libseccomp from C, in
/// libseccomp-foreign.c, and by the module's compiler) the verdicts of libseccomp's own simulator
/// (scmp_bpf_sim, built from Debian's libseccomp source package), the engine's BpfInterpreter and
/// the rules' meaning must all agree on the same seccomp_data.
/// </summary>
public class ForeignArchitectureTests : IClassFixture<LibseccompTools>
{
    private readonly LibseccompTools _tools;

    public ForeignArchitectureTests(LibseccompTools tools) => _tools = tools;

    /// <summary>The rule set of libseccomp-foreign.c, as a module filter.</summary>
    private static SeccompFilter Rules(IEnumerable<SyscallArchitecture> architectures) => new()
    {
        DefaultAction = SeccompAction.Errno(38),
        Architectures = architectures.ToList(),
        Rules =
        {
            new(new[] { "read", "write", "close", "exit_group", "getpid" }, SeccompAction.Allow),
            new(new[] { "openat" }, SeccompAction.Errno(13), new[] { new SeccompCondition(2, SeccompOperator.MaskedEqual, 1, 3) }),
            new(new[] { "openat" }, SeccompAction.Allow, new[] { new SeccompCondition(2, SeccompOperator.MaskedEqual, 0, 3) }),
            new(new[] { "socket" }, SeccompAction.Errno(97), new[] { new SeccompCondition(0, SeccompOperator.Equal, 10) }),
            new(new[] { "ptrace" }, SeccompAction.KillProcess),
            new(new[] { "mount" }, SeccompAction.Trap),
            new(new[] { "getuid" }, SeccompAction.Log),
            new(new[] { "kill" }, SeccompAction.Trace(7)),
            new(new[] { "lseek" }, SeccompAction.Allow, new[] { new SeccompCondition(1, SeccompOperator.Greater, 0x100000000) }),
        },
    };

    /// <summary>What the rules mean for a call, in scmp_bpf_sim's words; 32-bit ABIs compare low words.</summary>
    private static string Expected(string name, ulong[] args, int bits)
    {
        ulong mask = bits == 32 ? 0xFFFFFFFFUL : ulong.MaxValue;
        ulong A(int i) => args[i] & mask;
        return name switch
        {
            "read" or "write" or "close" or "exit_group" or "getpid" => "ALLOW",
            "openat" => (A(2) & 3) == 1 ? "ERRNO(13)" : (A(2) & 3) == 0 ? "ALLOW" : "ERRNO(38)",
            "socket" => A(0) == 10 ? "ERRNO(97)" : "ERRNO(38)",
            "ptrace" => "KILL_PROCESS",
            "mount" => "TRAP",
            "getuid" => "LOG",
            "kill" => "TRACE(7)",
            "lseek" => A(1) > (0x100000000UL & mask) ? "ALLOW" : "ERRNO(38)",
            _ => "ERRNO(38)",
        };
    }

    private static readonly (string Name, ulong[] Args)[] Calls =
    {
        ("read", new ulong[6]),
        ("getpid", new ulong[6]),
        ("openat", new ulong[] { 0, 0, 1, 0, 0, 0 }),
        ("openat", new ulong[] { 0, 0, 0x80000, 0, 0, 0 }),
        ("openat", new ulong[] { 0, 0, 2, 0, 0, 0 }),
        ("socket", new ulong[] { 10, 1, 0, 0, 0, 0 }),
        ("socket", new ulong[] { 0x10000000AUL, 1, 0, 0, 0, 0 }),
        ("socket", new ulong[] { 2, 1, 0, 0, 0, 0 }),
        ("ptrace", new ulong[6]),
        ("mount", new ulong[6]),
        ("getuid", new ulong[6]),
        ("kill", new ulong[] { 1, 9, 0, 0, 0, 0 }),
        ("lseek", new ulong[] { 3, 5, 0, 0, 0, 0 }),
        ("lseek", new ulong[] { 3, 0x100000005UL, 0, 0, 0, 0 }),
        ("getppid", new ulong[6]),
    };

    public static IEnumerable<object[]> ArchitectureSets()
    {
        foreach (ArchitectureInfo a in ArchitectureInfo.All)
            yield return new object[] { a.Architecture.ToString() };
        yield return new object[] { "Aarch64,Arm" };
        yield return new object[] { "X86_64,I386,X32" };
        yield return new object[] { "S390x,S390" };
        yield return new object[] { "Mips64,Mips,Mips64n32" };
        yield return new object[] { "Ppc64le,Riscv64" };
    }

    [Theory]
    [MemberData(nameof(ArchitectureSets))]
    public void LibseccompsSimulatorOurInterpreterAndTheRulesAgree(string set)
    {
        var arches = set.Split(',').Select(Enum.Parse<SyscallArchitecture>).ToList();
        string[] names = arches.Select(a => ScmpName(a)).ToArray();
        byte[] theirs = _tools.BuildWithLibseccomp(names);
        CompiledSeccompFilter ours = Rules(arches).Compile();
        Assert.Equal(arches, ours.Source.Architectures);
        bool bigEndian = ArchitectureInfo.Get(arches[0]).BigEndian;
        Assert.Equal(bigEndian, ours.BigEndian);

        // Every call of the rule set on every admitted ABI, and one call through an ABI not admitted.
        var probes = new List<(SyscallArchitecture Arch, int Number, string Name, ulong[] Args, string Expected)>();
        foreach (SyscallArchitecture arch in arches)
        {
            SyscallTable table = SyscallTable.For(arch);
            foreach (var (name, args) in Calls)
                if (table.TryGetNumber(name, out int number))
                    probes.Add((arch, number, name, args, Expected(name, args, ArchitectureInfo.Get(arch).Bits)));
            // A multiplexed socket call: libseccomp moves the socket rule onto socketcall(SYS_SOCKET).
            if (ArchitectureInfo.Get(arch).Multiplexed.Contains("socketcall") && table.TryGetNumber("socketcall", out int sc))
                probes.Add((arch, sc, "socketcall", new ulong[] { 1, 0, 0, 0, 0, 0 }, "ERRNO(97)"));
        }
        Assert.True(probes.Count >= 13 * arches.Count, $"only {probes.Count} probes");
        SyscallArchitecture outsider = ArchitectureInfo.All.First(a => !arches.Contains(a.Architecture) && a.BigEndian == bigEndian && a.AuditArch != ArchitectureInfo.Get(arches[0]).AuditArch).Architecture;
        Assert.True(SyscallTable.For(outsider).TryGetNumber("read", out int outsiderRead));
        probes.Add((outsider, outsiderRead, "read", new ulong[6], "KILL_PROCESS"));

        string[] simTheirs = _tools.Simulate(theirs, probes.Select(p => (p.Arch, p.Number, p.Args)));
        string[] simOurs = _tools.Simulate(ours.Program, probes.Select(p => (p.Arch, p.Number, p.Args)));
        var failures = new StringBuilder();
        for (int i = 0; i < probes.Count; i++)
        {
            var p = probes[i];
            var data = SeccompData.For(p.Arch, p.Number, p.Args, 0, bigEndian);
            string interpTheirs = Words(BpfInterpreter.Run(theirs, data, out _));
            string interpOurs = Words(BpfInterpreter.Run(ours.Program, data, out _));
            string testResult = Words(ours.Evaluate(p.Name, p.Arch, p.Args).ReturnValue);
            if (new[] { simTheirs[i], simOurs[i], interpTheirs, interpOurs, testResult }.Any(v => v != p.Expected))
                failures.AppendLine(CultureInfo.InvariantCulture, $"{p.Arch} {p.Name}#{p.Number} ({string.Join(",", p.Args.Select(a => "0x" + a.ToString("x")))}): expected {p.Expected}; scmp_bpf_sim on libseccomp's {simTheirs[i]}, on ours {simOurs[i]}; interpreter on libseccomp's {interpTheirs}, on ours {interpOurs}; Evaluate {testResult}");
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Theory]
    [MemberData(nameof(ArchitectureSets))]
    public void GeneratedTablesMatchLibseccompsResolver(string set)
    {
        SyscallArchitecture arch = Enum.Parse<SyscallArchitecture>(set.Split(',')[0]);
        if (set.Contains(','))
            return;   // one architecture at a time
        SyscallTable table = SyscallTable.For(arch);
        var known = _tools.Numbers(ScmpName(arch));
        Assert.True(known.Count > 250, $"libseccomp lists {known.Count} calls for {arch}");
        // The x86 tables follow the kernel's headers (tools/gen-syscall-numbers.py), the others
        // libseccomp's data: there every call libseccomp knows must be ours too.
        bool fromLibseccomp = !ArchitectureInfo.Get(arch).IsNative;
        var wrong = new List<string>();
        foreach (var (kernelNumber, name) in known)
        {
            if (!fromLibseccomp && !table.TryGetNumber(name, out _))
                continue;
            if (!table.TryGetNumber(name, out int n) || table.KernelNumber(n) != kernelNumber)
                wrong.Add($"{name}: libseccomp {kernelNumber}, ours {(table.TryGetNumber(name, out n) ? table.KernelNumber(n) : "none")}");
        }
        // The other way: ours has nothing libseccomp places elsewhere (ours adds only calls newer than its table).
        var byName = known.ToDictionary(k => k.Name, k => k.Number);
        foreach (var (n, name) in table.Entries)
            if (byName.TryGetValue(name, out int theirs) && theirs != table.KernelNumber(n))
                wrong.Add($"{name}: ours {table.KernelNumber(n)}, libseccomp {theirs}");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Theory]
    [InlineData("Aarch64")]
    [InlineData("S390x")]
    [InlineData("Riscv64")]
    [InlineData("Mips64")]
    [InlineData("Ppc64")]
    [InlineData("Ppc64le")]
    [InlineData("Arm")]
    public void DockersProfileResolvedForAnotherMachineAgreesWithLibseccompsSimulatorOnEveryCall(string machine)
    {
        var arch = Enum.Parse<SyscallArchitecture>(machine);
        SeccompFilter docker = SeccompProfile.Load(Path.Combine(AppContext.BaseDirectory, "data", "seccomp", "docker-default.json"))
            .Resolve(new SeccompHost { Architecture = arch, KernelVersion = new Version(6, 1) });
        CompiledSeccompFilter compiled = docker.Compile();
        Assert.Equal(ArchitectureInfo.Get(arch).BigEndian, compiled.BigEndian);
        var probes = new List<(SyscallArchitecture Arch, int Number, ulong[] Args)>();
        foreach (SyscallArchitecture a in compiled.Source.Architectures)
            foreach (var (number, _) in SyscallTable.For(a).Entries)
                probes.Add((a, number, new ulong[] { 0x7E020000, 1, 2, 3, 4, 5 }));
        string[] simulated = _tools.Simulate(compiled.Program, probes);
        var differences = probes.Select((p, i) => (p, Sim: simulated[i], Ours: Words(BpfInterpreter.Run(compiled.Program, SeccompData.For(p.Arch, p.Number, p.Args, 0, compiled.BigEndian), out _))))
            .Where(x => x.Sim != x.Ours).Select(x => $"{x.p.Arch} {SyscallTable.For(x.p.Arch).GetName(x.p.Number)}: scmp_bpf_sim {x.Sim}, ours {x.Ours}").ToList();
        Assert.True(differences.Count == 0, string.Join("\n", differences.Take(20)));
        Assert.Equal("ALLOW", Words(compiled.Evaluate("openat", arch).ReturnValue));
        Assert.Equal("ERRNO(1)", Words(compiled.Evaluate("mount", arch).ReturnValue));
        Assert.Equal("ERRNO(38)", Words(compiled.Evaluate("clone3", arch).ReturnValue));
        SyscallArchitecture outsider = ArchitectureInfo.All.First(a => !compiled.Source.Architectures.Contains(a.Architecture) && a.AuditArch != ArchitectureInfo.Get(arch).AuditArch).Architecture;
        Assert.Equal("KILL_PROCESS", Words(compiled.Evaluate("read", outsider).ReturnValue));
    }

    [Fact]
    public void TheCommittedTablesAreWhatTheGeneratorWritesFromLibseccompsData()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "PSSyscall.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("The repository root was not found above the test's folder.");
        string output = Path.Combine(Path.GetTempPath(), "pssyscall-arch-tables-" + Guid.NewGuid().ToString("N") + ".cs");
        try
        {
            var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { Path.Combine(root, "tools", "gen-arch-tables.py"), _tools.SyscallsCsv, "--out", output })
                psi.ArgumentList.Add(a);
            using (var p = Process.Start(psi)!)
            {
                string err = p.StandardError.ReadToEnd();
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                Assert.True(p.ExitCode == 0, err);
            }
            Assert.Equal(File.ReadAllText(Path.Combine(root, "src", "PSSyscall.Engine", "Syscalls", "ArchitectureTables.g.cs")), File.ReadAllText(output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void ThirtyTwoBitArchitecturesWarnAboutWideValuesAndMultiplexedOnesAboutSocketcall()
    {
        CompiledSeccompFilter arm = Rules(new[] { SyscallArchitecture.Arm }).Compile();
        Assert.Contains(arm.Warnings, w => w.Contains("low 32 bits") && w.Contains("lseek"));
        CompiledSeccompFilter s390 = Rules(new[] { SyscallArchitecture.S390x, SyscallArchitecture.S390 }).Compile();
        Assert.Contains(s390.Warnings, w => w.Contains("socketcall") && w.Contains("socket"));
        CompiledSeccompFilter aarch64 = Rules(new[] { SyscallArchitecture.Aarch64 }).Compile();
        Assert.DoesNotContain(aarch64.Warnings, w => w.Contains("low 32 bits") || w.Contains("socketcall"));
    }

    [Fact]
    public void ADisassemblyNamesAnotherMachinesCalls()
    {
        string text = Rules(new[] { SyscallArchitecture.S390x }).Compile().Disassemble();
        Assert.Contains("AUDIT_ARCH_S390X", text);
        Assert.Contains("openat", text);
        Assert.Contains("args[2] (low)", text);
    }

    private static string ScmpName(SyscallArchitecture a) => ArchitectureInfo.Get(a).ScmpName["SCMP_ARCH_".Length..].ToLowerInvariant();

    /// <summary>A filter's return value as scmp_bpf_sim prints it.</summary>
    private static string Words(uint value)
    {
        uint data = value & 0xFFFF;
        return (value & 0xFFFF0000) switch
        {
            0x80000000 => "KILL_PROCESS",
            0x00000000 => "KILL",
            0x00030000 => "TRAP",
            0x00050000 => $"ERRNO({data})",
            0x7ff00000 => $"TRACE({data})",
            0x7ffc0000 => "LOG",
            0x7fff0000 => "ALLOW",
            _ => $"0x{value:x8}",
        };
    }
}

/// <summary>libseccomp-foreign (libseccomp-foreign.c, linked with libseccomp-dev) and libseccomp's
/// own simulator scmp_bpf_sim, built from Debian's libseccomp source package (fetched into
/// ~/.cache/pssyscall/libseccomp with apt-get source when missing).</summary>
public sealed class LibseccompTools : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pssyscall-foreign-").FullName;
    private readonly string _helper;
    private readonly string _simulator;

    /// <summary>libseccomp's syscalls.csv in the unpacked source package.</summary>
    public string SyscallsCsv => Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(_source)!)!, "src", "syscalls.csv");

    private string _source = "";

    public LibseccompTools()
    {
        if (!File.Exists("/usr/include/seccomp.h"))
            throw new InvalidOperationException("These tests need libseccomp's headers: apt-get install libseccomp-dev (.ci/run installs it).");
        _helper = TestPrograms.Compile(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seccomp", "libseccomp-foreign.c")), "-lseccomp");
        _simulator = BuildSimulator(out _source);
    }

    private static string Cache => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "pssyscall", "libseccomp");

    private static string BuildSimulator(out string source)
    {
        string? tools = Directory.Exists(Cache) ? Directory.GetDirectories(Cache, "libseccomp-*").Select(d => Path.Combine(d, "tools")).FirstOrDefault(d => File.Exists(Path.Combine(d, "scmp_bpf_sim.c"))) : null;
        if (tools is null)
        {
            Directory.CreateDirectory(Cache);
            Run("apt-get", Cache, "source", "--download-only", "libseccomp");
            // dpkg-source applies Debian's patches (its syscall table update), as the installed library has them.
            string dsc = Directory.GetFiles(Cache, "libseccomp_*.dsc").Order().Last();
            Run("dpkg-source", Cache, "-x", dsc);
            tools = Directory.GetDirectories(Cache, "libseccomp-*").Select(d => Path.Combine(d, "tools")).First(d => File.Exists(Path.Combine(d, "scmp_bpf_sim.c")));
        }
        source = Path.Combine(tools, "scmp_bpf_sim.c");
        string exe = Path.Combine(Path.GetTempPath(), "pssyscall-test-programs", "scmp_bpf_sim");
        if (!File.Exists(exe))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(exe)!);
            Run("gcc", tools, "-O1", "-I.", "-I../include", "-o", exe + ".tmp", "scmp_bpf_sim.c", "util.c");
            File.Move(exe + ".tmp", exe, overwrite: true);
        }
        return exe;
    }

    private static string Run(string file, string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(" ", args)} failed ({p.ExitCode}): {err.Result}{(file == "apt-get" ? " (apt-get source needs a deb-src line; .ci/run adds one)" : "")}");
        return output;
    }

    public byte[] BuildWithLibseccomp(string[] architectures)
    {
        string file = Path.Combine(_dir, string.Join("-", architectures) + ".bpf");
        Run(_helper, _dir, new[] { "build", file }.Concat(architectures).ToArray());
        return File.ReadAllBytes(file);
    }

    public List<(int Number, string Name)> Numbers(string architecture)
        => Run(_helper, _dir, "numbers", architecture).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), p[1])).ToList();

    /// <summary>scmp_bpf_sim's verdict for each call, run from one shell script.</summary>
    public string[] Simulate(byte[] program, IEnumerable<(SyscallArchitecture Arch, int Number, ulong[] Args)> calls)
    {
        string file = Path.Combine(_dir, "p" + Guid.NewGuid().ToString("N") + ".bpf");
        File.WriteAllBytes(file, program);
        var script = new StringBuilder();
        foreach (var (arch, number, args) in calls)
        {
            string name = ArchitectureInfo.Get(arch).ScmpName["SCMP_ARCH_".Length..].ToLowerInvariant();
            int kernel = SyscallTable.For(arch).KernelNumber(number);
            script.Append(CultureInfo.InvariantCulture, $"'{_simulator}' -f '{file}' -a {name} -s {kernel}");
            for (int i = 0; i < 6; i++)
                script.Append(CultureInfo.InvariantCulture, $" -{i} 0x{args[i]:x}");
            script.Append(" 2>&1 || echo FAILED\n");
        }
        string scriptFile = Path.ChangeExtension(file, ".sh");
        File.WriteAllText(scriptFile, script.ToString());
        string output = Run("/bin/sh", _dir, scriptFile);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
