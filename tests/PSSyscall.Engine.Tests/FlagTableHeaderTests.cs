using System.Diagnostics;
using System.Reflection;
using System.Text;
using PSSyscall.Engine.Decoding;
using Xunit.Abstractions;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// The flag and enum tables (Decoding/FlagTables*.cs) against the system's headers, as strace's
/// xlat files are generated from them: a C program built with gcc prints every table name that
/// the headers define as a macro, and each value must equal ours.
/// </summary>
public sealed class FlagTableHeaderTests(ITestOutputHelper output)
{
    private static readonly string[] Headers =
    {
        "fcntl.h", "sys/mman.h", "sys/socket.h", "netinet/in.h", "netinet/tcp.h", "sys/wait.h", "signal.h",
        "sys/resource.h", "sys/epoll.h", "sys/eventfd.h", "sys/inotify.h", "sys/ipc.h", "sys/shm.h", "sys/msg.h",
        "sys/sem.h", "sys/mount.h", "sys/stat.h", "sys/timerfd.h", "sys/random.h", "sys/prctl.h", "sched.h", "poll.h",
        "termios.h", "sys/ioctl.h", "linux/netlink.h", "sys/xattr.h", "time.h", "sys/file.h", "sys/time.h",
        "linux/falloc.h", "sys/personality.h", "asm/prctl.h", "linux/futex.h", "sys/uio.h", "unistd.h", "stdio.h",
        "linux/kcmp.h", "sys/pidfd.h", "linux/capability.h", "linux/openat2.h", "linux/ioprio.h", "sys/signalfd.h",
        "linux/mempolicy.h", "linux/seccomp.h", "linux/landlock.h", "linux/sched.h", "linux/magic.h", "sys/statvfs.h", "linux/kexec.h", "sys/quota.h",
    };

    /// <summary>Names glibc redefines for user space: the kernel's value (what a tracer sees) is ours.</summary>
    private static readonly Dictionary<string, ulong> KernelOnly = new()
    {
        ["O_LARGEFILE"] = 0x8000,   // glibc: 0 on 64-bit; the kernel sets it in every open (asm-generic/fcntl.h)
        ["__O_TMPFILE"] = 0x400000, // glibc folds O_DIRECTORY in; the kernel's bit alone
    };

    [Fact]
    public void EveryTableValueTheHeadersDefineMatchesThem()
    {
        var ours = new List<(string Table, string Name, ulong Value)>();
        foreach (FieldInfo f in typeof(FlagTables).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
        {
            if (f.GetValue(null) is Named[] table)
                ours.AddRange(table.Where(n => IsMacroName(n.Name)).Select(n => (f.Name, n.Name, n.Value)));
        }
        Assert.NotEmpty(ours);

        var c = new StringBuilder("#define _GNU_SOURCE\n");
        foreach (string h in Headers)
            c.Append("#if __has_include(<").Append(h).Append(">)\n#include <").Append(h).Append(">\n#endif\n");
        c.Append("int main(void) {\n");
        foreach (string name in ours.Select(o => o.Name).Distinct())
            c.Append("#ifdef ").Append(name).Append("\n  printf(\"").Append(name).Append(" %llu\\n\", (unsigned long long)(").Append(name).Append("));\n#endif\n");
        c.Append("  return 0;\n}\n");

        Dictionary<string, ulong> headers = RunC(c.ToString());
        int compared = 0;
        var wrong = new List<string>();
        foreach (var (table, name, value) in ours)
        {
            if (!KernelOnly.TryGetValue(name, out ulong expected) && !headers.TryGetValue(name, out expected))
                continue;
            compared++;
            if (expected != value)
                wrong.Add($"{table}.{name}: ours 0x{value:x}, headers 0x{expected:x}");
        }
        output.WriteLine($"{compared} of {ours.Count} table entries are macros in the headers and were compared");
        foreach (string w in wrong)
            output.WriteLine(w);
        Assert.True(compared >= 300, $"only {compared} constants compared");
        Assert.Empty(wrong);
    }

    private static bool IsMacroName(string name) => name.Length > 1 && name.All(ch => ch is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_');

    private static Dictionary<string, ulong> RunC(string source)
    {
        string dir = Directory.CreateTempSubdirectory("pssyscall-headers-").FullName;
        try
        {
            string src = Path.Combine(dir, "constants.c"), exe = Path.Combine(dir, "constants");
            File.WriteAllText(src, source);
            Run("gcc", "-w", "-o", exe, src);
            var values = new Dictionary<string, ulong>();
            foreach (string line in Run(exe).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] p = line.Split(' ');
                values[p[0]] = ulong.Parse(p[1]);
            }
            return values;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} failed: {err.Result}");
        return stdout;
    }
}
