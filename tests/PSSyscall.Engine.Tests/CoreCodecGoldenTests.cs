using System.Buffers.Binary;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Tests.DecodeGoldenTests;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// Golden tests for the codecs that every trace uses (descriptors, paths, open/mmap/statx/socket
/// flags, iovec, msghdr, mmsghdr, poll, select, exec, clone, getdents, rt_sigreturn) and the
/// printers of clone and arch_prctl: registers and captured bytes in the layout the capture
/// interpreter writes (<see cref="CaptureShape"/>), strace 6.1's text out (as it prints the same
/// calls of the workloads and of its own test programs).
/// </summary>
public sealed class CoreCodecGoldenTests
{
    private static Action<CaptureBuffer> Slots(params (int Slot, byte[] Bytes)[] slots) => b =>
    {
        foreach (var (slot, bytes) in slots)
            b.Add(slot, CaptureStatus.Ok, bytes);
    };

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Ints(params int[] values)
    {
        var b = new byte[values.Length * 4];
        for (int k = 0; k < values.Length; k++) BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(k * 4), values[k]);
        return b;
    }

    private static byte[] Longs(params ulong[] values)
    {
        var b = new byte[values.Length * 8];
        for (int k = 0; k < values.Length; k++) BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(k * 8), values[k]);
        return b;
    }

    /// <summary>The iovec capture: [count] then per element base, length, status, kept bytes.</summary>
    private static byte[] IovecBlob(params (ulong Base, ulong Length, CaptureStatus Status, string Data)[] elements)
    {
        var b = new List<byte>(Ints(elements.Length));
        foreach (var e in elements)
        {
            b.AddRange(Longs(e.Base, e.Length));
            b.Add((byte)e.Status);
            byte[] data = Utf8(e.Data);
            b.AddRange(Ints(data.Length));
            b.AddRange(data);
        }
        return b.ToArray();
    }

    /// <summary>struct msghdr (56 bytes), padded to <paramref name="size"/> with msg_len after it.</summary>
    private static byte[] Msghdr(ulong name, int nameLength, ulong iov, ulong iovLength, ulong control = 0, ulong controlLength = 0, int flags = 0, int size = 56, uint msgLen = 0)
    {
        var b = new byte[size];
        BinaryPrimitives.WriteUInt64LittleEndian(b, name);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), nameLength);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(16), iov);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(24), iovLength);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(32), control);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(40), controlLength);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(48), flags);
        if (size >= 60) BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(56), msgLen);
        return b;
    }

    [Fact]
    public void DescriptorsDirectoryDescriptorsAndPaths()
    {
        Assert.Equal("openat(AT_FDCWD</tmp>, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 3</etc/passwd>",
            Decode("openat", [unchecked((ulong)-100), 0x1000, 0x80000], 3,
                Slots((CaptureSlot.FdLink(0), Utf8("/tmp")), (CaptureSlot.Entry(1), Utf8("/etc/passwd")), (CaptureSlot.ReturnFdLink, Utf8("/etc/passwd")))));
        // The mode only with O_CREAT; a NULL path; an unreadable one as its address.
        Assert.Equal("openat(5</home>, \"x\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3",
            Decode("openat", [5, 0x1000, 0x241, 0x1a4], 3, Slots((CaptureSlot.FdLink(0), Utf8("/home")), (CaptureSlot.Entry(1), Utf8("x")))));
        Assert.Equal("openat(AT_FDCWD, NULL, O_RDONLY) = -1 EFAULT (Bad address)", Decode("openat", [unchecked((ulong)-100), 0, 0, 0x1a4], -14));
        Assert.Equal("openat(AT_FDCWD, 0x1000, O_RDONLY) = -1 EFAULT (Bad address)",
            Decode("openat", [unchecked((ulong)-100), 0x1000, 0], -14, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Fault, [])));
        Assert.Equal("close(3</dev/null>) = 0", Decode("close", [0xdead00000003], 0, Slots((CaptureSlot.FdLink(0), Utf8("/dev/null")))));
        Assert.Equal("fanotify_mark(3, FAN_MARK_ADD, FAN_OPEN, FAN_NOFD, \"/tmp\") = 0",
            Decode("fanotify_mark", [3, 1, 0x20, 0xffffffff, 0x1000], 0, Slots((CaptureSlot.Entry(4), Utf8("/tmp")))));
        SyscallSignature openat = SyscallSignatures.Get("openat")!;
        Assert.Equal([ArgKind.DirFd, ArgKind.Path, ArgKind.Codec, ArgKind.Codec], openat.ArgumentKinds);
    }

    [Fact]
    public void DescriptorPairsAreShownAfterSuccessOnly()
    {
        Assert.Equal("pipe2([3<pipe:[7]>, 4<pipe:[7]>], O_CLOEXEC) = 0",
            Decode("pipe2", [0x1000, 0x80000], 0,
                Slots((CaptureSlot.Exit(0), Ints(3, 4)), (CaptureSlot.PairFdLink0, Utf8("pipe:[7]")), (CaptureSlot.PairFdLink1, Utf8("pipe:[7]")))));
        Assert.Equal("pipe2(0x1000, O_CLOEXEC) = -1 EMFILE (Too many open files)", Decode("pipe2", [0x1000, 0x80000], -24));
    }

    [Fact]
    public void FlagsOfOpenMmapStatxAndSockets()
    {
        Assert.Equal("mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000",
            Decode("mmap", [0, 4096, 3, 0x22, 0xffffffff, 0], 0x7f0000000000));
        Assert.Equal("mremap(0x1000, 4096, 8192, MREMAP_MAYMOVE) = 0x2000", Decode("mremap", [0x1000, 4096, 8192, 1, 0x5000], 0x2000));
        Assert.Equal("mremap(0x1000, 4096, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, 0x5000) = 0x5000", Decode("mremap", [0x1000, 4096, 8192, 3, 0x5000], 0x5000));
        Assert.Equal("statx(AT_FDCWD, \"x\", AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, 0x1000) = -1 ENOENT (No such file or directory)",
            Decode("statx", [unchecked((ulong)-100), 0x2000, 0x100, 0x7ff, 0x1000], -2, Slots((CaptureSlot.Entry(1), Utf8("x")))));
        Assert.Equal("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3", Decode("socket", [2, 0x80001, 6], 3));
        Assert.Equal("socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) = 3", Decode("socket", [16, 3, 0], 3));
        Assert.Equal("socket(AF_UNIX, SOCK_DGRAM, 0) = 3", Decode("socket", [1, 2, 0], 3));
    }

    [Fact]
    public void SocketOptionsByLevelAndDirection()
    {
        Assert.Equal("setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
            Decode("setsockopt", [3, 1, 2, 0x1000, 4], 0, Slots((CaptureSlot.Entry(3), Ints(1)))));
        // Option 26 is SO_ATTACH_FILTER to setsockopt and SO_GET_FILTER to getsockopt.
        Assert.Equal("setsockopt(3, SOL_SOCKET, SO_ATTACH_FILTER, NULL, 0) = -1 EFAULT (Bad address)", Decode("setsockopt", [3, 1, 26, 0, 0], -14));
        Assert.Equal("getsockopt(3, SOL_SOCKET, SO_GET_FILTER, NULL, NULL) = -1 EFAULT (Bad address)", Decode("getsockopt", [3, 1, 26, 0, 0], -14));
        Assert.Equal("getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0",
            Decode("getsockopt", [3, 1, 4, 0x1000, 0x2000], 0,
                Slots((CaptureSlot.Exit(3), Ints(111)), (CaptureSlot.Entry(4), Ints(4)), (CaptureSlot.Exit(4), Ints(4)))));
        Assert.Equal("getsockopt(3, SOL_TCP, TCP_NODELAY, 0x1000, [4]) = -1 EBADF (Bad file descriptor)",
            Decode("getsockopt", [3, 6, 1, 0x1000, 0x2000], -9, Slots((CaptureSlot.Entry(4), Ints(4)))));
    }

    [Fact]
    public void IovecsInAndOut()
    {
        Assert.Equal("writev(1, [{iov_base=\"hi\\n\", iov_len=3}, {iov_base=\"\", iov_len=0}], 2) = 3",
            Decode("writev", [1, 0x1000, 2], 3,
                Slots((CaptureSlot.Entry(1), IovecBlob((0x2000, 3, CaptureStatus.Ok, "hi\n"), (0x3000, 0, CaptureStatus.Ok, ""))))));
        // A failed read shows its buffers as addresses; an array cut by unreadable memory ends in its address.
        Assert.Equal("readv(3, [{iov_base=0x2000, iov_len=8}], 1) = -1 EBADF (Bad file descriptor)",
            Decode("readv", [3, 0x1000, 1], -9, Slots((CaptureSlot.Exit(1), IovecBlob((0x2000, 8, CaptureStatus.Fault, ""))))));
        byte[] cut = IovecBlob((0x2000, 4, CaptureStatus.Ok, "abcd"));
        BinaryPrimitives.WriteInt32LittleEndian(cut, ~1);
        Assert.Equal("readv(3, [{iov_base=\"abcd\", iov_len=4}, ... /* 0x1010 */], 2) = 4",
            Decode("readv", [3, 0x1000, 2], 4, Slots((CaptureSlot.Exit(1), cut))));
    }

    [Fact]
    public void MessageHeaders()
    {
        Assert.Equal("sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"x\", iov_len=1}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, MSG_DONTWAIT) = 1",
            Decode("sendmsg", [3, 0x1000, 0x40], 1,
                Slots((CaptureSlot.Entry(1), Msghdr(0, 0, 0x2000, 1)), (CaptureSlot.Extra + 1, IovecBlob((0x3000, 1, CaptureStatus.Ok, "x"))))));
        // recvmsg that failed: only the name length strace read at entry.
        Assert.Equal("recvmsg(3, {msg_namelen=16}, 0) = -1 EAGAIN (Resource temporarily unavailable)",
            Decode("recvmsg", [3, 0x1000, 0], -11, Slots((CaptureSlot.Entry(1), Ints(16)))));
        Assert.Equal("recvmsg(3, {msg_name={sa_family=AF_UNIX}, msg_namelen=16 => 2, msg_iov=[{iov_base=\"ok\", iov_len=8}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 2",
            Decode("recvmsg", [3, 0x1000, 0], 2,
                Slots((CaptureSlot.Entry(1), Ints(16)), (CaptureSlot.Exit(1), Msghdr(0x4000, 2, 0x2000, 1)),
                    (CaptureSlot.Extra, [1, 0]), (CaptureSlot.Extra + 1, IovecBlob((0x3000, 8, CaptureStatus.Ok, "ok"))))));
        Assert.Equal("sendmmsg(3, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"x\", iov_len=1}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=1}], 1, 0) = 1",
            Decode("sendmmsg", [3, 0x1000, 1, 0], 1,
                Slots((CaptureSlot.Entry(1), Msghdr(0, 0, 0x2000, 1, size: 64)), (CaptureSlot.MessageIovec(0), IovecBlob((0x3000, 1, CaptureStatus.Ok, "x"))),
                    (CaptureSlot.Exit(1), Msghdr(0, 0, 0x2000, 1, size: 64, msgLen: 1)))));
    }

    [Fact]
    public void PollAndItsResult()
    {
        byte[] fds = [3, 0, 0, 0, 1, 0, 0, 0];
        byte[] ready = [3, 0, 0, 0, 1, 0, 1, 0];
        Assert.Equal("poll([{fd=3</dev/null>, events=POLLIN}], 1, 0) = 0 (Timeout)",
            Decode("poll", [0x1000, 1, 0], 0, Slots((CaptureSlot.Entry(0), fds), (CaptureSlot.ArrayFdLink(0), Utf8("/dev/null")))));
        Assert.Equal("poll([{fd=3, events=POLLIN}], 1, 100) = 1 ([{fd=3, revents=POLLIN}])",
            Decode("poll", [0x1000, 1, 100], 1, Slots((CaptureSlot.Entry(0), fds), (CaptureSlot.Exit(0), ready))));
        Assert.Equal("ppoll([{fd=3, events=POLLIN}], 1, {tv_sec=1, tv_nsec=0}, NULL, 8) = 1 ([{fd=3, revents=POLLIN}], left {tv_sec=0, tv_nsec=999000000})",
            Decode("ppoll", [0x1000, 1, 0x2000, 0, 8], 1,
                Slots((CaptureSlot.Entry(0), fds), (CaptureSlot.Exit(0), ready), (CaptureSlot.Entry(2), Longs(1, 0)), (CaptureSlot.Exit(2), Longs(0, 999000000)))));
    }

    [Fact]
    public void SelectSetsTimeoutsAndResult()
    {
        byte[] set = Longs(1UL << 3);
        Assert.Equal("select(4, [3</dev/null>], NULL, NULL, {tv_sec=1, tv_usec=0}) = 1 (in [3], left {tv_sec=0, tv_usec=500000})",
            Decode("select", [4, 0x1000, 0, 0, 0x2000], 1,
                Slots((CaptureSlot.Entry(1), set), (CaptureSlot.ArrayFdLink(0), Utf8("/dev/null")), (CaptureSlot.Exit(1), set),
                    (CaptureSlot.Entry(4), Longs(1, 0)), (CaptureSlot.Exit(4), Longs(0, 500000)))));
        Assert.Equal("select(4, [3], NULL, NULL, {tv_sec=0, tv_usec=0}) = 0 (Timeout)",
            Decode("select", [4, 0x1000, 0, 0, 0x2000], 0, Slots((CaptureSlot.Entry(1), set), (CaptureSlot.Entry(4), Longs(0, 0)))));
        Assert.Equal("pselect6(4, [3], NULL, NULL, NULL, {sigmask=[INT], sigsetsize=8}) = 1 (in [3])",
            Decode("pselect6", [4, 0x1000, 0, 0, 0, 0x3000], 1,
                Slots((CaptureSlot.Entry(1), set), (CaptureSlot.Exit(1), set), (CaptureSlot.Entry(5), Longs(0x4000, 8)), (CaptureSlot.Extra, Longs(1UL << 1)))));
    }

    [Fact]
    public void ExecArgumentsAndEnvironment()
    {
        // argv's capture: [count][more] then per string [status][length][bytes].
        var argv = new List<byte>(Ints(2, 0));
        foreach (string s in new[] { "ls", "-l" })
        {
            argv.Add((byte)CaptureStatus.Ok);
            argv.AddRange(Ints(s.Length));
            argv.AddRange(Utf8(s));
        }
        Assert.Equal("execve(\"/bin/ls\", [\"ls\", \"-l\"], 0x7ffd0000 /* 3 vars */) = 0",
            Decode("execve", [0x1000, 0x2000, 0x7ffd0000], 0,
                Slots((CaptureSlot.Entry(0), Utf8("/bin/ls")), (CaptureSlot.Entry(1), argv.ToArray()), (CaptureSlot.Entry(2), Longs(3)))));
        Assert.Equal("execve(\"/x\", NULL, NULL) = -1 ENOENT (No such file or directory)",
            Decode("execve", [0x1000, 0, 0], -2, Slots((CaptureSlot.Entry(0), Utf8("/x")))));
    }

    [Fact]
    public void CloneCloneArgsAndArchPrctl()
    {
        Assert.Equal("clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f00) = 42",
            Decode("clone", [0x01200011, 0, 0, 0x7f00, 0], 42));
        Assert.Equal("clone(child_stack=0x5000, flags=CLONE_VM|CLONE_PARENT_SETTID, parent_tid=[42]) = 42",
            Decode("clone", [0x00100100, 0x5000, 0x6000, 0, 0], 42, Slots((CaptureSlot.Exit(2), Ints(42)))));
        byte[] args = new byte[88];
        BinaryPrimitives.WriteUInt64LittleEndian(args.AsSpan(32), 17); // exit_signal
        Assert.Equal("clone3({flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 88) = 42",
            Decode("clone3", [0x1000, 88], 42, Slots((CaptureSlot.Entry(0), args))));
        Assert.Equal("clone3(0x1000, 88) = -1 EFAULT (Bad address)",
            Decode("clone3", [0x1000, 88], -14, b => b.Add(CaptureSlot.Entry(0), CaptureStatus.Fault, [])));
        Assert.Equal("arch_prctl(ARCH_SET_FS, 0x7f0000001000) = 0", Decode("arch_prctl", [0x1002, 0x7f0000001000]));
        Assert.Equal("arch_prctl(ARCH_GET_FS, [0x7f0000001000]) = 0",
            Decode("arch_prctl", [0x1003, 0x2000], 0, Slots((CaptureSlot.Exit(1), Longs(0x7f0000001000)))));
    }

    [Fact]
    public void DirectoryEntriesAndSignalReturn()
    {
        Assert.Equal("getdents64(3</tmp>, 0x5000 /* 2 entries */, 32768) = 48",
            Decode("getdents64", [3, 0x5000, 32768], 48, Slots((CaptureSlot.FdLink(0), Utf8("/tmp")), (CaptureSlot.Exit(1), Longs(2)))));
        Assert.Equal("getdents64(3, 0x5000, 32768) = -1 EBADF (Bad file descriptor)", Decode("getdents64", [3, 0x5000, 32768], -9));
        Assert.Equal("rt_sigreturn({mask=[INT]}) = 0", Decode("rt_sigreturn", [0], 0, Slots((CaptureSlot.Entry(0), Longs(1UL << 1)))));
    }

    [Fact]
    public void EveryArgumentHasACodecWithADataPlan()
    {
        // No argument is printed outside a codec, and the plans of the walked shapes are data
        // (a kernel-side backend reads the same fields).
        foreach (SyscallSignature s in SyscallSignatures.All.Where(s => s.IsDecoded))
        {
            Assert.NotNull(s.Codecs);
            Assert.Equal(s.ArgumentKinds!.Count, s.Codecs!.Length);
            Assert.All(s.Codecs, c => Assert.NotNull(c));
        }
        Assert.Equal(CaptureShape.Iovec, SyscallSignatures.Get("writev")!.Codecs![1]!.EntryPlan.Shape);
        Assert.Equal(CaptureWhen.ExitAny, SyscallSignatures.Get("readv")!.Codecs![1]!.ExitPlan.When);
        Assert.Equal(CaptureShape.FdLink, SyscallSignatures.Get("read")!.Codecs![0]!.EntryPlan.Shape);
    }
}
