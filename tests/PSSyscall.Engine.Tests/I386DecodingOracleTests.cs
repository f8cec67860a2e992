using System.Diagnostics;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;
using Xunit.Abstractions;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// The decoding oracle for 32-bit tracees: the Workloads32 programs, built with gcc -m32, run under
/// `strace -f -y -s 64` (its m32 personality) and under the engine, compared as the x86_64 oracle
/// compares (<see cref="DecodingOracleTests.CompareWithStrace"/>). Every call must be named from the
/// i386 table and decoded, and each program's calls must include the i386 calls it exists for.
/// </summary>
public sealed class I386DecodingOracleTests : IClassFixture<Workload32Fixture>
{
    private readonly Workload32Fixture _w;
    private readonly ITestOutputHelper _out;

    public I386DecodingOracleTests(Workload32Fixture workloads, ITestOutputHelper output)
    {
        _w = workloads;
        _out = output;
    }

    /// <summary>The calls each program exists to cover (all i386-specific or with 32-bit layouts).</summary>
    private static readonly Dictionary<string, string[]> Required = new()
    {
        ["files32"] = new[]
        {
            "_llseek", "stat64", "lstat64", "fstat64", "fstatat64", "fcntl64", "truncate64", "ftruncate64", "pread64", "pwrite64",
            "readv", "writev", "fadvise64_64", "getdents", "getdents64", "statfs64", "fstatfs64",
        },
        ["proc32"] = new[]
        {
            "getuid", "getuid32", "setuid", "setuid32", "setresuid32", "chown", "chown32", "lchown", "clock_gettime", "clock_gettime64",
            "nanosleep", "clock_nanosleep_time64", "gettimeofday", "rt_sigaction", "rt_sigprocmask", "mmap2", "mmap", "ugetrlimit",
            "prlimit64", "waitpid", "clone", "set_thread_area",
        },
        ["net32"] = new[] { "socket", "bind", "sendto", "recvfrom", "sendmsg", "recvmsg", "_newselect", "poll", "shmget", "shmctl", "pipe2" },
        ["misc32"] = new[]
        {
            "sigaltstack", "setitimer", "getitimer", "getrusage", "times", "sysinfo", "utimes", "ppoll", "epoll_wait", "futex",
            "futex_time64", "execve", "wait4", "sigreturn",
        },
        ["old32"] = new[]
        {
            "sigaction", "sigprocmask", "sigpending", "stat", "lstat", "fstat", "statfs", "fstatfs", "nice", "sendfile", "sendfile64",
            "timer_create", "rt_sigreturn", "olduname", "uname",
        },
    };

    public static TheoryData<string> Workloads => new() { "files32", "proc32", "net32", "misc32", "old32" };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void DecodedCallsEqualStrace(string workload)
    {
        string file = Path.Combine(_w.Directory, workload);
        List<StraceCall> strace = DecodingOracleTests.RunStrace(_w.Directory, file, Array.Empty<string>());
        List<SyscallEvent> ours = DecodingOracleTests.RunEngine(_w.Launch(file));
        Assert.Contains(ours, e => e.Architecture == SyscallArchitecture.I386);
        // Every call of the 32-bit program (after its execve) is an i386 call, and decoded.
        var undecoded = ours.Where(e => e.Architecture == SyscallArchitecture.I386 && !SyscallTable.I386.GetSignature(e.Number).IsDecoded)
                            .Select(e => e.Name).Distinct().ToList();
        Assert.Empty(undecoded);
        int compared = DecodingOracleTests.CompareWithStrace(workload, strace, ours, _out, out HashSet<string> names, out List<string> problems, out int agreed);
        Assert.True(compared >= 20, $"{workload}: only {compared} calls compared");
        Assert.Empty(Required[workload].Except(names));
        Assert.Empty(problems);
    }
}

/// <summary>Compiles Workloads32/*.c with gcc -m32 (gcc-multilib, which .ci/run installs) into a
/// scratch directory that is also their cwd, with the 64-bit cleanexec launcher beside them.</summary>
public sealed class Workload32Fixture : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("pssyscall-oracle32-").FullName;

    public Workload32Fixture()
    {
        Compile(Path.Combine(AppContext.BaseDirectory, "Workloads", "cleanexec.c"), m32: false);
        foreach (string c in System.IO.Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Workloads32"), "*.c"))
            Compile(c, m32: true);
    }

    private void Compile(string source, bool m32)
    {
        string exe = Path.Combine(Directory, Path.GetFileNameWithoutExtension(source));
        var psi = new ProcessStartInfo("gcc") { RedirectStandardError = true };
        foreach (string a in (m32 ? new[] { "-m32" } : Array.Empty<string>()).Concat(new[] { "-O1", "-pthread", "-o", exe, source }))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException(m32
                ? $"gcc -m32 failed for {source} (the i386 oracle needs gcc-multilib: .ci/run installs it; apt-get install gcc-multilib): {err}"
                : $"gcc failed for {source}: {err}");
    }

    public LaunchOptions Launch(string file) => new()
    {
        FilePath = file,
        ArgumentZero = file,
        Arguments = Array.Empty<string>(),
        Environment = WorkloadFixture.Environment,
        WorkingDirectory = Directory,
        StandardInput = WorkloadFixture.DevNull,
        StandardOutput = WorkloadFixture.DevNull,
        StandardError = WorkloadFixture.DevNull,
    };

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
