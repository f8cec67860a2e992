using System.Buffers.Binary;
using System.Text;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Tests.DecodeGoldenTests;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// strace's decoding forms without processes: -X raw and -X verbose (constants as numbers, or
/// numbers with their names in comments), -x and -xx (strings in hex) and -v (structures whole).
/// Each expected line is what strace 6.1 printed for the same call on this machine
/// (strace -X raw/-X verbose/-x/-xx/-v -y on small C programs; see also strace's own *-Xraw,
/// *-Xverbose and *-v tests, which tools/decode-agreement/strace-tests.py runs).
/// </summary>
public sealed class DecodeOptionsGoldenTests
{
    private static string With(DecodeOptions options, Func<string> decode)
    {
        using DecodeStyle.Scope scope = DecodeStyle.Use(options);
        return decode();
    }

    private static readonly DecodeOptions Raw = new(ConstantStyle.Raw);
    private static readonly DecodeOptions Verbose = new(ConstantStyle.Verbose);

    private static Action<CaptureBuffer> Text(int slot, string s) => b => b.Add(slot, CaptureStatus.Ok, Encoding.UTF8.GetBytes(s));

    private static Action<CaptureBuffer> Bytes(int slot, byte[] bytes) => b => b.Add(slot, CaptureStatus.Ok, bytes);

    [Fact]
    public void RawShowsNumbersVerboseAddsTheNames()
    {
        var path = Text(CaptureSlot.Entry(1), "/etc/hostname");
        ulong[] openat = [unchecked((ulong)-100), 0x1000, 0x80042, 0x1a4];
        Assert.Equal("openat(AT_FDCWD, \"/etc/hostname\", O_RDWR|O_CREAT|O_CLOEXEC, 0644) = 3", Decode("openat", openat, 3, path));
        Assert.Equal("openat(-100, \"/etc/hostname\", 0x80042, 0644) = 3", With(Raw, () => Decode("openat", openat, 3, path)));
        Assert.Equal("openat(-100 /* AT_FDCWD */, \"/etc/hostname\", 0x80042 /* O_RDWR|O_CREAT|O_CLOEXEC */, 0644) = 3",
            With(Verbose, () => Decode("openat", openat, 3, path)));
        // O_RDONLY is zero: "0" raw, "0 /* O_RDONLY */" verbose.
        Assert.Equal("openat(-100 /* AT_FDCWD */, \"/etc/hostname\", 0 /* O_RDONLY */) = 3",
            With(Verbose, () => Decode("openat", [unchecked((ulong)-100), 0x1000, 0], 3, path)));
        Assert.Equal("mmap(NULL, 8192, 0x3, 0x22, -1, 0) = 0x7f0000000000", With(Raw, () => Decode("mmap", [0, 8192, 3, 0x22, 0xffffffff, 0], 0x7f0000000000)));
        Assert.Equal("mmap(NULL, 8192, 0x3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0) = 0x7f0000000000",
            With(Verbose, () => Decode("mmap", [0, 8192, 3, 0x22, 0xffffffff, 0], 0x7f0000000000)));
        Assert.Equal("socket(0x2 /* AF_INET */, 0x1 /* SOCK_STREAM */, 0 /* IPPROTO_IP */) = 3", With(Verbose, () => Decode("socket", [2, 1, 0], 3)));
        Assert.Equal("kill(99999999, 15) = -1 ESRCH (No such process)", With(Raw, () => Decode("kill", [99999999, 15], -3)));
        Assert.Equal("kill(99999999, 15 /* SIGTERM */) = -1 ESRCH (No such process)", With(Verbose, () => Decode("kill", [99999999, 15], -3)));
        Assert.Equal("fcntl(0, 0x2 /* F_SETFD */, 0x1 /* FD_CLOEXEC */) = 0", With(Verbose, () => Decode("fcntl", [0, 2, 1])));
        Assert.Equal("fcntl(0, 0x2, 0x1) = 0", With(Raw, () => Decode("fcntl", [0, 2, 1])));
    }

    [Fact]
    public void UnknownValuesLookTheSameVerboseAndAreBareNumbersRaw()
    {
        var x = Text(CaptureSlot.Entry(0), "/x");
        Assert.Equal("access(\"/x\", 0x80 /* ?_OK */) = -1 EINVAL (Invalid argument)", With(Verbose, () => Decode("access", [0x1000, 0x80], -22, x)));
        Assert.Equal("access(\"/x\", 0x80) = -1 EINVAL (Invalid argument)", With(Raw, () => Decode("access", [0x1000, 0x80], -22, x)));
        Assert.Equal("access(\"/x\", 0 /* F_OK */) = -1 ENOENT (No such file or directory)", With(Verbose, () => Decode("access", [0x1000, 0], -2, x)));
        // Known and unknown bits together: the number, then all of it in the comment.
        Assert.Equal("openat(-100 /* AT_FDCWD */, \"/x\", 0x12345678 /* O_RDONLY|O_CREAT|O_TRUNC|O_APPEND|O_SYNC|O_DIRECT|O_NOATIME|O_PATH|0x12000038 */, 000) = 4",
            With(Verbose, () => Decode("openat", [unchecked((ulong)-100), 0x1000, 0x12345678, 0], 4, Text(CaptureSlot.Entry(1), "/x"))));
    }

    [Fact]
    public void StructureFieldsFollowTheStyle()
    {
        byte[] st = new byte[144];
        BinaryPrimitives.WriteUInt32LittleEndian(st.AsSpan(24), 0x21b6); // S_IFCHR|0666
        BinaryPrimitives.WriteUInt64LittleEndian(st.AsSpan(40), 0x103);  // makedev(1, 3)
        Assert.Equal("newfstatat(0, \"\", {st_mode=020666 /* S_IFCHR|0666 */, st_rdev=0x103 /* makedev(0x1, 0x3) */, ...}, 0x1000 /* AT_EMPTY_PATH */) = 0",
            With(Verbose, () => Decode("newfstatat", [0, 0x1000, 0x2000, 0x1000], 0, b => { b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, []); b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, st); })));
        Assert.Equal("newfstatat(0, \"\", {st_mode=020666, st_rdev=0x103, ...}, 0x1000) = 0",
            With(Raw, () => Decode("newfstatat", [0, 0x1000, 0x2000, 0x1000], 0, b => { b.Add(CaptureSlot.Entry(1), CaptureStatus.Ok, []); b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, st); })));
    }

    [Fact]
    public void NetworkOrderFieldsShowTheirBytes()
    {
        byte[] sin = [2, 0, 0x30, 0x39, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal("connect(-1, {sa_family=0x2, sin_port=\"\\x30\\x39\", sin_addr=\"\\x7f\\x00\\x00\\x01\"}, 16) = -1 EBADF (Bad file descriptor)",
            With(Raw, () => Decode("connect", [0xffffffff, 0x1000, 16], -9, Bytes(CaptureSlot.Entry(1), sin))));
        Assert.Equal("connect(-1, {sa_family=0x2 /* AF_INET */, sin_port=\"\\x30\\x39\" /* htons(12345) */, sin_addr=\"\\x7f\\x00\\x00\\x01\" /* inet_addr(\"127.0.0.1\") */}, 16) = -1 EBADF (Bad file descriptor)",
            With(Verbose, () => Decode("connect", [0xffffffff, 0x1000, 16], -9, Bytes(CaptureSlot.Entry(1), sin))));
    }

    [Fact]
    public void StringsInHex()
    {
        var data = Bytes(CaptureSlot.Entry(1), [0x68, 0x69, 0xff, 0x0a, 0x09, 0x78]); // "hi\377\n\tx"
        var nonAscii = new DecodeOptions(HexStrings: HexStringStyle.NonAscii);
        var all = new DecodeOptions(HexStrings: HexStringStyle.All);
        Assert.Equal("write(3, \"\\x68\\x69\\xff\\x0a\\x09\\x78\", 6) = 6", With(nonAscii, () => Decode("write", [3, 0x1000, 6], 6, data)));
        // -x leaves strings of printable ASCII and \t \n \v \f \r alone; -xx does not.
        var tab = Text(CaptureSlot.Entry(1), "a\tb");
        Assert.Equal("write(1, \"a\\tb\", 3) = 3", With(nonAscii, () => Decode("write", [1, 0x1000, 3], 3, tab)));
        Assert.Equal("write(1, \"\\x61\\x09\\x62\", 3) = 3", With(all, () => Decode("write", [1, 0x1000, 3], 3, tab)));
        Assert.Equal("write(1, \"\\x61\\x7f\", 2) = 2", With(nonAscii, () => Decode("write", [1, 0x1000, 2], 2, Bytes(CaptureSlot.Entry(1), [0x61, 0x7f]))));
        // Descriptor paths too, with -xx (and with -x when they hold such a byte).
        Assert.Equal("close(3<\\x2f\\x74\\x6d\\x70>) = 0", With(all, () => Decode("close", [3], 0, Text(CaptureSlot.FdLink(0), "/tmp"))));
        Assert.Equal("close(3</tmp>) = 0", With(nonAscii, () => Decode("close", [3], 0, Text(CaptureSlot.FdLink(0), "/tmp"))));
    }

    [Fact]
    public void UnabbreviatedStructuresAndEnvironment()
    {
        var v = new DecodeOptions(Unabbreviated: true);
        byte[] st = new byte[144];
        BinaryPrimitives.WriteUInt64LittleEndian(st, 0xfe00);                 // st_dev makedev(0xfe, 0)
        BinaryPrimitives.WriteUInt64LittleEndian(st.AsSpan(8), 732);          // st_ino
        BinaryPrimitives.WriteUInt64LittleEndian(st.AsSpan(16), 1);           // st_nlink
        BinaryPrimitives.WriteUInt32LittleEndian(st.AsSpan(24), 0x81ed);      // S_IFREG|0755
        BinaryPrimitives.WriteInt64LittleEndian(st.AsSpan(48), 3);            // st_size
        BinaryPrimitives.WriteInt64LittleEndian(st.AsSpan(56), 4096);         // st_blksize
        BinaryPrimitives.WriteInt64LittleEndian(st.AsSpan(64), 8);            // st_blocks
        foreach (int off in new[] { 72, 88, 104 })
            BinaryPrimitives.WriteInt64LittleEndian(st.AsSpan(off), 0);       // 1970-01-01
        string text = With(v, () => Decode("fstat", [3, 0x2000], 0, Bytes(CaptureSlot.Exit(1), st)));
        string epoch = DateTimeOffset.FromUnixTimeSeconds(0).ToLocalTime().ToString("yyyy-MM-dd'T'HH:mm:ss");
        Assert.StartsWith("fstat(3, {st_dev=makedev(0xfe, 0), st_ino=732, st_mode=S_IFREG|0755, st_nlink=1, st_uid=0, st_gid=0, st_blksize=4096, st_blocks=8, st_size=3, st_atime=0 /* " + epoch, text);
        Assert.EndsWith(", st_ctime_nsec=0}) = 0", text);
        Assert.Equal("fstat(3, {st_mode=S_IFREG|0755, st_size=3, ...}) = 0", Decode("fstat", [3, 0x2000], 0, Bytes(CaptureSlot.Exit(1), st)));
        // execve's environment: the strings (captured as argv's) rather than their count.
        var env = new List<byte>();
        env.AddRange(BitConverter.GetBytes(2)); env.AddRange(BitConverter.GetBytes(0));
        foreach (string s in new[] { "X=1", "Y=2" })
        {
            env.Add((byte)CaptureStatus.Ok);
            env.AddRange(BitConverter.GetBytes(s.Length));
            env.AddRange(Encoding.UTF8.GetBytes(s));
        }
        Assert.Equal("execve(\"/bin/true\", NULL, [\"X=1\", \"Y=2\"]) = 0",
            With(v, () => Decode("execve", [0x1000, 0, 0x3000], 0, b => { b.Add(CaptureSlot.Entry(0), CaptureStatus.Ok, "/bin/true"u8); b.Add(CaptureSlot.Entry(2), CaptureStatus.Ok, env.ToArray()); })));
    }

    [Fact]
    public void UnabbreviatedDirectoryEntriesAndRusage()
    {
        var v = new DecodeOptions(Unabbreviated: true);
        // linux_dirent64 {d_ino, d_off, d_reclen, d_type, d_name}: ".", then "a.txt".
        byte[] dents = new byte[24 + 32];
        void Entry(int at, ulong ino, long off, ushort reclen, byte type, string name)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(dents.AsSpan(at), ino);
            BinaryPrimitives.WriteInt64LittleEndian(dents.AsSpan(at + 8), off);
            BinaryPrimitives.WriteUInt16LittleEndian(dents.AsSpan(at + 16), reclen);
            dents[at + 18] = type;
            Encoding.ASCII.GetBytes(name).CopyTo(dents, at + 19);
        }
        Entry(0, 2, 10, 24, 4, ".");
        Entry(24, 7, 20, 32, 8, "a.txt");
        Assert.Equal("getdents64(3, [{d_ino=2, d_off=10, d_reclen=24, d_type=DT_DIR, d_name=\".\"}, {d_ino=7, d_off=20, d_reclen=32, d_type=DT_REG, d_name=\"a.txt\"}], 4096) = 56",
            With(v, () => Decode("getdents64", [3, 0x5000, 4096], 56, Bytes(CaptureSlot.Exit(1), dents))));
        Assert.Equal("getdents64(3, [], 4096) = 0", With(v, () => Decode("getdents64", [3, 0x5000, 4096], 0)));
        byte[] ru = new byte[144];
        BinaryPrimitives.WriteInt64LittleEndian(ru.AsSpan(32), 1234);      // ru_maxrss
        BinaryPrimitives.WriteInt64LittleEndian(ru.AsSpan(32 + 8 * 13), 5); // ru_nivcsw
        Assert.Equal("getrusage(RUSAGE_SELF, {ru_utime={tv_sec=0, tv_usec=0}, ru_stime={tv_sec=0, tv_usec=0}, ru_maxrss=1234, ru_ixrss=0, ru_idrss=0, ru_isrss=0, ru_minflt=0, ru_majflt=0, ru_nswap=0, ru_inblock=0, ru_oublock=0, ru_msgsnd=0, ru_msgrcv=0, ru_nsignals=0, ru_nvcsw=0, ru_nivcsw=5}) = 0",
            With(v, () => Decode("getrusage", [0, 0x1000], 0, Bytes(CaptureSlot.Exit(1), ru))));
        Assert.Equal("getrusage(RUSAGE_SELF, {ru_utime={tv_sec=0, tv_usec=0}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 0",
            Decode("getrusage", [0, 0x1000], 0, Bytes(CaptureSlot.Exit(1), ru)));
    }

    [Fact]
    public void OptionsNameTheirStraceFlags()
    {
        Assert.Equal("", DecodeOptions.Default.ToString());
        Assert.Equal("-X verbose -v -xx", new DecodeOptions(ConstantStyle.Verbose, true, HexStringStyle.All).ToString());
    }
}
