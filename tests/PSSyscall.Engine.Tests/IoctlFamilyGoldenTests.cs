using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Tests;

/// <summary>ioctl families without processes: registers and captured bytes in, strace 6.1's text
/// out (the lines strace's tests ioctl_*.c print).</summary>
public sealed class IoctlFamilyGoldenTests
{
    private const string Ebadf = " = -1 EBADF (Bad file descriptor)";

    private static string Decode(string name, ulong[] registers, long ret = 0, Action<CaptureBuffer>? captures = null)
        => DecodeGoldenTests.Decode(name, registers, ret, captures);

    private static byte[] Words32(params uint[] words) => words.SelectMany(BitConverter.GetBytes).ToArray();

    private static byte[] Words64(params ulong[] words) => words.SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public void UnknownRequestSizeZeroIsPlain()
        => Assert.Equal("ioctl(-1, _IOC(_IOC_NONE, 0x58, 0xff, 0), 0)" + Ebadf, Decode("ioctl", [unchecked((ulong)-1), 0x58ff, 0], -9));

    [Fact]
    public void FileSystemRequests()
    {
        Assert.Equal("ioctl(-1, FIFREEZE)" + Ebadf, Decode("ioctl", [unchecked((ulong)-1), 0xc0045877, 0xbadc0ded], -9));
        Assert.Equal("ioctl(-1, FITRIM, NULL)" + Ebadf, Decode("ioctl", [unchecked((ulong)-1), 0xc0185879, 0], -9));
        Assert.Equal("ioctl(-1, FITRIM, {start=0xdeadbeefcafef00d, len=18072662651678146782, minlen=13464652301225279710})" + Ebadf,
            Decode("ioctl", [unchecked((ulong)-1), 0xc0185879, 0x1000], -9,
                b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, Words64(0xdeadbeefcafef00d, 0xfacefeedbabec0de, 0xbadc0deddeadc0de))));
        Assert.Equal("ioctl(-1, FS_IOC_FSSETXATTR, {fsx_xflags=0x7ffe0004 /* FS_XFLAG_??? */, fsx_extsize=3735928559, fsx_projid=0xcafef00d, fsx_cowextsize=3133063390})" + Ebadf,
            Decode("ioctl", [unchecked((ulong)-1), 0x401c5820, 0x1000], -9,
                b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, Words32(0x7ffe0004, 0xdeadbeef, 0, 0xcafef00d, 0xbabec0de, 0, 0))));
        Assert.Equal("ioctl(3, FS_IOC_FSGETXATTR, {fsx_xflags=FS_XFLAG_APPEND|FS_XFLAG_HASATTR, fsx_extsize=0, fsx_nextents=2, fsx_projid=0, fsx_cowextsize=0}) = 0",
            Decode("ioctl", [3, 0x801c581f, 0x1000], 0,
                b => b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, Words32(0x80000010, 0, 2, 0, 0, 0, 0))));
    }

    [Fact]
    public void PerfRequests()
    {
        ulong m = unchecked((ulong)-1);
        Assert.Equal("ioctl(-1, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP|0xbadc0dec)" + Ebadf, Decode("ioctl", [m, 0x2400, 0xbadc0ded], -9));
        Assert.Equal("ioctl(-1, PERF_EVENT_IOC_RESET, 0x2 /* PERF_IOC_FLAG_??? */)" + Ebadf, Decode("ioctl", [m, 0x2403, 2], -9));
        Assert.Equal("ioctl(-1, PERF_EVENT_IOC_REFRESH, -1159983635)" + Ebadf, Decode("ioctl", [m, 0x2402, 0xfacefeedbadc0ded], -9));
        Assert.Equal("ioctl(-1, PERF_EVENT_IOC_PERIOD, [7])" + Ebadf, Decode("ioctl", [m, 0x40082404, 0x1000], -9,
            b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, Words64(7))));
        Assert.Equal("ioctl(-1, PERF_EVENT_IOC_SET_FILTER, \"ab\")" + Ebadf, Decode("ioctl", [m, 0x40082406, 0x1000], -9,
            b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, "ab"u8)));
        Assert.Equal("ioctl(-1, PERF_EVENT_IOC_ID, NULL)" + Ebadf, Decode("ioctl", [m, 0x80082407, 0], -9));
        Assert.Equal("ioctl(-1, PERF_EVENT_IOC_QUERY_BPF, {ids_len=3, ...})" + Ebadf, Decode("ioctl", [m, 0xc008240a, 0x1000], -9,
            b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, Words32(3))));
    }

    [Fact]
    public void LoopRequests()
    {
        ulong m = unchecked((ulong)-1);
        Assert.Equal("ioctl(-1, LOOP_SET_FD, -1159983635)" + Ebadf, Decode("ioctl", [m, 0x4c00, 0xdeadbeefbadc0ded], -9));
        Assert.Equal("ioctl(-1, LOOP_CTL_GET_FREE)" + Ebadf, Decode("ioctl", [m, 0x4c82, 0], -9));
        Assert.Equal("ioctl(-1, LOOP_GET_STATUS64, NULL)" + Ebadf, Decode("ioctl", [m, 0x4c05, 0], -9));
        byte[] info = new byte[232];
        BitConverter.GetBytes(0x10UL).CopyTo(info, 24);   // lo_offset
        BitConverter.GetBytes(7u).CopyTo(info, 40);       // lo_number
        BitConverter.GetBytes(1u).CopyTo(info, 52);       // lo_flags
        Array.Fill(info, (byte)'C', 56, 64);             // lo_file_name without its NUL
        Assert.Equal("ioctl(-1, LOOP_SET_STATUS64, {lo_offset=0x10, lo_number=7, lo_flags=LO_FLAGS_READ_ONLY, lo_file_name=\"" + new string('C', 63) + "\"..., ...})" + Ebadf,
            Decode("ioctl", [m, 0x4c04, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, info)));
    }

    [Fact]
    public void HdioRequests()
    {
        ulong m = unchecked((ulong)-1);
        Assert.Equal("ioctl(-1, HDIO_SET_DMA, 18072662652281011951)" + Ebadf, Decode("ioctl", [m, 0x0326, 0xfacefeeddeadbeef], -9));
        Assert.Equal("ioctl(-1, HDIO_SET_BUSSTATE, BUSSTATE_ON)" + Ebadf, Decode("ioctl", [m, 0x032d, 1], -9));
        Assert.Equal("ioctl(-1, HDIO_SET_NICE, 1 << IDE_NICE_DSC_OVERLAP|1 << IDE_NICE_1|0x20)" + Ebadf, Decode("ioctl", [m, 0x0329, 0x29], -9));
        Assert.Equal("ioctl(-1, HDIO_DRIVE_CMD, {command=ATA_CMD_WRITE, sector_number=255, feature=238, sector_count=1})" + Ebadf,
            Decode("ioctl", [m, 0x031f, 0x1000], -9, b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, new byte[] { 0xca, 0xff, 0xee, 1 })));
        Assert.Equal("ioctl(3, HDIO_GET_DMA, [1]) = 0", Decode("ioctl", [3, 0x030b, 0x1000], 0,
            b => b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, Words64(1))));
        Assert.Equal("ioctl(-1, HDIO_GETGEO, NULL)" + Ebadf, Decode("ioctl", [m, 0x0301, 0], -9));
    }

    [Fact]
    public void BlockRequests()
    {
        ulong m = unchecked((ulong)-1);
        Assert.Equal("ioctl(-1, BLKGETSIZE64, NULL)" + Ebadf, Decode("ioctl", [m, 0x80081272, 0], -9));
        Assert.Equal("ioctl(-1, BLKRRPART)" + Ebadf, Decode("ioctl", [m, 0x125f, 0xdeadbeef], -9));
        Assert.Equal("ioctl(-1, BLKRASET, 16045690984232390125)" + Ebadf, Decode("ioctl", [m, 0x1262, 0xdeadbeefbadc0ded], -9));
        Assert.Equal("ioctl(-1, BLKROSET, [-559038737])" + Ebadf, Decode("ioctl", [m, 0x125d, 0x1000], -9,
            b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, Words32(0xdeadbeef))));
        Assert.Equal("ioctl(-1, BLKDISCARD, [1, 2])" + Ebadf, Decode("ioctl", [m, 0x1277, 0x1000], -9,
            b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, Words64(1, 2))));
        Assert.Equal("ioctl(3, BLKSSZGET, [512]) = 0", Decode("ioctl", [3, 0x1268, 0x1000], 0,
            b => b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, Words32(512))));
    }

    [Fact]
    public void EvdevRequests()
    {
        ulong m = unchecked((ulong)-1);
        Assert.Equal("ioctl(-1, EVIOCGNAME(0), NULL)" + Ebadf, Decode("ioctl", [m, 0x80004506, 0], -9));
        Assert.Equal("ioctl(-1, EVIOCGBIT(0, 0), NULL)" + Ebadf, Decode("ioctl", [m, 0x80004520, 0], -9));
        Assert.Equal("ioctl(-1, EVIOCGBIT(EV_KEY, 1), NULL)" + Ebadf, Decode("ioctl", [m, 0x80014521, 0], -9));
        Assert.Equal("ioctl(-1, EVIOCSABS(0xe /* ABS_??? */), NULL)" + Ebadf, Decode("ioctl", [m, 0x401845ce, 0], -9));
        Assert.Equal("ioctl(-1, EVIOCGVERSION, NULL)" + Ebadf, Decode("ioctl", [m, 0x80044501, 0], -9));
        Assert.Equal("ioctl(-1, EVIOCSKEYCODE, [3735928559, KEY_ESC])" + Ebadf, Decode("ioctl", [m, 0x40084504, 0x1000], -9,
            b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, Words32(0xdeadbeef, 1))));
        Assert.Equal("ioctl(-1, EVIOCSFF, {type=FF_CONSTANT, id=-31870, direction=34180, ...})" + Ebadf, Decode("ioctl", [m, 0x40304580, 0x1000], -9,
            b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, new byte[] { 0x52, 0, 0x82, 0x83, 0x84, 0x85 })));
    }

    [Fact]
    public void SocketRequests()
    {
        ulong m = unchecked((ulong)-1);
        Assert.Equal("ioctl(-1, FIOSETOWN, NULL)" + Ebadf, Decode("ioctl", [m, 0x8901, 0], -9));
        Assert.Equal("ioctl(-1, SIOCGIFCONF, NULL)" + Ebadf, Decode("ioctl", [m, 0x8912, 0], -9));
        Assert.Equal("ioctl(3, SIOCGPGRP, [42]) = 0", Decode("ioctl", [3, 0x8904, 0x1000], 0,
            b => b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, Words32(42))));
        byte[] ifr = new byte[40];
        "lo"u8.CopyTo(ifr);
        BitConverter.GetBytes(1500).CopyTo(ifr, 16);
        Assert.Equal("ioctl(-1, SIOCSIFMTU, {ifr_name=\"lo\", ifr_mtu=1500})" + Ebadf, Decode("ioctl", [m, 0x8922, 0x1000], -9,
            b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, ifr)));
    }

    [Fact]
    public void SeccompRequests()
    {
        ulong m = unchecked((ulong)-1);
        Assert.Equal("ioctl(-1, SECCOMP_IOCTL_NOTIF_RECV, NULL)" + Ebadf, Decode("ioctl", [m, 0xc0502100, 0], -9));
        Assert.Equal("ioctl(-1, SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR, [0])" + Ebadf, Decode("ioctl", [m, 0x80082102, 0x1000], -9,
            b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, Words64(0))));
        Assert.Equal("ioctl(-1, SECCOMP_IOCTL_NOTIF_SEND, {id=0x1, val=-2, error=-ENOSR, flags=SECCOMP_USER_NOTIF_FLAG_CONTINUE})" + Ebadf,
            Decode("ioctl", [m, 0xc0182101, 0x1000], -9,
                b => b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, Words64(1, unchecked((ulong)-2), 0x1_ffffffc1UL))));
    }
}
