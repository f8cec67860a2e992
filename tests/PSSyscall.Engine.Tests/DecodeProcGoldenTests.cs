using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// Printer tests without processes for memory policy, move_pages and pkey calls: registers and
/// captured bytes in, strace 6.1's text out (the lines strace-6.1's set_mempolicy, mbind,
/// move_pages and pkey_alloc tests expect).
/// </summary>
public sealed class DecodeProcGoldenTests
{
    private static string Decode(string name, ulong[] registers, long ret = 0, Action<CaptureBuffer>? captures = null, int stringLimit = 32)
        => DecodeGoldenTests.Decode(name, registers, ret, captures, stringLimit);

    private static Action<CaptureBuffer> Capture(int slot, CaptureStatus status, byte[] bytes) => b => b.Add(slot, status, bytes);

    [Fact]
    public void MempolicyModesCarryTheirFlags()
    {
        Assert.Equal("set_mempolicy(MPOL_DEFAULT|MPOL_F_STATIC_NODES, NULL, 0) = 0", Decode("set_mempolicy", [0x8000, 0, 0]));
        Assert.Equal("set_mempolicy(MPOL_INTERLEAVE|MPOL_F_STATIC_NODES|MPOL_F_RELATIVE_NODES|MPOL_F_NUMA_BALANCING, NULL, 0) = -1 EINVAL (Invalid argument)",
            Decode("set_mempolicy", [0xe003, 0, 0], -22));
        Assert.Equal("set_mempolicy(0x6 /* MPOL_??? */, NULL, 0) = -1 EINVAL (Invalid argument)", Decode("set_mempolicy", [6, 0, 0], -22));
        Assert.Equal("set_mempolicy(MPOL_F_STATIC_NODES|MPOL_F_RELATIVE_NODES|MPOL_F_NUMA_BALANCING|0xffff1fff, NULL, 0) = -1 EINVAL (Invalid argument)",
            Decode("set_mempolicy", [0xdead0000ffffffff, 0, 0], -22));
        // mbind's mode is an unsigned long: the high half counts.
        Assert.Equal("mbind(0x1000, 4096, 0xffffffff00000000 /* MPOL_??? */, NULL, 0, 0) = 0", Decode("mbind", [0x1000, 4096, 0xffffffff00000000, 0, 0, 0]));
    }

    [Fact]
    public void ThirtyTwoBitArgumentsIgnoreTheRegistersHighHalf()
    {
        // io_setup's nr_events and sethostname's length are C ints the kernel reads as 32 bits.
        Assert.Equal("io_setup(2, NULL) = -1 EFAULT (Bad address)", Decode("io_setup", [0xdeadbeef00000002, 0], -14));
        Assert.Equal("sethostname(NULL, 64) = -1 EFAULT (Bad address)", Decode("sethostname", [0, 0xffffffff00000040], -14));
        // reboot's magic numbers: unknown ones in hex, as strace's %#x.
        Assert.Equal("reboot(LINUX_REBOOT_MAGIC1, 0x13110612 /* LINUX_REBOOT_MAGIC_??? */, LINUX_REBOOT_CMD_CAD_OFF) = -1 EINVAL (Invalid argument)",
            Decode("reboot", [0xfee1dead, 0x13110612, 0, 0], -22));
    }

    [Fact]
    public void NodeMasksCoverMaxNodeMinusOneBits()
    {
        byte[] one = new byte[8], two = new byte[16];
        Assert.Equal("set_mempolicy(MPOL_DEFAULT, [0000000000000000], 65) = 0",
            Decode("set_mempolicy", [0, 0x1000, 65], 0, Capture(CaptureSlot.Entry(1), CaptureStatus.Ok, one)));
        Assert.Equal("set_mempolicy(MPOL_DEFAULT, [0000000000000000, ... /* 0x1008 */], 66) = -1 EFAULT (Bad address)",
            Decode("set_mempolicy", [0, 0x1000, 66], -14, Capture(CaptureSlot.Entry(1), CaptureStatus.Truncated, one)));
        Assert.Equal("set_mempolicy(MPOL_DEFAULT, [0000000000000000, 0000000000000000, ... /* 0x1010 */], 194) = -1 EFAULT (Bad address)",
            Decode("set_mempolicy", [0, 0x1000, 194], -14, Capture(CaptureSlot.Entry(1), CaptureStatus.Truncated, two), stringLimit: 2));
        Assert.Equal("set_mempolicy(MPOL_DEFAULT, [], 0) = -1 EINVAL (Invalid argument)",
            Decode("set_mempolicy", [0, 0x1000, 0], -22, Capture(CaptureSlot.Entry(1), CaptureStatus.Ok, [])));
    }

    [Fact]
    public void MovePagesShowsItsArrays()
    {
        byte[] pages = [.. BitConverter.GetBytes(0x7000UL), .. BitConverter.GetBytes(0x8000UL)];
        byte[] status = [.. BitConverter.GetBytes(-14), .. BitConverter.GetBytes(0)];
        Assert.Equal("move_pages(1, 2, [0x7000, 0x8000], NULL, [-EFAULT, 0], MPOL_MF_MOVE) = 0",
            Decode("move_pages", [1, 2, 0x1000, 0, 0x2000, 2], 0, b =>
            {
                b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, pages);
                b.Add(CaptureSlot.Exit(4), CaptureStatus.Ok, status);
            }));
        byte[] nodes = BitConverter.GetBytes(-559038751);
        Assert.Equal("move_pages(1, 2, [0x7000, ... /* 0x1008 */], [-559038751, ... /* 0x3004 */], 0x2000, MPOL_MF_MOVE_ALL) = -1 ENODEV (No such device)",
            Decode("move_pages", [1, 2, 0x1000, 0x3000, 0x2000, 4], -19, b =>
            {
                b.Add(CaptureSlot.Entry(2), CaptureStatus.Truncated, pages[..8]);
                b.Add(CaptureSlot.Entry(3), CaptureStatus.Truncated, nodes);
            }));
        Assert.Equal("move_pages(1, 0, [], NULL, [], MPOL_MF_MOVE) = 0",
            Decode("move_pages", [1, 0, 0x1000, 0, 0x2000, 2], 0, b =>
            {
                b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, []);
                b.Add(CaptureSlot.Exit(4), CaptureStatus.Ok, []);
            }));
    }

    [Fact]
    public void PkeyAllocReadsUnsignedLongs()
    {
        Assert.Equal("pkey_alloc(0xdead00000000, PKEY_DISABLE_ACCESS|PKEY_DISABLE_WRITE|PKEY_DISABLE_EXECUTE) = -1 EINVAL (Invalid argument)",
            Decode("pkey_alloc", [0xdead00000000, 7], -22));
        Assert.Equal("set_mempolicy_home_node(0x1000, 1, 2, 0x3) = -1 EINVAL (Invalid argument)",
            Decode("set_mempolicy_home_node", [0x1000, 1, 2, 3], -22));
    }
}

public sealed class DecodeKcmpGoldenTests
{
    [Fact]
    public void KcmpShowsTheIndexesItsTypeTakes()
    {
        Assert.Equal("kcmp(-1, -1, KCMP_VM) = -1 ESRCH (No such process)",
            DecodeGoldenTests.Decode("kcmp", [ulong.MaxValue, ulong.MaxValue, 1, 0xdec0ded3dec0ded4, 0xba5e1e55deadc0de], -3));
        Assert.Equal("kcmp(-87158697, -553988398, 0xda7adead /* KCMP_??? */, 0xdec0ded3dec0ded4, 0xba5e1e55deadc0de) = -1 ESRCH (No such process)",
            DecodeGoldenTests.Decode("kcmp", [0xdeadca75face1057, 0xdefaced1defaced2, 0xbadc0dedda7adead, 0xdec0ded3dec0ded4, 0xba5e1e55deadc0de], -3));
        byte[] slot = [23, 0, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal("kcmp(1, -1, KCMP_EPOLL_TFD, 23, {efd=23, tfd=42, toff=0}) = -1 ESRCH (No such process)",
            DecodeGoldenTests.Decode("kcmp", [1, ulong.MaxValue, 7, 23, 0x7f0000001000], -3, b => b.Add(Tracing.CaptureSlot.Entry(4), Tracing.CaptureStatus.Ok, slot)));
        Assert.Equal("kcmp(1, -1, KCMP_EPOLL_TFD, 23, NULL) = -1 ESRCH (No such process)",
            DecodeGoldenTests.Decode("kcmp", [1, ulong.MaxValue, 7, 23, 0], -3));
    }
}

public sealed class DecodeTimeWaitGoldenTests
{
    private static Action<CaptureBuffer> Slot(int slot, byte[] bytes) => b => b.Add(slot, CaptureStatus.Ok, bytes);

    [Fact]
    public void TimeFractionsPrintUnsigned()
    {
        byte[] ts = [.. BitConverter.GetBytes(-1L), .. BitConverter.GetBytes(-1L)];
        Assert.Equal("nanosleep({tv_sec=-1, tv_nsec=18446744073709551615}, 0x2000) = -1 EINVAL (Invalid argument)",
            DecodeGoldenTests.Decode("nanosleep", [0x1000, 0x2000], -22, Slot(CaptureSlot.Entry(0), ts)));
    }

    [Fact]
    public void TimezonesAreDecoded()
    {
        byte[] tv = [.. BitConverter.GetBytes(1L), .. BitConverter.GetBytes(2L)];
        Assert.Equal("settimeofday({tv_sec=1, tv_usec=2}, {tz_minuteswest=0, tz_dsttime=0}) = -1 EPERM (Operation not permitted)",
            DecodeGoldenTests.Decode("settimeofday", [0x1000, 0x2000], -1, b =>
            {
                b.Add(CaptureSlot.Entry(0), CaptureStatus.Ok, tv);
                b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, new byte[8]);
            }));
    }

    [Fact]
    public void Wait4NamesWstoppedAndShowsRusageOnlyForAChild()
    {
        Assert.Equal("wait4(-1, 0x1000, WNOHANG|WSTOPPED|__WALL, 0x2000) = -1 ECHILD (No child processes)",
            DecodeGoldenTests.Decode("wait4", [ulong.MaxValue, 0x1000, 0x40000003, 0x2000], -10));
        // struct rusage is captured whole (144 bytes; -v shows every field).
        Assert.Equal("wait4(5, NULL, WNOHANG, 0x2000) = 0",
            DecodeGoldenTests.Decode("wait4", [5, 0, 1, 0x2000], 0, Slot(CaptureSlot.Exit(3), new byte[144])));
        Assert.Equal("wait4(5, NULL, 0, {ru_utime={tv_sec=0, tv_usec=0}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 5",
            DecodeGoldenTests.Decode("wait4", [5, 0, 0, 0x2000], 5, Slot(CaptureSlot.Exit(3), new byte[144])));
    }
}

public sealed class DecodeSchedNsGoldenTests
{
    private static Action<CaptureBuffer> Slot(int slot, byte[] bytes) => b => b.Add(slot, CaptureStatus.Ok, bytes);

    [Fact]
    public void SetnsTakesNamespaceTypesOnly()
    {
        Assert.Equal("setns(3, 0) = 0", DecodeGoldenTests.Decode("setns", [3, 0xdead00000000], 0));
        Assert.Equal("setns(3, CLONE_NEWTIME|CLONE_NEWNET) = 0", DecodeGoldenTests.Decode("setns", [3, 0x40000080], 0));
        Assert.Equal("setns(3, 0x600 /* CLONE_NEW??? */) = -1 EINVAL (Invalid argument)", DecodeGoldenTests.Decode("setns", [3, 0x600], -22));
        Assert.Equal("unshare(CLONE_NEWTIME|CLONE_FS|CLONE_SIGHAND|CLONE_THREAD) = -1 EINVAL (Invalid argument)",
            DecodeGoldenTests.Decode("unshare", [0x10a80], -22));
    }

    [Fact]
    public void RtSigpendingShowsShortSets()
    {
        Assert.Equal("rt_sigpending([HUP INT], 4) = 0", DecodeGoldenTests.Decode("rt_sigpending", [0x1000, 4], 0, Slot(CaptureSlot.Exit(0), [3, 0, 0, 0])));
        Assert.Equal("rt_sigpending([], 1) = 0", DecodeGoldenTests.Decode("rt_sigpending", [0x1000, 1], 0, Slot(CaptureSlot.Exit(0), [0])));
    }

    [Fact]
    public void SchedAttrFollowsSizeAndKeepFlags()
    {
        byte[] small = new byte[56];
        small[0] = 1;
        Assert.Equal("sched_setattr(0, {size=1}, 0) = -1 E2BIG (Argument list too long)",
            DecodeGoldenTests.Decode("sched_setattr", [0, 0x1000, 0], -7, Slot(CaptureSlot.Entry(1), small)));
        byte[] keep = new byte[56];
        keep[0] = 56;
        keep[8] = 0x10; // SCHED_FLAG_KEEP_PARAMS
        Assert.Equal("sched_setattr(0, {size=56, sched_flags=SCHED_FLAG_KEEP_PARAMS, sched_util_min=0, sched_util_max=0}, 3735929054) = -1 EINVAL (Invalid argument)",
            DecodeGoldenTests.Decode("sched_setattr", [0, 0x1000, 0xdeadbeefdeadc0de], -22, Slot(CaptureSlot.Entry(1), keep)));
        byte[] big = new byte[56];
        big[0] = 0x60; big[1] = 0x70; big[2] = 0x80; big[3] = 0x90;
        big[4] = 0xed; big[5] = 0xac; big[6] = 0x7f; big[7] = 0xca;
        Assert.Equal("sched_setattr(0, {size=2424336480, sched_policy=0xca7faced /* SCHED_??? */, sched_flags=0, sched_nice=0, sched_priority=0, sched_runtime=0, sched_deadline=0, sched_period=0, sched_util_min=0, sched_util_max=0, ...}, 0) = -1 E2BIG (Argument list too long)",
            DecodeGoldenTests.Decode("sched_setattr", [0, 0x1000, 0], -7, Slot(CaptureSlot.Entry(1), big)));
    }
}

public sealed class DecodeProcArraysGoldenTests
{
    [Fact]
    public void ShortArraysShowTheirReadableElements()
    {
        byte[] sem = [0xce, 0xfa, 0x0d, 0xf0, 0xef, 0xbe];
        Assert.Equal("semop(1, [{sem_num=64206, sem_op=-4083, sem_flg=SEM_UNDO|IPC_NOWAIT|0xa6ef}, ... /* 0x1006 */], 2) = -1 EFAULT (Bad address)",
            DecodeGoldenTests.Decode("semop", [1, 0x1000, 0xdead00000002], -14, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Truncated, sem)));
        Assert.Equal("setgroups(2, [-1, ... /* 0x1004 */]) = -1 EINVAL (Invalid argument)",
            DecodeGoldenTests.Decode("setgroups", [2, 0x1000], -22, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Truncated, [0xff, 0xff, 0xff, 0xff])));
        Assert.Equal("setgroups(65537, 0x1000) = -1 EINVAL (Invalid argument)",
            DecodeGoldenTests.Decode("setgroups", [65537, 0x1000], -22, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, new byte[8])));
    }

    [Fact]
    public void UnknownPoliciesAndWhosAreHex()
    {
        Assert.Equal("alarm(42) = 0", DecodeGoldenTests.Decode("alarm", [0xffffffff0000002a], 0));
        Assert.Equal("ioprio_get(0xfa5875ef /* IOPRIO_WHO_??? */, 1) = -1 EINVAL (Invalid argument)",
            DecodeGoldenTests.Decode("ioprio_get", [0xfa5875ef, 1], -22));
        Assert.Equal("time([1700000000 /* 2023-11-14T22:13:20+0000 */]) = 1700000000 (2023-11-14T22:13:20+0000)",
            DecodeGoldenTests.Decode("time", [0x1000], 1700000000, b => b.Add(CaptureSlot.Exit(0), CaptureStatus.Ok, BitConverter.GetBytes(1700000000L))));
    }
}

public sealed class DecodeSiginfoGoldenTests
{
    [Fact]
    public void SiginfoErrnoUnsignedUidMinusOne()
    {
        byte[] si = new byte[128];
        BitConverter.GetBytes(10).CopyTo(si, 0);   // SIGUSR1
        BitConverter.GetBytes(-1).CopyTo(si, 4);   // si_errno
        BitConverter.GetBytes(-1).CopyTo(si, 8);   // SI_QUEUE
        BitConverter.GetBytes(7).CopyTo(si, 16);   // si_pid
        BitConverter.GetBytes(-1).CopyTo(si, 20);  // si_uid
        BitConverter.GetBytes(-1L).CopyTo(si, 24); // si_int / si_ptr
        Assert.Equal("rt_sigqueueinfo(7, SIGUSR2, {si_signo=SIGUSR1, si_code=SI_QUEUE, si_errno=4294967295, si_pid=7, si_uid=-1, si_int=-1, si_ptr=0xffffffffffffffff}) = -1 EINVAL (Invalid argument)",
            DecodeGoldenTests.Decode("rt_sigqueueinfo", [7, 12, 0x1000], -22, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, si)));
    }
}

public sealed class DecodeClone3GoldenTests
{
    [Fact]
    public void Clone3ArgsAsStrace61()
    {
        byte[] args = new byte[88];
        BitConverter.GetBytes(0xdeadc0deUL).CopyTo(args, 32);         // exit_signal
        BitConverter.GetBytes(18072662651680067053UL).CopyTo(args, 80); // cgroup without CLONE_INTO_CGROUP
        Assert.Equal("clone3({flags=0, exit_signal=3735929054, stack=NULL, stack_size=0, cgroup=18072662651680067053}, 88) = -1 EINVAL (Invalid argument)",
            DecodeGoldenTests.Decode("clone3", [0x1000, 88], -22, b => b.Add(CaptureSlot.Entry(0), CaptureStatus.Ok, args)));
        byte[] flags = new byte[88];
        BitConverter.GetBytes(0x180400080UL).CopyTo(flags, 0); // CLONE_NEWTIME|CLONE_DETACHED|CLONE_IO|CLONE_CLEAR_SIGHAND
        Assert.Equal("clone3({flags=CLONE_IO|CLONE_NEWTIME|CLONE_CLEAR_SIGHAND|0x400000, exit_signal=0, stack=NULL, stack_size=0}, 88) = -1 EINVAL (Invalid argument)",
            DecodeGoldenTests.Decode("clone3", [0x1000, 88], -22, b => b.Add(CaptureSlot.Entry(0), CaptureStatus.Ok, flags)));
    }
}

public sealed class DecodeRemoteIovecGoldenTests
{
    [Fact]
    public void RemoteIovecsReadShortShowTheirReadableElements()
    {
        byte[] iov = [.. BitConverter.GetBytes(0x7000UL), .. BitConverter.GetBytes(5UL)];
        Assert.Equal("process_madvise(-1, [{iov_base=0x7000, iov_len=5}, ... /* 0x1010 */], 2, MADV_NORMAL, 0) = -1 EINVAL (Invalid argument)",
            DecodeGoldenTests.Decode("process_madvise", [ulong.MaxValue, 0x1000, 2, 0, 0], -22, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Truncated, iov)));
    }
}
