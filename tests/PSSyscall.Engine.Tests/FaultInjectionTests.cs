using PSSyscall.Engine.Tracing.Faults;

namespace PSSyscall.Engine.Tests;

/// <summary>Each effect on a real program, checked against strace --inject doing the same.</summary>
public sealed class FaultInjectionTests : IDisposable
{
    /// <summary>Calls getppid 1000 times and prints the number (from 1) of each call that failed.</summary>
    public const string ThousandCalls = """
        #include <stdio.h>
        #include <unistd.h>
        #include <sys/syscall.h>
        int main(void) {
            for (int i = 1; i <= 1000; i++)
                if (syscall(SYS_getppid) < 0)
                    printf("%d\n", i);
            return 0;
        }
        """;

    /// <summary>One raw nanosleep of 50 ms; prints how long it took in ms (CLOCK_MONOTONIC via the vDSO).</summary>
    public const string NanosleepOnce = """
        #include <stdio.h>
        #include <time.h>
        #include <unistd.h>
        #include <sys/syscall.h>
        int main(void) {
            struct timespec a, b, d = { 0, 50 * 1000 * 1000 };
            clock_gettime(CLOCK_MONOTONIC, &a);
            syscall(SYS_nanosleep, &d, 0);
            clock_gettime(CLOCK_MONOTONIC, &b);
            printf("%ld\n", (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000);
            return 0;
        }
        """;

    /// <summary>The main thread sleeps (nanosleep, 10 ms) while a second thread makes 2000 getppid
    /// calls; after the sleep it prints how many the other thread had finished.</summary>
    public const string WorkWhileSleeping = """
        #include <pthread.h>
        #include <stdio.h>
        #include <time.h>
        #include <unistd.h>
        #include <sys/syscall.h>
        static volatile int done;
        static void *work(void *arg) { (void)arg; for (int i = 0; i < 2000; i++) { syscall(SYS_getppid); done = i + 1; } return 0; }
        int main(void) {
            pthread_t t;
            struct timespec d = { 0, 10 * 1000 * 1000 };
            pthread_create(&t, 0, work, 0);
            syscall(SYS_nanosleep, &d, 0);
            printf("%d\n", done);
            pthread_join(t, 0);
            return 0;
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("pssyscall-faults-").FullName;
    private readonly string _file;

    public FaultInjectionTests()
    {
        _file = Path.Combine(_dir, "data.txt");
        File.WriteAllText(_file, "hello from the file\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ErrnoOnOpenOfOnePathMakesCatReportItAsStraceDoes()
    {
        var fault = FaultRunner.Fault("openat", errno: "ENOENT", pathLike: _file);
        var (ours, events) = FaultRunner.Ours([fault], "cat", _file);
        ProgramOutcome strace = FaultRunner.Strace(["-P", _file, "-e", "inject=openat:error=ENOENT"], "cat", _file);

        Assert.Equal(1, ours.ExitCode);
        Assert.Equal($"cat: {_file}: No such file or directory\n", ours.Error);
        Assert.Equal("", ours.Output);
        Assert.Equal(strace, ours);

        // Only the open of that file was hit (the loader's opens were not).
        var injected = events.OfType<SyscallEvent>().Where(e => e.Injected).ToList();
        var hit = Assert.Single(injected);
        Assert.Equal("openat", hit.Name);
        Assert.Equal("ENOENT", hit.Errno);
        Assert.Equal(-1, hit.ReturnValue);
        Assert.Equal("error=ENOENT", hit.Fault);
        Assert.True(events.OfType<SyscallEvent>().Count(e => e.Name == "openat" && e.Errno is null) >= 2);
    }

    [Fact]
    public void ZeroReturnOnReadOfTheFileMakesCatPrintNothingAsStraceDoes()
    {
        var fault = FaultRunner.Fault("read", returnValue: 0, pathLike: _file);
        var (ours, events) = FaultRunner.Ours([fault], "cat", _file);
        ProgramOutcome strace = FaultRunner.Strace(["-P", _file, "-e", "inject=read:retval=0"], "cat", _file);

        Assert.Equal(new ProgramOutcome(0, "", ""), ours);
        Assert.Equal(strace, ours);
        var hit = Assert.Single(events.OfType<SyscallEvent>(), e => e.Injected);
        Assert.Equal(("read", 0L, "retval=0"), (hit.Name, hit.ReturnValue, hit.Fault));

        // Without the fault the same command prints the file: the test can tell the difference.
        var (plain, _) = FaultRunner.Ours([], "cat", _file);
        Assert.Equal("hello from the file\n", plain.Output);
    }

    [Fact]
    public void SignalOnEntryKillsTheProgramAsStraceDoes()
    {
        var fault = FaultRunner.Fault("read", signal: "SIGSEGV", pathLike: _file);
        var (ours, events) = FaultRunner.Ours([fault], "cat", _file);
        ProgramOutcome strace = FaultRunner.Strace(["-P", _file, "-e", "inject=read:signal=SIGSEGV"], "cat", _file);

        Assert.Equal(128 + 11, ours.ExitCode);
        Assert.Equal(strace, ours);
        var signal = Assert.Single(events.OfType<SignalEvent>());
        Assert.Equal("SIGSEGV", signal.Signal);
        var exit = events.OfType<ProcessExitEvent>().Last();
        Assert.Equal("SIGSEGV", exit.Signal);
        Assert.Equal("signal=SIGSEGV", Assert.Single(events.OfType<SyscallEvent>(), e => e.Injected).Fault);
    }

    [Fact]
    public void OccurrenceHitsExactlyTheCallsItNamesAsStraceDoes()
    {
        string program = TestPrograms.Compile(ThousandCalls);
        var fault = FaultRunner.Fault("getppid", errno: "EPERM", occurrence: "2..10+2");
        var (ours, events) = FaultRunner.Ours([fault], program);
        ProgramOutcome strace = FaultRunner.Strace(["-e", "inject=getppid:error=EPERM:when=2..10+2"], program);

        Assert.Equal("2\n4\n6\n8\n10\n", ours.Output);
        Assert.Equal(strace, ours);
        var getppid = events.OfType<SyscallEvent>().Where(e => e.Name == "getppid").ToList();
        Assert.Equal(1000, getppid.Count);
        Assert.Equal(new[] { 2, 4, 6, 8, 10 }, getppid.Select((e, i) => (e, i + 1)).Where(x => x.e.Injected).Select(x => x.Item2));
        Assert.All(getppid.Where(e => e.Injected), e => Assert.Equal("EPERM", e.Errno));
    }

    [Fact]
    public void SeededProbabilityHitsTheSameCallsOnEveryRun()
    {
        string program = TestPrograms.Compile(ThousandCalls);
        var fault = FaultRunner.Fault("getppid", errno: "EPERM", probability: 0.3, seed: 7);
        var (first, _) = FaultRunner.Ours([fault], program);
        var (second, events) = FaultRunner.Ours([fault], program);

        Assert.Equal(first.Output, second.Output);
        int hits = first.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.InRange(hits, 250, 350);
        Assert.Equal(hits, events.OfType<SyscallEvent>().Count(e => e.Injected));

        // Another seed picks other calls.
        var (other, _) = FaultRunner.Ours([FaultRunner.Fault("getppid", errno: "EPERM", probability: 0.3, seed: 8)], program);
        Assert.NotEqual(first.Output, other.Output);
    }

    [Fact]
    public void DelayOnExitLengthensTheCallAsStraceDoes()
    {
        string program = TestPrograms.Compile(NanosleepOnce);
        var fault = FaultRunner.Fault("nanosleep", delayExit: TimeSpan.FromMilliseconds(200));
        var (ours, events) = FaultRunner.Ours([fault], program);
        ProgramOutcome strace = FaultRunner.Strace(["-e", "inject=nanosleep:delay_exit=200ms"], program);

        // Loosely: the program saw its 50 ms sleep take at least 250 ms, under both tracers.
        Assert.True(int.Parse(ours.Output) >= 250, $"ours: {ours}");
        Assert.True(int.Parse(strace.Output) >= 250, $"strace: {strace}");
        Assert.Equal((strace.ExitCode, strace.Error), (ours.ExitCode, ours.Error));
        Assert.Equal("delay_exit=200ms", Assert.Single(events.OfType<SyscallEvent>(), e => e.Injected).Fault);
    }

    [Fact]
    public void DelayOnEntryHoldsTheCallBeforeItRuns()
    {
        string program = TestPrograms.Compile(NanosleepOnce);
        var fault = FaultRunner.Fault("nanosleep", delayEntry: TimeSpan.FromMilliseconds(200));
        var (ours, events) = FaultRunner.Ours([fault], program);
        ProgramOutcome strace = FaultRunner.Strace(["-e", "inject=nanosleep:delay_enter=200ms"], program);

        Assert.True(int.Parse(ours.Output) >= 250, $"ours: {ours}");
        Assert.True(int.Parse(strace.Output) >= 250, $"strace: {strace}");
        Assert.Equal("delay_enter=200ms", Assert.Single(events.OfType<SyscallEvent>(), e => e.Injected).Fault);
    }

    [Fact]
    public void OtherThreadsKeepRunningWhileOneIsHeld()
    {
        // The sleeping thread is held for 3 s at its exit; the other thread's 2000 traced calls take
        // a few tens of ms. If holding blocked the tracer, the worker could not finish meanwhile.
        string program = TestPrograms.Compile(WorkWhileSleeping);
        var fault = FaultRunner.Fault("nanosleep", delayExit: TimeSpan.FromSeconds(3));
        var (ours, events) = FaultRunner.Ours([fault], program);

        Assert.Equal("2000\n", ours.Output);
        Assert.Equal(2000, events.OfType<SyscallEvent>().Count(e => e.Name == "getppid"));
    }

    [Fact]
    public void CancelEndsATraceWhoseOnlyThreadIsHeld()
    {
        // Held for a minute at nanosleep's exit; the injected call is reported while it is held,
        // and cancelling then kills the command at once instead of waiting out the delay.
        string program = TestPrograms.Compile(NanosleepOnce);
        var fault = FaultRunner.Fault("nanosleep", delayExit: TimeSpan.FromMinutes(1));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var session = Tracing.TraceSession.Start(new Tracing.TraceOptions { Launch = TraceRunner.Launch(program), Faults = [fault] });
        bool sawInjected = false;
        foreach (TraceEvent e in session.ReadEvents())
        {
            if (e is SyscallEvent { Injected: true })
            {
                sawInjected = true;
                session.Cancel();
            }
        }
        Assert.True(sawInjected);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the cancel waited for the delay ({watch.Elapsed})");
        Assert.Equal(128 + 9, session.ExitCode);
    }

    /// <summary>Calls getppid every millisecond until one fails, then exits with 3.</summary>
    public const string UntilGetppidFails = """
        #include <unistd.h>
        #include <sys/syscall.h>
        int main(void) { while (syscall(SYS_getppid) >= 0) usleep(1000); return 3; }
        """;

    [Fact]
    public void FaultsApplyToAttachedProcesses()
    {
        // Not a child of this process (.NET would take the stops and the exit the tracer must see).
        string program = TestPrograms.Compile(UntilGetppidFails);
        using var target = PSSyscall.Tests.Shared.DetachedProcess.Start(program);
        Thread.Sleep(100);
        var fault = FaultRunner.Fault("getppid", errno: "EPERM", occurrence: "5");
        using var session = Tracing.TraceSession.Start(new Tracing.TraceOptions { AttachProcessIds = [target.Id], Faults = [fault] });
        var reader = Task.Run(() => session.ReadEvents().ToList());
        Assert.True(reader.Wait(TimeSpan.FromSeconds(20)), "the attached process did not end");
        var getppid = reader.Result.OfType<SyscallEvent>().Where(e => e.Name == "getppid").ToList();
        Assert.Equal(5, getppid.Count);
        Assert.Equal([false, false, false, false, true], getppid.Select(e => e.Injected));
        Assert.Equal(3, reader.Result.OfType<ProcessExitEvent>().Single().ExitCode);
    }

    [Fact]
    public void OccurrencesCountAcrossTheWholeTracedTree()
    {
        // Two cat processes each open the file once: the second open in the tree is the one hit.
        // (strace counts per process, so there when=2 would hit neither.)
        var fault = FaultRunner.Fault("openat", errno: "EACCES", pathLike: _file, occurrence: "2");
        var (ours, events) = FaultRunner.Ours([fault], "sh", "-c", $"cat '{_file}'; cat '{_file}'");

        Assert.Equal("hello from the file\n", ours.Output);
        Assert.Equal($"cat: {_file}: Permission denied\n", ours.Error);
        var hit = Assert.Single(events.OfType<SyscallEvent>(), e => e.Injected);
        var cats = events.OfType<ProcessExitEvent>().Where(e => e.ProcessName == "cat").ToList();
        Assert.Equal(2, cats.Count);
        Assert.Equal(cats[1].ProcessId, hit.ProcessId);
    }

    [Fact]
    public void TheCommandsOwnExecveIsLeftAloneAsStraceDoes()
    {
        // strace never faults the execve that starts the command; the shell's exec of cat is hit.
        var fault = FaultRunner.Fault("execve", errno: "ENOENT");
        var (ours, events) = FaultRunner.Ours([fault], "sh", "-c", "cat /etc/hostname");
        ProgramOutcome strace = FaultRunner.Strace(["-e", "inject=execve:error=ENOENT"], "sh", "-c", "cat /etc/hostname");

        Assert.Equal(127, ours.ExitCode);
        Assert.Contains("cat: not found", ours.Error);
        Assert.Equal(strace, ours);
        var execs = events.OfType<SyscallEvent>().Where(e => e.Name == "execve").ToList();
        Assert.False(execs[0].Injected);
        Assert.True(execs.Skip(1).All(e => e.Injected && e.Errno == "ENOENT"));
    }

    [Fact]
    public void FaultsApplyOnTheSeccompFastPathToCallsTheFilterDoesNotReport()
    {
        // Only write is reported (the kernel filter stops on nothing else), yet the openat fault
        // must still see the open of the file: the fast path stops on faulted calls too.
        var fault = FaultRunner.Fault("openat", errno: "EACCES", pathLike: _file);
        var (ours, events) = FaultRunner.Ours([fault], Tracing.SyscallFilter.Create(["write"]), "cat", _file);
        Assert.Equal((1, $"cat: {_file}: Permission denied\n"), (ours.ExitCode, ours.Error));
        Assert.All(events.OfType<SyscallEvent>(), e => Assert.Equal("write", e.Name));
        Assert.NotEmpty(events.OfType<SyscallEvent>());

        // A reported call that is faulted is reported as injected.
        var writeFault = FaultRunner.Fault("write", errno: "ENOSPC", occurrence: "1");
        var (full, writes) = FaultRunner.Ours([writeFault], Tracing.SyscallFilter.Create(["write"]), "cat", _file);
        Assert.Equal((1, "cat: write error: No space left on device\n"), (full.ExitCode, full.Error));
        var hit = Assert.Single(writes.OfType<SyscallEvent>(), e => e.Name == "write" && e.Injected);
        Assert.Equal("-1 ENOSPC (No space left on device)", hit.Result);
        Assert.Contains("= -1 ENOSPC (No space left on device) (INJECTED) <", hit.ToString());
    }

    [Fact]
    public void ClassesSelectCallsAsStracesClassesDo()
    {
        // %file covers openat: the cat's open of the file fails.
        var fault = FaultRunner.Fault("%file", errno: "ENOENT", pathLike: _file);
        var (ours, events) = FaultRunner.Ours([fault], "cat", _file);
        ProgramOutcome strace = FaultRunner.Strace(["-P", _file, "-e", "inject=%file:error=ENOENT"], "cat", _file);
        Assert.Equal(1, ours.ExitCode);
        Assert.Equal(strace, ours);
        Assert.Equal("openat", Assert.Single(events.OfType<SyscallEvent>(), e => e.Injected).Name);
    }

    /// <summary>getpid through the i386 ABI (int 0x80, call 20) from a 64-bit process; prints the result.</summary>
    public const string I386Getpid = """
        #include <stdio.h>
        int main(void) {
            long r;
            __asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
            printf("%ld\n", r);
            return 0;
        }
        """;

    [Fact]
    public void CallsThroughTheI386AbiAreFaultedByTheirOwnNumbers()
    {
        // i386 call 20 is getpid (x86_64's 20 is writev): the fault names getpid and must hit it.
        string program = TestPrograms.Compile(I386Getpid);
        var fault = FaultRunner.Fault("getpid", errno: "EPERM");
        var (ours, events) = FaultRunner.Ours([fault], program);
        ProgramOutcome strace = FaultRunner.Strace(["-e", "inject=getpid:error=EPERM"], program);

        Assert.Equal("-1\n", ours.Output);
        Assert.Equal(strace, ours);
        var hit = Assert.Single(events.OfType<SyscallEvent>(), e => e.Injected);
        Assert.Equal(("getpid", SyscallArchitecture.I386), (hit.Name, hit.Architecture));
    }

    [Fact]
    public void ProcessIdLimitsTheFaultToOneProcess()
    {
        var fault = FaultRunner.Fault("openat", errno: "ENOENT", pathLike: _file, processId: 1);
        var (ours, events) = FaultRunner.Ours([fault], "cat", _file);
        Assert.Equal(new ProgramOutcome(0, "hello from the file\n", ""), ours);
        Assert.DoesNotContain(events.OfType<SyscallEvent>(), e => e.Injected);
    }

    [Fact]
    public void RelativePathsMatchTheirAbsoluteForm()
    {
        var fault = FaultRunner.Fault("openat", errno: "ENOENT", pathLike: "*/data.txt");
        var (ours, _) = FaultRunner.Ours([fault], "sh", "-c", $"cd '{_dir}' && cat data.txt");
        Assert.Equal((1, "cat: data.txt: No such file or directory\n"), (ours.ExitCode, ours.Error));
    }

    [Theory]
    [InlineData("ConflictingFaultEffects")]
    [InlineData("InvalidProbability")]
    [InlineData("UnknownErrno")]
    [InlineData("UnknownSignal")]
    [InlineData("UnknownSyscall")]
    [InlineData("NoFaultEffect")]
    [InlineData("InvalidOccurrence")]
    [InlineData("ReturnValueIsAnError")]
    public void BadDefinitionsAreRefusedWithASpecificId(string id)
    {
        Func<SyscallFault> create = id switch
        {
            "ConflictingFaultEffects" => () => FaultRunner.Fault("write", errno: "ENOSPC", returnValue: 0),
            "InvalidProbability" => () => FaultRunner.Fault("write", errno: "ENOSPC", probability: 1.5),
            "UnknownErrno" => () => FaultRunner.Fault("write", errno: "ENOSPACE"),
            "UnknownSignal" => () => FaultRunner.Fault("write", signal: "SIGFOO"),
            "UnknownSyscall" => () => FaultRunner.Fault("opnat", errno: "ENOENT"),
            "NoFaultEffect" => () => FaultRunner.Fault("write"),
            "InvalidOccurrence" => () => FaultRunner.Fault("write", errno: "EIO", occurrence: "3..1"),
            _ => () => FaultRunner.Fault("write", returnValue: -28),
        };
        var e = Assert.Throws<FaultException>(create);
        Assert.Equal(id, e.ErrorId);
        if (id == "UnknownSyscall")
            Assert.Matches("Did you mean .*'openat'", e.Message);
        if (id == "UnknownErrno")
            Assert.Contains("Did you mean 'ENOSPC'?", e.Message);
        if (id == "UnknownSignal")
            Assert.Matches("Did you mean .*'SIGIO'", e.Message);
    }

    [Fact]
    public void DescribesItselfInStracesWords()
    {
        var f = FaultRunner.Fault("openat,write", errno: "ENOSPC", signal: "SEGV", delayExit: TimeSpan.FromMilliseconds(200), occurrence: "2..10+2");
        Assert.Equal("error=ENOSPC:signal=SIGSEGV:delay_exit=200ms", f.Effect);
        Assert.Equal("inject=openat,write:error=ENOSPC:signal=SIGSEGV:delay_exit=200ms:when=2..10+2", f.ToString());
        Assert.Equal("openat,write", f.Name);
        Assert.Equal(["openat", "write"], f.Syscalls.Split(',').Order());
        Assert.Equal(28, -f.InjectedReturn);
    }
}
