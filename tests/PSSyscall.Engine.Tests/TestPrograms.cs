using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace PSSyscall.Engine.Tests;

/// <summary>C test programs, compiled with the machine's gcc on first use and cached by content.</summary>
public static class TestPrograms
{
    private static readonly string Dir = Path.Combine(Path.GetTempPath(), "pssyscall-test-programs");
    private static readonly object Lock = new();

    /// <summary>Eight threads that each call getppid a fixed number of times (1000).</summary>
    public const string Threads = """
        #include <pthread.h>
        #include <unistd.h>
        #include <sys/syscall.h>
        static void *work(void *arg) { (void)arg; for (int i = 0; i < 1000; i++) syscall(SYS_getppid); return 0; }
        int main(void) {
            pthread_t t[8];
            for (int i = 0; i < 8; i++) pthread_create(&t[i], 0, work, 0);
            for (int i = 0; i < 8; i++) pthread_join(t[i], 0);
            return 0;
        }
        """;

    /// <summary>A second thread execs /bin/true while the main thread waits in a syscall.</summary>
    public const string ExecFromThread = """
        #include <pthread.h>
        #include <unistd.h>
        // The thread waits until the leader is about to pause: an exec that overtook the leader's
        // own clone3 exit would lose that call from one trace but not the other (a race, not a bug).
        static volatile int leader_ready;
        static void *work(void *arg) {
            (void)arg;
            while (!leader_ready) { }
            usleep(100000);
            char *argv[] = { "true", 0 };
            execv("/bin/true", argv);
            return 0;
        }
        int main(void) {
            pthread_t t;
            pthread_create(&t, 0, work, 0);
            leader_ready = 1;
            pause();
            return 1;
        }
        """;

    /// <summary>Writes a line, then kills itself with SIGSEGV (a real fault, not kill()).</summary>
    public const string Segfault = """
        #include <unistd.h>
        int main(void) { write(1, "x\n", 2); volatile int *p = (int *)16; *p = 1; return 0; }
        """;

    /// <summary>vfork + exec of /bin/true three times, and a clone(2) child process sharing nothing.</summary>
    public const string VforkAndClone = """
        #define _GNU_SOURCE
        #include <sched.h>
        #include <signal.h>
        #include <stdlib.h>
        #include <sys/wait.h>
        #include <unistd.h>
        static int child(void *arg) { (void)arg; return getppid() > 0 ? 0 : 1; }
        int main(void) {
            for (int i = 0; i < 3; i++) {
                pid_t p = vfork();
                if (p == 0) { execl("/bin/true", "true", (char *)0); _exit(127); }
                waitpid(p, 0, 0);
            }
            char *stack = malloc(65536);
            pid_t c = clone(child, stack + 65536, SIGCHLD, 0);
            waitpid(c, 0, 0);
            return 0;
        }
        """;

    /// <summary>Four threads calling getppid every 10 ms for about two seconds, then exit 0.</summary>
    public const string BusyThreads = """
        #include <pthread.h>
        #include <unistd.h>
        #include <sys/syscall.h>
        static void *work(void *arg) { (void)arg; for (int i = 0; i < 200; i++) { syscall(SYS_getppid); usleep(10000); } return 0; }
        int main(void) {
            pthread_t t[4];
            for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, work, 0);
            for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
            return 0;
        }
        """;

    public static string Compile(string source, string extraFlags = "-pthread")
    {
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source + extraFlags)))[..16];
        string exe = Path.Combine(Dir, "p" + hash);
        lock (Lock)
        {
            if (File.Exists(exe))
                return exe;
            Directory.CreateDirectory(Dir);
            string c = exe + ".c";
            File.WriteAllText(c, source);
            var psi = new ProcessStartInfo("gcc") { RedirectStandardError = true };
            foreach (string a in new[] { "-O1", "-o", exe + ".tmp", c }.Concat(extraFlags.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
                throw new InvalidOperationException("gcc failed: " + err);
            File.Move(exe + ".tmp", exe, overwrite: true);
            return exe;
        }
    }
}
