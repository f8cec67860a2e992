using System.Text;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// Printer tests without processes: registers and captured bytes in, strace 6.1's text out. Each
/// expected line is what strace 6.1 printed for the same registers and memory on this machine
/// (the workloads ctypes.c, procattrs.c, sigwait.c, filemeta.c and ipc.c produce them live).
/// </summary>
public sealed class DecodeGoldenTests
{
    private const ulong High = 0xdefaced00000000UL;

    /// <summary>Decodes one finished call: <paramref name="captures"/> fills the slots the tracer
    /// would have filled at the stops.</summary>
    internal static string Decode(string name, ulong[] registers, long ret = 0, Action<CaptureBuffer>? captures = null, int stringLimit = 32)
    {
        SyscallSignature sig = SyscallSignatures.Get(name) ?? throw new ArgumentException("no signature for " + name);
        var buffer = new CaptureBuffer(256);
        captures?.Invoke(buffer);
        Span<ulong> args = stackalloc ulong[6];
        registers.CopyTo(args);
        sig.Normalize(args);
        var c = new DecodeContext
        {
            Signature = sig,
            Args = args,
            Return = ret,
            Failed = ret < 0 && ret >= -ErrnoNames.MaxErrno,
            StringLimit = stringLimit,
            Data = new CapturedData(buffer.Data.AsSpan(0, buffer.Length)),
        };
        var text = new StringBuilder();
        SyscallDecoder.FormatArguments(ref c, text);
        string result = SyscallDecoder.FormatResult(ref c, new StringBuilder());
        return $"{name}({text}) = {result}";
    }

    private static Action<CaptureBuffer> Bytes(int slot, params byte[] bytes) => b => b.Add(slot, CaptureStatus.Ok, bytes);

    private static Action<CaptureBuffer> Text(int slot, string s) => Bytes(slot, Encoding.UTF8.GetBytes(s));

    [Fact]
    public void IntArgumentsIgnoreTheRegistersHighHalf()
    {
        Assert.Equal("faccessat2(-1, NULL, F_OK, 0) = -1 EFAULT (Bad address)",
            Decode("faccessat2", [High | 0xffffffff, 0, High, High], -14));
        Assert.Equal("mkdir(\"x\", 000) = 0", Decode("mkdir", [1, High], 0, Text(CaptureSlot.Entry(0), "x")));
        Assert.Equal("fchmod(3, 0640) = 0", Decode("fchmod", [High | 3, High | 0x1a0]));
        Assert.Equal("umask(022) = 022", Decode("umask", [High | 0x12], 0x12));
        Assert.Equal("lseek(5, -1, SEEK_SET) = -1 EBADF (Bad file descriptor)", Decode("lseek", [0xdead00000005, ulong.MaxValue, 0xdead00000000], -9));
        Assert.Equal("listen(3, 5) = 0", Decode("listen", [High | 3, High | 5]));
        Assert.Equal("kill(-1, SIGCONT) = 0", Decode("kill", [ulong.MaxValue, 0xdead00000000 | 18]));
        Assert.Equal("dup3(0, 0, O_CLOEXEC) = -1 EINVAL (Invalid argument)", Decode("dup3", [0xdead00000000, 0xdead00000000, 0xdead00080000], -22));
    }

    [Fact]
    public void EnumArgumentsAreReadAsTheirCType()
    {
        Assert.Equal("getrlimit(RLIMIT_CPU, {rlim_cur=RLIM64_INFINITY, rlim_max=RLIM64_INFINITY}) = 0",
            Decode("getrlimit", [0xfacefeed00000000, 0x1000], 0, Bytes(CaptureSlot.Exit(1), [.. Enumerable.Repeat((byte)0xff, 16)])));
        Assert.Equal("prlimit64(0, RLIMIT_NOFILE, NULL, NULL) = 0", Decode("prlimit64", [0xdead00000000, 0xdead00000007, 0, 0]));
    }

    [Fact]
    public void UnsignedArgumentsPrintUnsigned()
    {
        Assert.Equal("close_range(4294967294, 4294967295, 0) = 0", Decode("close_range", [0xfffffffe, 0xffffffff, 0]));
        Assert.Equal("read(5, NULL, 18446744073709551615) = -1 EBADF (Bad file descriptor)", Decode("read", [0xdead00000005, 0, ulong.MaxValue], -9));
    }

    [Fact]
    public void UidsPrintUnsignedExceptMinusOne()
    {
        Assert.Equal("chown(\"f\", 4294901760, 0) = 0", Decode("chown", [1, 0xffff0000, 0], 0, Text(CaptureSlot.Entry(0), "f")));
        Assert.Equal("chown(\"f\", -1, -1) = 0", Decode("chown", [1, ulong.MaxValue, ulong.MaxValue], 0, Text(CaptureSlot.Entry(0), "f")));
        Assert.Equal("setresuid(-1, 0, 2147483647) = 0", Decode("setresuid", [0xffffffff, 0, 0x7fffffff]));
        Assert.Equal("setuid(0) = 0", Decode("setuid", [High]));
    }
}

/// <summary>Golden tests of the codecs (Decoding/Codecs): captured bytes to strace 6.1's text.</summary>
public sealed class CodecGoldenTests
{
    private static string Decode(string name, ulong[] registers, long ret = 0, Action<CaptureBuffer>? captures = null, int stringLimit = 32)
        => DecodeGoldenTests.Decode(name, registers, ret, captures, stringLimit);

    private static byte[] Words32(params uint[] words) => words.SelectMany(BitConverter.GetBytes).ToArray();

    private static byte[] Words64(params long[] words) => words.SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public void OutputIdsInBrackets()
    {
        Assert.Equal("getresuid([0], [0], [0]) = 0", Decode("getresuid", [1, 2, 3], 0, b =>
        {
            for (int k = 0; k < 3; k++) b.Add(CaptureSlot.Exit(k), CaptureStatus.Ok, Words32(0));
        }));
        Assert.Equal("getgroups(16, [0, 4294901760]) = 2", Decode("getgroups", [16, 1], 2, b => b.Add(CaptureSlot.Exit(1), CaptureStatus.Ok, Words32(0, 0xffff0000))));
        Assert.Equal("getgroups(16, 0x1) = -1 EINVAL (Invalid argument)", Decode("getgroups", [16, 1], -22));
    }

    [Fact]
    public void CpuSetsShowTheSetBits()
        => Assert.Equal("sched_getaffinity(0, 128, [0 1]) = 32",
            Decode("sched_getaffinity", [0, 128, 0x10], 32, b => b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, [3, .. new byte[31]])));

    [Fact]
    public void TimePairsCarryTheirDates()
    {
        // strace prints local time (this machine and CI: UTC, 2001-09-09T01:46:40.000000003+0000).
        DateTimeOffset t = DateTimeOffset.FromUnixTimeSeconds(1000000000).ToLocalTime();
        string date = t.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + ".000000003"
            + t.ToString("zzz", System.Globalization.CultureInfo.InvariantCulture).Replace(":", "");
        Assert.Equal($"utimensat(AT_FDCWD, \"f\", [{{tv_sec=1000000000, tv_nsec=3}} /* {date} */, UTIME_OMIT], 0) = 0",
            Decode("utimensat", [unchecked((ulong)-100), 1, 2, 0], 0, b =>
            {
                b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, "f"u8);
                b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, Words64(1000000000, 3, 0, (1 << 30) - 2));
            }));
    }

    [Fact]
    public void SiginfoShowsTheSenderOrTheChildOrNothing()
    {
        byte[] user = new byte[128];
        BitConverter.GetBytes(10).CopyTo(user, 0);   // SIGUSR1, SI_USER
        BitConverter.GetBytes(42).CopyTo(user, 16);  // si_pid
        Assert.Equal("rt_sigtimedwait([], {si_signo=SIGUSR1, si_code=SI_USER, si_pid=42, si_uid=0}, NULL, 8) = 10 (SIGUSR1)",
            Decode("rt_sigtimedwait", [1, 2, 0, 8], 10, b =>
            {
                b.Add(CaptureSlot.Entry(0), CaptureStatus.Ok, new byte[8]);
                b.Add(CaptureSlot.Exit(1), CaptureStatus.Ok, user);
            }));
        byte[] kernel = new byte[128];
        BitConverter.GetBytes(11).CopyTo(kernel, 0);
        BitConverter.GetBytes(0x80).CopyTo(kernel, 8); // SI_KERNEL: no sender to show
        BitConverter.GetBytes(42).CopyTo(kernel, 16);
        Assert.Equal("waitid(P_ALL, 0, {si_signo=SIGSEGV, si_code=SI_KERNEL}, WEXITED, NULL) = 0",
            Decode("waitid", [0, 0, 1, 4, 0], 0, b => b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, kernel)));
        Assert.Equal("waitid(P_ALL, 0, {}, WNOHANG|WEXITED, NULL) = 0",
            Decode("waitid", [0, 0, 1, 5, 0], 0, b => b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, new byte[128])));
    }

    [Fact]
    public void SysvIpcArguments()
    {
        Assert.Equal("shmget(IPC_PRIVATE, 4096, IPC_CREAT|0600) = 4", Decode("shmget", [0, 4096, 0x380], 4));
        Assert.Equal("semctl(4, 0, GETVAL, NULL) = 1", Decode("semctl", [4, 0, 12, 0], 1));
        Assert.Equal("msgsnd(4, {mtype=1, mtext=\"hello\\0\"}, 6, 0) = 0",
            Decode("msgsnd", [4, 1, 6, 0], 0, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, [1, 0, 0, 0, 0, 0, 0, 0, .. "hello\0"u8])));
        Assert.Equal("semop(4, [{sem_num=0, sem_op=-1, sem_flg=SEM_UNDO}], 1) = 0",
            Decode("semop", [4, 1, 1], 0, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, [0, 0, 0xff, 0xff, 0, 0x10])));
    }

    [Fact]
    public void GetcwdIsNeverCutByTheStringLimit()
    {
        string path = "/" + new string('d', 100);
        Assert.Equal($"getcwd(\"{path}\", 4096) = 102", Decode("getcwd", [1, 4096], 102,
            b => b.Add(CaptureSlot.Exit(0), CaptureStatus.Ok, System.Text.Encoding.ASCII.GetBytes(path)), stringLimit: 16));
    }

    [Fact]
    public void ResultsCarryTheirMeaning()
    {
        Assert.Equal("sched_getscheduler(0) = 0 (SCHED_OTHER)", Decode("sched_getscheduler", [0], 0));
        Assert.Equal("personality(0xffffffff) = 0x40000 (PER_LINUX|ADDR_NO_RANDOMIZE)", Decode("personality", [0xffffffff], 0x40000));
        Assert.Equal("personality(PER_LINUX|ADDR_NO_RANDOMIZE) = 0 (PER_LINUX)", Decode("personality", [0x40000], 0));
        Assert.Equal("ioprio_get(IOPRIO_WHO_PROCESS, 0) = 0 (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_NONE, 0))", Decode("ioprio_get", [1, 0], 0));
        Assert.Equal("ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)) = 0", Decode("ioprio_set", [1, 0, (2 << 13) | 4]));
        Assert.Equal("membarrier(MEMBARRIER_CMD_QUERY, 0) = 0x3 (MEMBARRIER_CMD_GLOBAL|MEMBARRIER_CMD_GLOBAL_EXPEDITED)", Decode("membarrier", [0, 0, 0], 3));
        Assert.Equal("membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, MEMBARRIER_CMD_FLAG_CPU, 3) = -1 EINVAL (Invalid argument)",
            Decode("membarrier", [0x10, 1, 3], -22));
        Assert.Equal("membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0) = 0", Decode("membarrier", [8, 0, 0], 0));
    }

    [Fact]
    public void ArgumentsShownOnlyWhereStraceShowsThem()
    {
        Assert.Equal("syslog(10 /* SYSLOG_ACTION_SIZE_BUFFER */) = 131072", Decode("syslog", [10, 0, 0], 131072));
        Assert.Equal("syslog(3 /* SYSLOG_ACTION_READ_ALL */, NULL, 10) = -1 EINVAL (Invalid argument)", Decode("syslog", [3, 0, 10], -22));
        Assert.Equal("mknodat(AT_FDCWD, \"f\", S_IFIFO|0644) = 0", Decode("mknodat", [unchecked((ulong)-100), 1, 0x11a4, 0], 0,
            b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, "f"u8)));
    }

    [Fact]
    public void SchedulingAndMemoryStructures()
    {
        byte[] attr = new byte[56];
        BitConverter.GetBytes(48u).CopyTo(attr, 0);
        BitConverter.GetBytes(1400000UL).CopyTo(attr, 24);
        Assert.Equal("sched_setattr(0, {size=48, sched_policy=SCHED_OTHER, sched_flags=0, sched_nice=0, sched_priority=0, sched_runtime=1400000, sched_deadline=0, sched_period=0}, 0) = 0",
            Decode("sched_setattr", [0, 1, 0], 0, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, attr)));
        Assert.Equal("get_mempolicy([MPOL_DEFAULT], [0000000000000000, 0000000000000003], 128, NULL, 0) = 0",
            Decode("get_mempolicy", [1, 2, 128, 0, 0], 0, b =>
            {
                b.Add(CaptureSlot.Exit(0), CaptureStatus.Ok, Words32(0));
                b.Add(CaptureSlot.Exit(1), CaptureStatus.Ok, Words64(0, 3));
            }));
        Assert.Equal("mincore(0x1000, 8192, [1, 0]) = 0", Decode("mincore", [0x1000, 8192, 5], 0, b => b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, [1, 0])));
        Assert.Equal("capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_CHOWN|1<<CAP_CHECKPOINT_RESTORE, permitted=1<<CAP_KILL, inheritable=0}) = 0",
            Decode("capget", [1, 2], 0, b =>
            {
                b.Add(CaptureSlot.Entry(0), CaptureStatus.Ok, Words32(0x20080522, 0));
                b.Add(CaptureSlot.Exit(1), CaptureStatus.Ok, Words32(1, 1 << 5, 0, 1 << 8, 0, 0));
            }));
        Assert.Equal("openat2(AT_FDCWD, \"/etc/hostname\", {flags=O_RDONLY|O_CLOEXEC, resolve=RESOLVE_NO_SYMLINKS}, 24) = 3",
            Decode("openat2", [unchecked((ulong)-100), 1, 2, 24], 3, b =>
            {
                b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, "/etc/hostname"u8);
                b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, Words64(0x80000, 0, 4));
            }));
    }

    [Fact]
    public void OutputRulesInTheDetails()
    {
        Assert.Equal("write(3</tmp/x>(deleted), \"x\", 1) = 1", Decode("write", [3, 1, 1], 1, b =>
        {
            b.Add(CaptureSlot.FdLink(0), CaptureStatus.Ok, "/tmp/x (deleted)"u8);
            b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, "x"u8);
        }));
        Assert.Equal("prctl(PR_SET_NAME, \"0123456789abcde\"...) = 0",
            Decode("prctl", [15, 1], 0, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Truncated, "0123456789abcdef"u8)));
        // accept with room for 2 bytes: the kernel copied only the family, whatever length it reports.
        Assert.Equal("accept(4, {sa_family=AF_UNIX}, [2 => 110]) = 5", Decode("accept", [4, 1, 2], 5, b =>
        {
            b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, Words32(2));
            b.Add(CaptureSlot.Exit(1), CaptureStatus.Ok, [1, 0, (byte)'A', (byte)'A', (byte)'A', (byte)'A']);
            b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, Words32(2));
            b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, Words32(110));
        }));
        byte[] statfs = new byte[120];
        BitConverter.GetBytes(0x9fa0L).CopyTo(statfs, 0);
        BitConverter.GetBytes(0x15).CopyTo(statfs, 56);
        BitConverter.GetBytes(0x1020L).CopyTo(statfs, 80);
        Assert.Equal("fstatfs(3, {f_type=PROC_SUPER_MAGIC, f_bsize=0, f_blocks=0, f_bfree=0, f_bavail=0, f_files=0, f_ffree=0, f_fsid={val=[0x15, 0]}, f_namelen=0, f_frsize=0, f_flags=ST_VALID|ST_RELATIME}) = 0",
            Decode("fstatfs", [3, 1], 0, b => b.Add(CaptureSlot.Exit(1), CaptureStatus.Ok, statfs)));
    }

    [Fact]
    public void PerSyscallPrintersDecodeByCommand()
    {
        byte[] flock = new byte[32];
        BitConverter.GetBytes((short)1).CopyTo(flock, 0); // F_WRLCK
        BitConverter.GetBytes(1L).CopyTo(flock, 16);      // l_len
        Assert.Equal("fcntl(3, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=1}) = 0",
            Decode("fcntl", [3, 6, 1], 0, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, flock)));
        Assert.Equal("fcntl(11, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)", Decode("fcntl", [11, 3, 0], 0x8002));
        Assert.Equal("fcntl(3, F_DUPFD_CLOEXEC, 10) = 11</tmp/x>", Decode("fcntl", [3, 1030, 10], 11,
            b => b.Add(CaptureSlot.ReturnFdLink, CaptureStatus.Ok, "/tmp/x"u8)));
        Assert.Equal("ioctl(3, MMTIMER_GETRES, 0) = -1 ENOTTY (Inappropriate ioctl for device)", Decode("ioctl", [3, 0x80086d01, 0], -25));
        Assert.Equal("ioctl(3, _IOC(_IOC_READ, 0xfe, 0xfe, 0x8), 0) = -1 ENOTTY (Inappropriate ioctl for device)", Decode("ioctl", [3, 0x8008fefe, 0], -25));
        Assert.Equal("ioctl(3, _IOC(_IOC_NONE, 0x3d, 0, 0), 0) = -1 ENOTTY (Inappropriate ioctl for device)", Decode("ioctl", [3, 0x3d00, 0], -25));
        const string Ebadf = " = -1 EBADF (Bad file descriptor)";
        Assert.Equal("ioctl(-1, KIOCSOUND, 440 /* 2711 Hz */)" + Ebadf, Decode("ioctl", [ulong.MaxValue, 0x4B2F, 440], -9));
        Assert.Equal("ioctl(-1, KDMKTONE, 57005<<16|64206 /* 18 Hz, 57005 ms */)" + Ebadf, Decode("ioctl", [ulong.MaxValue, 0x4B30, 0xbadc0deddeadfaceUL], -9));
        Assert.Equal("ioctl(-1, KDSKBLED, LED_NUM|LED_CAP|LED_SCR<<4|LED_NUM<<4|LED_CAP<<4|0x88)" + Ebadf, Decode("ioctl", [ulong.MaxValue, 0x4B65, 0xfe], -9));
        Assert.Equal("ioctl(-1, KDSETLED, 0xf0 /* LED_??? */)" + Ebadf, Decode("ioctl", [ulong.MaxValue, 0x4B32, 0xbadc0dedfeedfaf0UL], -9));
        Assert.Equal("ioctl(-1, KDADDIO, 0x3c0 /* GPFIRST + 12 */)" + Ebadf, Decode("ioctl", [ulong.MaxValue, 0x4B34, 0x3c0], -9));
        Assert.Equal("ioctl(-1, KDSKBMODE, -17965395 /* K_??? */)" + Ebadf, Decode("ioctl", [ulong.MaxValue, 0x4B45, 0xbadc0dedfeeddeadUL], -9));
        Assert.Equal("ioctl(-1, KDSIGACCEPT, SIGRT_1)" + Ebadf, Decode("ioctl", [ulong.MaxValue, 0x4B4E, 33], -9));
        Assert.Equal("ioctl(-1, KDENABIO)" + Ebadf, Decode("ioctl", [ulong.MaxValue, 0x4B36, 0xbadc0deddeadfaceUL], -9));
        Assert.Equal("ioctl(-1, KDGETLED, NULL)" + Ebadf, Decode("ioctl", [ulong.MaxValue, 0x4B31, 0], -9));
        Assert.Equal("ioctl(-1, RTC_AIE_OFF)" + Ebadf, Decode("ioctl", [ulong.MaxValue, 0x7002, 0xdeadbeef], -9));
        Assert.Equal("ioctl(-1, RTC_IRQP_SET, 16045690984232390125)" + Ebadf, Decode("ioctl", [ulong.MaxValue, 0x4008700c, 0xdeadbeefbadc0dedUL], -9));
        Assert.Equal("ioctl(-1, RTC_RD_TIME, NULL)" + Ebadf, Decode("ioctl", [ulong.MaxValue, 0x80247009, 0], -9));
        var rtcTime = new byte[40];
        for (int i = 0; i < 9; i++)
            BitConverter.GetBytes(i - 1).CopyTo(rtcTime, 4 + 4 * i);
        rtcTime[0] = 1;
        Assert.Equal("ioctl(-1, RTC_SET_TIME, {tm_sec=-1, tm_min=0, tm_hour=1, tm_mday=2, tm_mon=3, tm_year=4, ...})" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0x4024700a, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, rtcTime.AsSpan(4, 36))));
        Assert.Equal("ioctl(-1, RTC_WKALM_SET, {enabled=1, pending=0, time={tm_sec=-1, tm_min=0, tm_hour=1, tm_mday=2, tm_mon=3, tm_year=4, ...}})" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0x4028700f, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, rtcTime)));
        Assert.Equal("ioctl(3, TCSETS2, NULL) = -1 EFAULT (Bad address)", Decode("ioctl", [3, 0x402c542b, 0], -14));
        var termios2 = new byte[44];
        termios2[0] = 1; termios2[4] = 1; termios2[8] = 0xbf; termios2[12] = 1; // IGNBRK, OPOST, B38400|CS8|CREAD, ISIG
        Assert.Equal("ioctl(3, TCGETS2, {c_iflag=IGNBRK, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG, ...}) = 0",
            Decode("ioctl", [3, 0x802c542a, 0x1000], 0, b => b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, termios2)));
        Assert.Equal("ioctl(-1, TIOCMBIS, [0xffff1e00 /* TIOCM_??? */])" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0x5416, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, BitConverter.GetBytes(0xffff1e00u))));
        Assert.Equal("ioctl(-1, TIOCMSET, [TIOCM_DTR|TIOCM_OUT1|0x1e00])" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0x5418, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, BitConverter.GetBytes(0x3e02u))));
        Assert.Equal("ioctl(-1, TIOCMGET, NULL)" + Ebadf, Decode("ioctl", [ulong.MaxValue, 0x5415, 0], -9));
        Assert.Equal("ioctl(-1, KDGKBENT, {kb_table=1<<KG_ALT|1<<KG_SHIFTR|1<<KG_CTRLR, kb_index=168})" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0x4B46, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, new byte[] { 0xa8, 0xa8, 0xa8, 0xa8 })));
        Assert.Equal("ioctl(-1, KDKBDREP, {delay=-1, period=0})" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0x4B52, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, new byte[] { 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0 })));
        Assert.Equal("ioctl(-1, KDSETKEYCODE, {scancode=0, keycode=0xff})" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0x4B4D, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, new byte[] { 0, 0, 0, 0, 0xff, 0, 0, 0 })));
        var extts = new byte[16];
        BitConverter.GetBytes(3141592653u).CopyTo(extts, 0);
        BitConverter.GetBytes(0xdeadbabeu).CopyTo(extts, 4);
        BitConverter.GetBytes(0xcafebeefu).CopyTo(extts, 12);
        Assert.Equal("ioctl(-1, PTP_EXTTS_REQUEST2, {index=3141592653, flags=PTP_RISING_EDGE|PTP_FALLING_EDGE|PTP_STRICT_FLAGS|0xdeadbab0, rsv=[0, 0xcafebeef]})" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0x40103d0b, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, extts)));
        var pin = new byte[96];
        BitConverter.GetBytes(7u).CopyTo(pin, 64);
        BitConverter.GetBytes(4u).CopyTo(pin, 68);
        BitConverter.GetBytes(9u).CopyTo(pin, 72);
        Assert.Equal("ioctl(-1, PTP_PIN_SETFUNC, {index=7, func=0x4 /* PTP_PF_??? */, chan=9})" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0x40603d07, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, pin)));
        Assert.Equal("ioctl(-1, PTP_SYS_OFFSET_EXTENDED, {n_samples=0})" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0xc4c03d09, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, new byte[1216])));
        Assert.Equal("ioctl(-1, PTP_SYS_OFFSET_PRECISE, NULL)" + Ebadf, Decode("ioctl", [ulong.MaxValue, 0xc0403d08, 0], -9));
        Assert.Equal("ioctl(-1, KDSKBENT, {kb_table=K_NORMTAB, kb_index=44, kb_value=0xd5c /* K(KT_DEAD2, '\\\\') */})" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0x4B47, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, new byte[] { 0, 44, 0x5c, 0xd })));
        Assert.Equal("ioctl(-1, KDSKBENT, {kb_table=K_SHIFTTAB, kb_index=1, kb_value=0x11d /* K_PAUSE */})" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0x4B47, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, new byte[] { 1, 1, 0x1d, 0x1 })));
        Assert.Equal("ioctl(-1, KDSKBENT, {kb_table=K_ALTTAB, kb_index=1, kb_value=0xf00d /* K(0xf0, 0xd) */})" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0x4B47, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, new byte[] { 2, 1, 0x0d, 0xf0 })));
        var kbsentry = new byte[513];
        kbsentry[0] = 1; // KVAL(K_F2)
        "ab"u8.CopyTo(kbsentry.AsSpan(1));
        Assert.Equal("ioctl(-1, KDSKBSENT, {kb_func=KVAL(K_F2), kb_string=\"ab\"})" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0x4B49, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, kbsentry)));
        Assert.Equal("ioctl(-1, KDSKBSENT, {kb_func=KVAL(K_F2), kb_string=???})" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0x4B49, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Truncated, new byte[] { 1, 0x41 })));
        var fontdesc = new byte[16];
        BitConverter.GetBytes((ushort)1).CopyTo(fontdesc, 0);
        BitConverter.GetBytes((ushort)57005).CopyTo(fontdesc, 2);
        Assert.Equal("ioctl(-1, GIO_FONTX, {charcount=1, charheight=57005, chardata=NULL})" + Ebadf,
            Decode("ioctl", [ulong.MaxValue, 0x4B6B, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, fontdesc)));
        Assert.Equal("ioctl(3, VBG_IOCTL_VMMDEV_REQUEST_BIG or VT_GETSTATE, 0) = -1 ENOTTY (Inappropriate ioctl for device)", Decode("ioctl", [3, 0x5603, 0], -25));
        Assert.Equal("ioctl(3, LOOP_CLR_FD) = -1 ENOTTY (Inappropriate ioctl for device)", Decode("ioctl", [3, 0x4c01, 0], -25));
        Assert.Equal("futex(0x1000, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, NULL, FUTEX_BITSET_MATCH_ANY) = 0",
            Decode("futex", [0x1000, 9 | 128 | 256, 0, 0, 0, 0xffffffff], 0));
        Assert.Equal("prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) = 0", Decode("prctl", [38, 1, 0, 0, 0], 0));
    }

    [Fact]
    public void KernelInterfaceCodecsPrintAsStrace()
    {
        byte[] attr = new byte[48];
        BitConverter.GetBytes(3u).CopyTo(attr, 0);                // PERF_TYPE_HW_CACHE
        BitConverter.GetBytes(72u).CopyTo(attr, 4);               // PERF_ATTR_SIZE_VER1
        BitConverter.GetBytes(0x01020207UL).CopyTo(attr, 8);
        BitConverter.GetBytes(5UL).CopyTo(attr, 16);
        BitConverter.GetBytes((1UL << 10) | (1UL << 15) | (1UL << 40)).CopyTo(attr, 40); // freq, precise_ip=1, a reserved bit
        Assert.Equal("perf_event_open({type=PERF_TYPE_HW_CACHE, size=PERF_ATTR_SIZE_VER1, config=0x1<<24|0x2 /* PERF_COUNT_HW_CACHE_RESULT_??? */<<16|PERF_COUNT_HW_CACHE_OP_PREFETCH<<8|0x7 /* PERF_COUNT_HW_CACHE_??? */, sample_freq=5, sample_type=0, read_format=0, freq=1, precise_ip=1 /* constant skid */, __reserved_1=0x4 /* Bits 63..38 */, ...}, -1, 0, -1, PERF_FLAG_FD_CLOEXEC) = -1 EINVAL (Invalid argument)",
            Decode("perf_event_open", [0x1000, ulong.MaxValue, 0, ulong.MaxValue, 8], -22, b => b.Add(CaptureSlot.Entry(0), CaptureStatus.Ok, attr)));
        BitConverter.GetBytes(56u).CopyTo(attr, 4); // below PERF_ATTR_SIZE_VER0: the address
        Assert.Equal("perf_event_open(0x1000, -1, 0, -1, 0) = -1 EINVAL (Invalid argument)",
            Decode("perf_event_open", [0x1000, ulong.MaxValue, 0, ulong.MaxValue, 0], -22, b => b.Add(CaptureSlot.Entry(0), CaptureStatus.Ok, attr)));
        Assert.Equal("swapon(NULL, SWAP_FLAG_PREFER|42) = -1 EFAULT (Bad address)", Decode("swapon", [0, 0x8000 | 42], -14));
        Assert.Equal("swapon(NULL, 42) = -1 EFAULT (Bad address)", Decode("swapon", [0, 42], -14));
        Assert.Equal("syslog(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */, NULL, 8 /* LOGLEVEL_DEBUG+1 */) = 0", Decode("syslog", [8, 0, 8], 0));
        Assert.Equal("syslog(11 /* SYSLOG_ACTION_??? */, 0x1000, 64) = -1 EINVAL (Invalid argument)", Decode("syslog", [11, 0x1000, 64], -22));
        Assert.Equal("kexec_file_load(3, 4, 7, \"abcdef\\0\", KEXEC_FILE_UNLOAD|0x8) = -1 ENOSYS (Function not implemented)",
            Decode("kexec_file_load", [3, 4, 7, 0x1000, 9], -38, b => b.Add(CaptureSlot.Entry(3), CaptureStatus.Ok, "abcdef\0"u8)));
        Assert.Equal("fanotify_mark(3, 0, FAN_DIR_MODIFY|FAN_ONDIR, FAN_NOFD, NULL) = -1 EINVAL (Invalid argument)",
            Decode("fanotify_mark", [3, 0, 0x40080000, 0xffffffff, 0], -22));
        Assert.Equal("delete_module(NULL, O_NONBLOCK|O_TRUNC) = -1 EFAULT (Bad address)", Decode("delete_module", [0, 0xa00], -14));
    }

    [Fact]
    public void BpfPrintsAttrByCommand()
    {
        byte[] ids = new byte[12];
        BitConverter.GetBytes(0xbadc0dedu).CopyTo(ids, 0);
        BitConverter.GetBytes(0xffffff27u).CopyTo(ids, 8);
        Assert.Equal("bpf(BPF_PROG_GET_NEXT_ID, {start_id=3134983661, next_id=0}, 8) = -1 EINVAL (Invalid argument)",
            Decode("bpf", [11, 0x1000, 8], -22, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, ids.AsSpan(0, 8))));
        Assert.Equal("bpf(BPF_MAP_GET_FD_BY_ID, {map_id=3134983661, next_id=0, open_flags=0xffffff27 /* BPF_F_??? */}, 12) = -1 EINVAL (Invalid argument)",
            Decode("bpf", [14, 0x1000, 12], -22, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, ids)));
        byte[] link = new byte[48];
        BitConverter.GetBytes(-1).CopyTo(link, 0);
        BitConverter.GetBytes(7).CopyTo(link, 8);
        BitConverter.GetBytes(4).CopyTo(link, 12);
        link[47] = (byte)'!';
        Assert.Equal("bpf(BPF_LINK_CREATE, {link_create={prog_fd=-1, target_fd=0</dev/null>, attach_type=BPF_SK_MSG_VERDICT, flags=0x4}, ...}, 48) = -1 EBADF (Bad file descriptor)",
            Decode("bpf", [28, 0x1000, 48], -9, b =>
            {
                b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, link);
                b.Add(CaptureSlot.ArrayFdLink(1), CaptureStatus.Ok, "/dev/null"u8);
            }));
        Assert.Equal("bpf(BPF_LINK_CREATE, 0x1000, 48) = -1 EBADF (Bad file descriptor)",
            Decode("bpf", [28, 0x1000, 48], -9, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Truncated, link.AsSpan(0, 20))));
    }

    [Fact]
    public void IoUringRegisterPrintsResourceAndBufferRingStructures()
    {
        byte[] reg = new byte[40];
        BitConverter.GetBytes(0xbadc0dedu).CopyTo(reg, 4);        // flags
        BitConverter.GetBytes(0x1000UL).CopyTo(reg, 16);          // data, nr 0: []
        for (int i = 32; i < 40; i++) reg[i] = (byte)(0xa0 + i - 32);
        Assert.Equal("io_uring_register(0, IORING_REGISTER_FILES2, {nr=0, flags=IORING_RSRC_REGISTER_SPARSE|0xbadc0dec, data=[], tags=NULL, /* bytes 32..39 */ \"\\xa0\\xa1\\xa2\\xa3\\xa4\\xa5\\xa6\\xa7\"}, 40) = -1 EOPNOTSUPP (Operation not supported)",
            Decode("io_uring_register", [0, 13, 0x2000, 40], -95, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, reg)));
        byte[] upd = new byte[32];
        BitConverter.GetBytes(0xdeadfaceu).CopyTo(upd, 0);        // offset
        BitConverter.GetBytes(0xfacecafeu).CopyTo(upd, 28);       // resv2
        Assert.Equal("io_uring_register(0, IORING_REGISTER_BUFFERS_UPDATE, {offset=3735943886, data=NULL, tags=NULL, nr=0, resv2=0xfacecafe, ???}, 40) = -1 EOPNOTSUPP (Operation not supported)",
            Decode("io_uring_register", [0, 16, 0x2000, 40], -95, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Truncated, upd)));
        Assert.Equal("io_uring_register(0, IORING_REGISTER_FILES2, 0x2000, 24) = -1 EOPNOTSUPP (Operation not supported)",
            Decode("io_uring_register", [0, 13, 0x2000, 24], -95, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, upd.AsSpan(0, 24))));
        byte[] upd5 = new byte[32];
        BitConverter.GetBytes(0x3000UL).CopyTo(upd5, 8);          // data
        BitConverter.GetBytes(0x4000UL).CopyTo(upd5, 16);         // tags
        BitConverter.GetBytes(3u).CopyTo(upd5, 24);               // nr
        byte[] fds = new byte[12];
        BitConverter.GetBytes(3).CopyTo(fds, 0);
        BitConverter.GetBytes(-2).CopyTo(fds, 4);
        BitConverter.GetBytes(-1).CopyTo(fds, 8);
        byte[] tags = new byte[16];
        BitConverter.GetBytes(0x1337UL).CopyTo(tags, 0);
        Assert.Equal("io_uring_register(0, IORING_REGISTER_FILES_UPDATE2, {offset=0, data=[3</dev/full>, IORING_REGISTER_FILES_SKIP, -1], tags=[0x1337, 0, ... /* 0x4010 */], nr=3}, 32) = -1 EOPNOTSUPP (Operation not supported)",
            Decode("io_uring_register", [0, 14, 0x2000, 32], -95, b =>
            {
                b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, upd5);
                b.Add(CaptureSlot.Nested(0), CaptureStatus.Ok, fds);
                b.Add(CaptureSlot.ArrayFdLink(0), CaptureStatus.Ok, "/dev/full"u8);
                b.Add(CaptureSlot.Nested(1), CaptureStatus.Truncated, tags);
            }));
        byte[] buf = new byte[40];
        BitConverter.GetBytes(3141592653u).CopyTo(buf, 8);
        BitConverter.GetBytes((ushort)31337).CopyTo(buf, 14);    // pad
        BitConverter.GetBytes(0xdecaffedbeefdeadUL).CopyTo(buf, 24);
        Assert.Equal("io_uring_register(0, IORING_UNREGISTER_PBUF_RING, {ring_addr=NULL, ring_entries=3141592653, bgid=0, pad=0x7a69, resv=[0, 0xdecaffedbeefdead, 0]}, 66) = -1 EOPNOTSUPP (Operation not supported)",
            Decode("io_uring_register", [0, 23, 0x2000, 66], -95, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, buf)));
    }

    [Fact]
    public void KernelSignalsShowNoSender()
    {
        var kernel = new SignalEvent { ThreadId = 7, Signal = "SIGHUP", Code = "SI_KERNEL", SenderProcessId = 0, SenderUserId = 0 };
        Assert.Equal("[pid 7] --- SIGHUP {si_signo=SIGHUP, si_code=SI_KERNEL} ---", kernel.ToString());
        var user = new SignalEvent { ThreadId = 7, Signal = "SIGTERM", Code = "SI_USER", SenderProcessId = 9, SenderUserId = 0 };
        Assert.Equal("[pid 7] --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=9, si_uid=0} ---", user.ToString());
    }

    [Fact]
    public void StructuresReadShortShowTheirAddress()
        => Assert.Equal("clone3(0x7000, 88) = -1 EFAULT (Bad address)",
            Decode("clone3", [0x7000, 88], -14, b => b.Add(CaptureSlot.Entry(0), CaptureStatus.Truncated, new byte[64])));

    [Fact]
    public void BuffersReadShortShowTheirAddress()
        => Assert.Equal("write(1, 0x7000, 10) = -1 EFAULT (Bad address)",
            Decode("write", [1, 0x7000, 10], -14, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Truncated, "hello"u8)));
}

