using System.Diagnostics;
using PSSyscall.Engine.Native;
using PSSyscall.Engine.Seccomp;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Tests.Seccomp;

/// <summary>
/// BPF in: raw programs read back from files (ours and libseccomp's seccomp_export_bpf) and from
/// the filters a running process has installed (PTRACE_SECCOMP_GET_FILTER), evaluated as the kernel
/// evaluates a stack of filters, and checked against the kernel's own verdicts.
/// </summary>
public class SeccompBpfInTests
{
    // The first filter of the stack (installed by the engine's launch); seccomp-stack.c adds the second.
    private static readonly SeccompFilter First = new()
    {
        DefaultAction = SeccompAction.Allow,
        Rules =
        {
            new SeccompRule(new[] { "getuid" }, SeccompAction.Errno(13)),   // EACCES
            new SeccompRule(new[] { "getgid" }, SeccompAction.Errno(2)),    // ENOENT
            new SeccompRule(new[] { "getppid" }, SeccompAction.Errno(11)),  // EAGAIN
        },
    };

    private static readonly Lazy<string> StackBinary = new(() => Compile("seccomp-stack.c", "-lseccomp"));

    private static string Compile(string source, params string[] extra)
    {
        string dir = Directory.CreateTempSubdirectory("pssyscall-bpfin-").FullName;
        string output = Path.Combine(dir, Path.GetFileNameWithoutExtension(source));
        var psi = new ProcessStartInfo("gcc") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "-O1", "-o", output, Path.Combine(AppContext.BaseDirectory, "Seccomp", source) }.Concat(extra))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string errors = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"gcc failed on {source} (is libseccomp-dev installed?): {errors}");
        return output;
    }

    private static string TempFile(string name) => Path.Combine(Directory.CreateTempSubdirectory("pssyscall-bpfin-").FullName, name);

    [Fact]
    public void A_program_written_as_bytes_reads_back_equal_and_judges_every_call_as_the_filter_does()
    {
        var filter = new SeccompFilter
        {
            DefaultAction = SeccompAction.Errno(1),
            Architectures = { SyscallArchitecture.I386 },
            Rules =
            {
                new SeccompRule(new[] { "read", "write", "openat" }, SeccompAction.Allow),
                new SeccompRule(new[] { "ioctl" }, SeccompAction.Allow, new[] { SeccompCondition.Parse("arg1 == 0x5401") }),
                new SeccompRule(new[] { "ptrace" }, SeccompAction.KillProcess),
            },
        };
        CompiledSeccompFilter compiled = filter.Compile();
        string file = TempFile("policy.bpf");
        File.WriteAllBytes(file, compiled.Program);

        SeccompBpfProgram program = SeccompFilterFile.ReadProgram(file);
        Assert.Equal(compiled.Program, program.Program);
        Assert.Equal(file, program.Path);
        Assert.True(program.ReadsArguments);
        int compared = 0;
        foreach (SyscallArchitecture arch in new[] { SyscallArchitecture.X86_64, SyscallArchitecture.I386, SyscallArchitecture.X32 })
            foreach (var (number, _) in SyscallTable.For(arch).Entries)
                foreach (ulong[] args in new[] { new ulong[6], new ulong[] { 0, 0x5401 } })
                {
                    var ours = SeccompBpfEvaluator.Evaluate(new[] { program }, arch, number, args);
                    var reference = SeccompEmulator.Evaluate(compiled, arch, number, args);
                    Assert.Equal(reference.ReturnValue, ours.ReturnValue);
                    Assert.Equal(reference.Action, ours.Action);
                    compared++;
                }
        Assert.True(compared > 1000);
        Assert.Equal("Errno(1)", program.Evaluate("ioctl", SyscallArchitecture.X86_64, new ulong[] { 1, 2 }).Action);
        Assert.Equal("Allow", program.Evaluate("ioctl", SyscallArchitecture.X86_64, new ulong[] { 1, 0x5401 }).Action);
    }

    [Fact]
    public void The_form_of_a_file_is_told_by_its_content_and_neither_is_a_clear_error()
    {
        byte[] program = new SeccompFilter { DefaultAction = SeccompAction.Allow, Rules = { new SeccompRule(new[] { "getuid" }, SeccompAction.Errno(1)) } }.Compile().Program;
        Assert.Equal(SeccompFileFormat.Bpf, SeccompFilterFile.Detect(program, "x"));
        Assert.Equal(SeccompFileFormat.Json, SeccompFilterFile.Detect("\uFEFF \n{\"defaultAction\":\"SCMP_ACT_ALLOW\"}"u8.ToArray(), "x.json"));

        // A JSON profile under a .bpf name is still JSON; a BPF program under a .json name still BPF.
        string json = TempFile("profile.bpf");
        File.WriteAllText(json, "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
        Assert.Equal(SeccompFileFormat.Json, SeccompFilterFile.Read(json).Format);
        string bpf = TempFile("program.json");
        File.WriteAllBytes(bpf, program);
        Assert.Equal(SeccompFileFormat.Bpf, SeccompFilterFile.Read(bpf).Format);

        var odd = Assert.Throws<SeccompException>(() => SeccompFilterFile.Detect("hello\n"u8.ToArray(), "notes.txt"));
        Assert.Equal("NotASeccompFilter", odd.ErrorId);
        Assert.Contains("not a whole number of 8-byte", odd.Message);

        // Eight bytes that are no instruction seccomp allows (a packet load).
        byte[] packetLoad = { 0x30, 0, 0, 0, 0, 0, 0, 0 };
        var refused = Assert.Throws<SeccompException>(() => SeccompFilterFile.Detect(packetLoad, "x.bpf"));
        Assert.Contains("the kernel would refuse it", refused.Message);
        Assert.Contains("The name says BPF", refused.Message);

        // A program that does not end in a return.
        byte[] truncated = program[..^8];
        Assert.Equal("NotASeccompFilter", Assert.Throws<SeccompException>(() => SeccompFilterFile.Detect(truncated, "x")).ErrorId);
        Assert.Equal("ProfileNotFound", Assert.Throws<SeccompException>(() => SeccompFilterFile.Read("/nonexistent/x.bpf")).ErrorId);
    }

    [Fact]
    public void The_filters_of_a_running_process_are_read_in_the_kernels_order_and_the_process_goes_on_undisturbed()
    {
        string exported = TempFile("libseccomp.bpf");
        CompiledSeccompFilter first = First.Compile();
        using SpawnedProcess child = ProcessLauncher.Spawn(new LaunchOptions
        {
            FilePath = StackBinary.Value,
            Arguments = new[] { exported, "wait" },
            SeccompProgram = first.Program,
            NoNewPrivileges = true,
        });
        try
        {
            LaunchReport report = ProcessLauncher.ReadReport(child);
            Assert.True(report.Succeeded, ProcessLauncher.DescribeFailure(report, StackBinary.Value));
            // The child has loaded its own filter once /proc says two.
            var clock = Stopwatch.StartNew();
            while (ProcessSeccompFilters.ReadStatus(child.ProcessId).FilterCount < 2 && clock.Elapsed < TimeSpan.FromSeconds(20))
                Thread.Sleep(5);
            SeccompStatus status = ProcessSeccompFilters.ReadStatus(child.ProcessId);
            Assert.Equal(SeccompStatus.Filter, status.Mode);
            Assert.Equal(2, status.FilterCount);

            IReadOnlyList<SeccompBpfProgram> filters = ProcessSeccompFilters.Read(child.ProcessId);

            Assert.Equal(2, filters.Count);
            Assert.Equal(File.ReadAllBytes(exported), filters[0].Program);   // the newest: libseccomp's, as exported
            Assert.Equal(first.Program, filters[1].Program);                  // the first: ours, as installed
            Assert.All(filters, f => Assert.Equal(child.ProcessId, f.ProcessId));
            // In the kernel's order of evaluation: the newest first, which PTRACE_SECCOMP_GET_FILTER numbers last.
            Assert.Equal(new int?[] { 1, 0 }, filters.Select(f => f.Index));
            Assert.All(filters, f => Assert.Equal(2, f.FilterCount));

            // Detached and running (sleeping in pause), not stopped, not traced.
            status = ProcessSeccompFilters.ReadStatus(child.ProcessId);
            Assert.Equal(0, status.TracerPid);
            // Resumed: back in pause (sleeping) once it has run again; never left stopped.
            string state = "";
            var resumed = Stopwatch.StartNew();
            do
            {
                state = File.ReadLines($"/proc/{child.ProcessId}/status").First(l => l.StartsWith("State:")).Trim();
                if (state.Contains("S (sleeping)"))
                    break;
                Thread.Sleep(5);
            }
            while (resumed.Elapsed < TimeSpan.FromSeconds(10));
            Assert.Contains("S (sleeping)", state);
            Assert.Equal(0, Libc.waitpid(child.ProcessId, out _, Libc.WNOHANG | Libc.__WALL));

            // Reading twice gives the same (nothing was left behind by the first read).
            Assert.Equal(filters.Select(f => f.Sha256), ProcessSeccompFilters.Read(child.ProcessId).Select(f => f.Sha256));
        }
        finally
        {
            Libc.kill(child.ProcessId, Libc.SIGKILL);
            Libc.waitpid(child.ProcessId, out _, Libc.__WALL);
        }
    }

    [Fact]
    public void A_process_without_filters_has_none_and_a_missing_one_is_not_found()
    {
        using SpawnedProcess child = ProcessLauncher.Spawn(new LaunchOptions { FilePath = "/bin/sleep", Arguments = new[] { "30" } });
        try
        {
            Assert.True(ProcessLauncher.ReadReport(child).Succeeded);
            Assert.Empty(ProcessSeccompFilters.Read(child.ProcessId));
        }
        finally
        {
            Libc.kill(child.ProcessId, Libc.SIGKILL);
            Libc.waitpid(child.ProcessId, out _, Libc.__WALL);
        }
        Assert.Equal("ProcessNotFound", Assert.Throws<SeccompException>(() => ProcessSeccompFilters.Read(int.MaxValue - 1)).ErrorId);
    }

    /// <summary>The kernel's verdicts under a stack of two filters (ours from the launch, then
    /// libseccomp's from seccomp-stack.c) for calls where the precedence rules decide, against the
    /// evaluator's on the same two programs read back from files, and on the same two read from a
    /// process that has them installed (in any order: their indexes say how the kernel runs them).</summary>
    [Theory]
    [InlineData("getuid", 0UL)]    // Errno(EACCES) vs Trap: Trap
    [InlineData("getgid", 0UL)]    // Errno(ENOENT) vs Errno(EPERM): same action, the newer filter's errno
    [InlineData("getppid", 0UL)]   // Errno(EAGAIN) vs Log: Errno
    [InlineData("umask", 0x1ffUL)] // Allow vs Errno(EPERM) on arg0 == 0777
    [InlineData("umask", 0x12UL)]  // Allow vs Allow
    [InlineData("geteuid", 0UL)]   // Allow vs Allow
    public void A_stack_of_filters_read_back_is_judged_as_the_kernel_judges_it(string name, ulong arg0)
    {
        string exported = TempFile("libseccomp.bpf");
        CompiledSeccompFilter first = First.Compile();
        string firstFile = TempFile("first.bpf");
        File.WriteAllBytes(firstFile, first.Program);
        Assert.True(SyscallTable.X86_64.TryGetNumber(name, out int number));

        ProbeOutcome kernel = SeccompProbe.Run(new LaunchOptions
        {
            FilePath = StackBinary.Value,
            Arguments = new[] { exported, "exec", SeccompProbe.Path, "64", number.ToString(), "0x" + arg0.ToString("x") },
            SeccompProgram = first.Program,
            NoNewPrivileges = true,
        });

        var stack = new[] { SeccompFilterFile.ReadProgram(exported), SeccompFilterFile.ReadProgram(firstFile) };
        SeccompTestResult verdict = SeccompBpfEvaluator.Evaluate(stack, name, SyscallArchitecture.X86_64, new[] { arg0 });
        Assert.Equal(SeccompProbe.Expected(verdict), kernel);
        string expected = (name, arg0) switch
        {
            ("getuid", _) => "Trap",
            ("getgid", _) => "Errno(1)",
            ("getppid", _) => "Errno(11)",
            ("umask", 0x1ff) => "Errno(1)",
            _ => "Allow",
        };
        Assert.Equal(expected, verdict.Action);

        IReadOnlyList<SeccompBpfProgram> installed = ReadInstalledStack();
        Assert.Equal(stack.Select(f => f.Sha256), installed.Select(f => f.Sha256));
        Assert.Equal(verdict.Action, SeccompBpfEvaluator.Evaluate(installed.Reverse().ToArray(), name, SyscallArchitecture.X86_64, new[] { arg0 }).Action);
    }

    private static readonly Lazy<IReadOnlyList<SeccompBpfProgram>> InstalledStack = new(() =>
    {
        using SpawnedProcess child = ProcessLauncher.Spawn(new LaunchOptions
        {
            FilePath = StackBinary.Value,
            Arguments = new[] { TempFile("libseccomp.bpf"), "wait" },
            SeccompProgram = First.Compile().Program,
            NoNewPrivileges = true,
        });
        try
        {
            Assert.True(ProcessLauncher.ReadReport(child).Succeeded);
            var clock = Stopwatch.StartNew();
            while (ProcessSeccompFilters.ReadStatus(child.ProcessId).FilterCount < 2 && clock.Elapsed < TimeSpan.FromSeconds(20))
                Thread.Sleep(5);
            return ProcessSeccompFilters.Read(child.ProcessId);
        }
        finally
        {
            Libc.kill(child.ProcessId, Libc.SIGKILL);
            Libc.waitpid(child.ProcessId, out _, Libc.__WALL);
        }
    });

    private static IReadOnlyList<SeccompBpfProgram> ReadInstalledStack() => InstalledStack.Value;
}
