using System.Buffers.Binary;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Tests.DecodeGoldenTests;

namespace PSSyscall.Engine.Tests;

/// <summary>Files, paths and mounts (issue 15): registers and captured bytes in, strace 6.1's text
/// out, as its own test programs (mkdir.c, faccessat2.c, openat2.c, fcntl.c, fsmount.c) print.</summary>
public sealed class FileDecodeGoldenTests
{
    private static byte[] Words64(params ulong[] w)
    {
        var b = new byte[w.Length * 8];
        for (int i = 0; i < w.Length; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(i * 8), w[i]);
        return b;
    }

    [Fact]
    public void ModesAreUmodeT()
    {
        Assert.Equal("mkdir(\"d\", 000) = -1 EEXIST (File exists)",
            Decode("mkdir", [1, 0xffff0000], -17, b => b.Add(CaptureSlot.Entry(0), CaptureStatus.Ok, "d"u8)));
        Assert.Equal("creat(\"d\", 0177777) = -1 EEXIST (File exists)",
            Decode("creat", [1, 0xffffffff], -17, b => b.Add(CaptureSlot.Entry(0), CaptureStatus.Ok, "d"u8)));
        Assert.Equal("umask(0126) = 026", Decode("umask", [0xffff0056], 0x16));
        Assert.Equal("mknod(\"d\", 0177777) = -1 EINVAL (Invalid argument)",
            Decode("mknod", [1, 0xffffffff, 0], -22, b => b.Add(CaptureSlot.Entry(0), CaptureStatus.Ok, "d"u8)));
        Assert.Equal("mknod(\"d\", S_IFIFO|0600) = 0",
            Decode("mknod", [1, 0x11180, 0], 0, b => b.Add(CaptureSlot.Entry(0), CaptureStatus.Ok, "d"u8)));
    }

    [Fact]
    public void AtFlagsBySyscall()
    {
        Assert.Equal("faccessat2(-1, NULL, F_OK, AT_SYMLINK_NOFOLLOW|AT_EACCESS|AT_EMPTY_PATH) = -1 EFAULT (Bad address)",
            Decode("faccessat2", [0xffffffff, 0, 0, 0x1300], -14));
        Assert.Equal("faccessat2(-1, NULL, F_OK, AT_EACCESS|0x8000) = -1 EFAULT (Bad address)",
            Decode("faccessat2", [0xffffffff, 0, 0, 0x8200], -14));
        // AT_STATX_* are statx's alone.
        Assert.Equal("unlinkat(-1, NULL, AT_REMOVEDIR|0x6000) = -1 EFAULT (Bad address)",
            Decode("unlinkat", [0xffffffff, 0, 0x6200], -14));
    }

    [Fact]
    public void OpenHowSizesAndTail()
    {
        const ulong how = 0x7f0000001000;
        Action<CaptureBuffer> path = b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, "f"u8);
        Assert.Equal("openat2(-1, \"f\", 0x7f0000001000, 11) = -1 EINVAL (Invalid argument)",
            Decode("openat2", [0xffffffff, 1, how, 11], -22, b => { path(b); b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, new byte[11]); }));
        byte[] big = [.. Words64(0x80, 0, 0), 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87];
        Assert.Equal("openat2(-1, \"f\", {flags=O_RDONLY|O_EXCL, resolve=0, /* bytes 24..31 */ \"\\x80\\x81\\x82\\x83\\x84\\x85\\x86\\x87\"}, 32) = -1 E2BIG (Argument list too long)",
            Decode("openat2", [0xffffffff, 1, how, 32], -7, b => { path(b); b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, big); }));
        Assert.Equal("openat2(-1, \"f\", {flags=O_RDONLY|O_EXCL, resolve=0}, 32) = -1 EINVAL (Invalid argument)",
            Decode("openat2", [0xffffffff, 1, how, 32], -22, b => { path(b); b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, Words64(0x80, 0, 0, 0)); }));
        Assert.Equal("openat2(-1, \"f\", {flags=O_RDONLY|O_EXCL, resolve=0, ???}, 32) = -1 EFAULT (Bad address)",
            Decode("openat2", [0xffffffff, 1, how, 32], -14, b => { path(b); b.Add(CaptureSlot.Entry(2), CaptureStatus.Truncated, Words64(0x80, 0, 0)); }));
        Assert.Equal("openat2(-1, \"f\", {flags=O_RDONLY|0xdeadface80000000, mode=0777, resolve=0}, 24) = -1 EINVAL (Invalid argument)",
            Decode("openat2", [0xffffffff, 1, how, 24], -22, b => { path(b); b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, Words64(0xdeadface80000000, 0x1ff, 0)); }));
    }

    [Fact]
    public void FcntlOwnersLeasesSignals()
    {
        Assert.Equal("fcntl(-1, F_SETOWN_EX, {type=F_OWNER_PGRP, pid=1234567890}) = -1 EBADF (Bad file descriptor)",
            Decode("fcntl", [0xffffffff, 15, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, [2, 0, 0, 0, 0xd2, 0x02, 0x96, 0x49])));
        Assert.Equal("fcntl(1, F_GETOWN_EX, {type=F_OWNER_PID, pid=7}) = 0",
            Decode("fcntl", [1, 16, 0x1000], 0, b => b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, [1, 0, 0, 0, 7, 0, 0, 0])));
        Assert.Equal("fcntl(1, F_SETSIG, SIGHUP) = 0", Decode("fcntl", [1, 10, 1]));
        Assert.Equal("fcntl(1, F_GETSIG) = 1 (SIGHUP)", Decode("fcntl", [1, 11], 1));
        Assert.Equal("fcntl(1, F_SETLEASE, F_RDLCK) = -1 EINVAL (Invalid argument)", Decode("fcntl", [1, 1024, 0], -22));
        Assert.Equal("fcntl(1, F_GETLEASE) = 0x2 (F_UNLCK)", Decode("fcntl", [1, 1025], 2));
        Assert.Equal("fcntl(1, F_NOTIFY, DN_ACCESS) = -1 ENOTDIR (Not a directory)", Decode("fcntl", [1, 1026, 1], -20));
    }

    [Fact]
    public void FsmountAttrFlagsAsStrace61()
    {
        Assert.Equal("fsmount(-1, 0, 0xffffff40 /* MOUNT_ATTR_??? */) = -1 EINVAL (Invalid argument)",
            Decode("fsmount", [0xffffffff, 0, 0xffffff40], -22));
        Assert.Equal("fsmount(-1, 0, MOUNT_ATTR_RDONLY|0x100000) = -1 EINVAL (Invalid argument)",
            Decode("fsmount", [0xffffffff, 0, 0x100001], -22));
    }
}

public sealed class FsconfigDecodeGoldenTests
{
    [Fact]
    public void PathTracingByCommand()
    {
        var p = PSSyscall.Engine.Decoding.Printers.FsconfigPrinter.Instance;
        Assert.Equal(PSSyscall.Engine.Syscalls.ArgKind.Skip, p.TracedAs(0, [3, 3, 0, 0, 3]));
        Assert.Equal(PSSyscall.Engine.Syscalls.ArgKind.Path, p.TracedAs(3, [3, 3, 0, 0, 3]));
        Assert.Equal(PSSyscall.Engine.Syscalls.ArgKind.DirFd, p.TracedAs(4, [3, 4, 0, 0, 3]));
        Assert.Equal(PSSyscall.Engine.Syscalls.ArgKind.Fd, p.TracedAs(4, [3, 5, 0, 0, 3]));
        Assert.Equal(PSSyscall.Engine.Syscalls.ArgKind.Skip, p.TracedAs(4, [3, 0, 0, 0, 3]));
    }

    [Fact]
    public void KeyValueAndAuxByCommand()
    {
        Assert.Equal("fsconfig(-1, FSCONFIG_SET_STRING, \"source\", \"/dev/sda\"..., -100) = -1 EBADF (Bad file descriptor)",
            Decode("fsconfig", [0xffffffff, 1, 0x1000, 0x2000, unchecked((ulong)-100)], -9, b =>
            {
                b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, "source"u8);
                b.Add(CaptureSlot.Entry(3), CaptureStatus.Truncated, "/dev/sda"u8);
            }, stringLimit: 8));
        Assert.Equal("fsconfig(-1, FSCONFIG_SET_BINARY, \"k\", \"\\x30\\x31\\x32\", 3) = -1 EBADF (Bad file descriptor)",
            Decode("fsconfig", [0xffffffff, 2, 0x1000, 0x2000, 3], -9, b =>
            {
                b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, "k"u8);
                b.Add(CaptureSlot.Entry(3), CaptureStatus.Ok, "012"u8);
            }));
        Assert.Equal("fsconfig(-1, FSCONFIG_SET_BINARY, \"k\", 0x2000, -100) = -1 EBADF (Bad file descriptor)",
            Decode("fsconfig", [0xffffffff, 2, 0x1000, 0x2000, unchecked((ulong)-100)], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, "k"u8)));
        Assert.Equal("fsconfig(-1, FSCONFIG_SET_PATH, NULL, \"/dev/full\", AT_FDCWD</tmp>) = -1 EBADF (Bad file descriptor)",
            Decode("fsconfig", [0xffffffff, 3, 0, 0x2000, unchecked((ulong)-100)], -9, b =>
            {
                b.Add(CaptureSlot.Entry(3), CaptureStatus.Ok, "/dev/full"u8);
                b.Add(CaptureSlot.FdLink(4), CaptureStatus.Ok, "/tmp"u8);
            }));
        Assert.Equal("fsconfig(3, FSCONFIG_CMD_CREATE, 0x1000, 0x2000, -100) = -1 EINVAL (Invalid argument)",
            Decode("fsconfig", [3, 6, 0x1000, 0x2000, unchecked((ulong)-100)], -22));
    }
}

public sealed class MountMemfdDecodeGoldenTests
{
    [Fact]
    public void MountMagicAndIgnoredArguments()
    {
        Action<CaptureBuffer> all = b =>
        {
            b.Add(CaptureSlot.Entry(0), CaptureStatus.Ok, "src"u8);
            b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, "dst"u8);
            b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, "ext4"u8);
            b.Add(CaptureSlot.Entry(4), CaptureStatus.Ok, "ro"u8);
        };
        Assert.Equal("mount(\"src\", \"dst\", \"ext4\", MS_MGC_VAL|MS_RDONLY, \"ro\") = -1 ENOENT (No such file or directory)",
            Decode("mount", [1, 2, 3, 0xc0ed0001, 5], -2, all));
        Assert.Equal("mount(\"src\", \"dst\", \"ext4\", MS_MGC_VAL, \"ro\") = -1 ENOENT (No such file or directory)",
            Decode("mount", [1, 2, 3, 0xc0ed0000, 5], -2, all));
        Assert.Equal("mount(\"src\", \"dst\", 0x3, MS_REMOUNT, \"ro\") = -1 ENOENT (No such file or directory)",
            Decode("mount", [1, 2, 3, 32, 5], -2, all));
        Assert.Equal("mount(\"src\", \"dst\", 0x3, MS_BIND, 0x5) = -1 ENOENT (No such file or directory)",
            Decode("mount", [1, 2, 3, 4096, 5], -2, all));
        Assert.Equal("mount(NULL, NULL, NULL, MS_SUBMOUNT|0x200, NULL) = -1 EFAULT (Bad address)",
            Decode("mount", [0, 0, 0, 0x4000200, 0], -14));
    }

    [Fact]
    public void MemfdNameAndHugeSize()
    {
        Assert.Equal("memfd_create(\"0123\"..., MFD_CLOEXEC|MFD_HUGETLB|0x8|63<<MFD_HUGE_SHIFT) = -1 EINVAL (Invalid argument)",
            Decode("memfd_create", [1, 0xfc00000d], -22, b => b.Add(CaptureSlot.Entry(0), CaptureStatus.Truncated, "0123"u8)));
        Assert.Equal("memfd_create(\"x\", 30<<MFD_HUGE_SHIFT) = -1 EINVAL (Invalid argument)",
            Decode("memfd_create", [1, 30u << 26], -22, b => b.Add(CaptureSlot.Entry(0), CaptureStatus.Ok, "x"u8)));
        Assert.Equal("memfd_create(0x1, 0) = -1 EFAULT (Bad address)",
            Decode("memfd_create", [1, 0], -14, b => b.Add(CaptureSlot.Entry(0), CaptureStatus.Fault, ""u8)));
    }
}

public sealed class XattrDecodeGoldenTests
{
    [Fact]
    public void ValuesAndLists()
    {
        Action<CaptureBuffer> name = b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, "user.a"u8);
        Assert.Equal("fsetxattr(-1, \"user.a\", \"foo\\0bar\", 8, XATTR_REPLACE) = -1 EBADF (Bad file descriptor)",
            Decode("fsetxattr", [0xffffffff, 1, 2, 8, 2], -9, b => { name(b); b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, "foo\0bar\0"u8); }));
        Assert.Equal("fsetxattr(-1, \"user.a\", 0x2, 65537, XATTR_CREATE) = -1 E2BIG (Argument list too long)",
            Decode("fsetxattr", [0xffffffff, 1, 2, 65537, 1], -7, b => { name(b); b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, new byte[32]); }));
        Assert.Equal("flistxattr(3, 0x2, 0) = 10", Decode("flistxattr", [3, 2, 0], 10));
        Assert.Equal("flistxattr(3, \"user.a\\0\", 64) = 7",
            Decode("flistxattr", [3, 2, 64], 7, b => b.Add(CaptureSlot.Exit(1), CaptureStatus.Ok, "user.a\0"u8)));
    }
}

public sealed class IovecDecodeGoldenTests
{
    private static byte[] Iov(int count, params (ulong Base, ulong Len, CaptureStatus St, byte[] Data)[] elements)
    {
        var bytes = new List<byte>(BitConverter.GetBytes(count));
        foreach (var e in elements)
        {
            bytes.AddRange(BitConverter.GetBytes(e.Base));
            bytes.AddRange(BitConverter.GetBytes(e.Len));
            bytes.Add((byte)e.St);
            bytes.AddRange(BitConverter.GetBytes(e.Data.Length));
            bytes.AddRange(e.Data);
        }
        return bytes.ToArray();
    }

    [Fact]
    public void ArrayCutByUnreadableMemoryAndFailedReads()
    {
        Assert.Equal("writev(1, [{iov_base=\"a\", iov_len=1}, ... /* 0x1010 */], 2) = -1 EFAULT (Bad address)",
            Decode("writev", [1, 0x1000, 2], -14, b => b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, Iov(~1, (0x2000, 1, CaptureStatus.Ok, "a"u8.ToArray())))));
        Assert.Equal("readv(0, [{iov_base=0x2000, iov_len=8}], 1) = -1 EINVAL (Invalid argument)",
            Decode("readv", [0, 0x1000, 1], -22, b => b.Add(CaptureSlot.Exit(1), CaptureStatus.Ok, Iov(1, (0x2000, 8, CaptureStatus.Fault, [])))));
        Assert.Equal("readv(0, [], 0) = -1 EINVAL (Invalid argument)",
            Decode("readv", [0, 0x1000, 0], -22, b => b.Add(CaptureSlot.Exit(1), CaptureStatus.Ok, Iov(0))));
    }
}

public sealed class TimePairDecodeGoldenTests
{
    [Fact]
    public void FractionUnsignedAndNoDateWhenOutOfRange()
    {
        var b = new byte[32];
        BinaryPrimitives.WriteInt64LittleEndian(b, 0xdeadbeef);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8), 0xfacefeed);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(16), unchecked((long)0xcafef00ddeadbeefUL));
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(24), unchecked((long)0xbadc0dedfacefeedUL));
        Assert.Equal("utimes(NULL, [{tv_sec=3735928559, tv_usec=4207869677}, {tv_sec=-3819351491602432273, tv_usec=13464652301697220333}]) = -1 EINVAL (Invalid argument)",
            Decode("utimes", [0, 0x1000], -22, c => c.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, b)));
        Assert.Equal("utimes(NULL, [{tv_sec=0, tv_usec=0}, {tv_sec=0, tv_usec=0}]) = -1 EFAULT (Bad address)",
            Decode("utimes", [0, 0x1000], -14, c => c.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, new byte[32])));
    }
}

public sealed class FanotifyMarkDecodeGoldenTests
{
    [Fact]
    public void NoFdAndStrace61EventOrder()
    {
        Assert.Equal("fanotify_mark(3, 0, FAN_DIR_MODIFY|FAN_ONDIR|FAN_EVENT_ON_CHILD, FAN_NOFD, NULL) = -1 EINVAL (Invalid argument)",
            Decode("fanotify_mark", [3, 0, 0x48080000, 0xffffffff, 0], -22));
    }
}
