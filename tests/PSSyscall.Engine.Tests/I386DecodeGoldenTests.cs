using System.Buffers.Binary;
using System.Text;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Tests;

/// <summary>i386 decoding without processes: registers and the tracee's 32-bit bytes in (widened by
/// each argument's plan as the capture interpreter widens them), strace 6.1's m32 text out (as
/// `strace -f -y` prints a gcc -m32 program on x86_64).</summary>
public sealed class I386DecodeGoldenTests
{
    /// <summary>Decodes an i386 call; <paramref name="memory"/> gives each argument's bytes in the
    /// tracee's layout, by argument index (at entry, or at exit when the plan reads at exit).</summary>
    private static string Decode(string name, ulong[] registers, long ret = 0, params (int Arg, byte[] Bytes)[] memory)
    {
        Assert.True(SyscallTable.I386.TryGetNumber(name, out int number), name);
        SyscallSignature sig = SyscallTable.I386.GetSignature(number);
        var buffer = new CaptureBuffer(256);
        foreach (var (arg, bytes) in memory)
        {
            ArgCodec codec = sig.Codecs![arg]!;
            CapturePlan plan = codec.EntryPlan.When != CaptureWhen.Never ? codec.EntryPlan : codec.ExitPlan;
            int slot = codec.EntryPlan.When != CaptureWhen.Never ? CaptureSlot.Entry(arg) : CaptureSlot.Exit(arg);
            if (plan.Compat == CompatLayout.Siginfo)
            {
                var wide = new byte[128];
                CompatLayout.ForSiginfo(BitConverter.ToInt32(bytes, 0), BitConverter.ToInt32(bytes, 8)).Widen(bytes, wide);
                buffer.Add(slot, CaptureStatus.Ok, wide);
            }
            else if (plan.Compat is { } layout && layout != CompatLayout.Ilp32)
            {
                var wide = new byte[bytes.Length / layout.CompatSize * layout.NativeSize];
                layout.Widen(bytes, wide, bytes.Length / layout.CompatSize);
                buffer.Add(slot, CaptureStatus.Ok, wide);
            }
            else
            {
                buffer.Add(slot, CaptureStatus.Ok, bytes);
            }
        }
        Span<ulong> args = stackalloc ulong[6];
        registers.CopyTo(args);
        sig.Normalize(args);
        var c = new DecodeContext
        {
            Signature = sig,
            Args = args,
            Return = ret,
            Failed = ret < 0 && ret >= -ErrnoNames.MaxErrno,
            StringLimit = 32,
            Data = new CapturedData(buffer.Data.AsSpan(0, buffer.Length)),
        };
        var text = new StringBuilder();
        SyscallDecoder.FormatArguments(ref c, text);
        return $"{name}({text}) = {SyscallDecoder.FormatResult(ref c, new StringBuilder())}";
    }

    private static byte[] W32(params uint[] words) => words.SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public void LayoutsWidenToX86_64()
    {
        CompatLayout ts = CompatLayout.Of("long long");
        Assert.Equal((8, 16), (ts.CompatSize, ts.NativeSize));
        var wide = new byte[16];
        ts.Widen(W32(0xffffffff, 7), wide);
        Assert.Equal(-1L, BinaryPrimitives.ReadInt64LittleEndian(wide));
        Assert.Equal(7L, BinaryPrimitives.ReadInt64LittleEndian(wide.AsSpan(8)));
        // struct sigaction: handler, flags, restorer, mask (u64 aligned to 4 on i386)
        CompatLayout sa = CompatLayout.Of("ptr ulong ptr u64");
        Assert.Equal((20, 32), (sa.CompatSize, sa.NativeSize));
        // stack_t: ss_flags keeps 4 bytes and is padded on x86_64
        CompatLayout st = CompatLayout.Of("ptr int ulong");
        Assert.Equal((12, 24), (st.CompatSize, st.NativeSize));
        // struct stat64 -> struct stat, and statfs64 -> statfs: the sizes the codecs read
        Assert.Equal((96, 144), (I386Codecs.Stat64.CompatSize, I386Codecs.Stat64.NativeSize));
        Assert.Equal((84, 120), (I386Codecs.Statfs64.CompatSize, I386Codecs.Statfs64.NativeSize));
        // struct sysinfo: 64 bytes on i386 (read without the trailing padding), 112 on x86_64
        Assert.Equal(112, CompatLayout.Of("long ulong[3] ulong[6] ushort ushort ulong ulong uint").NativeSize);
    }

    [Fact]
    public void SplitSixtyFourBitArguments()
    {
        Assert.Equal("_llseek(3, 4294967296, [4294967296], SEEK_SET) = 0",
            Decode("_llseek", [3, 1, 0, 0xffd0, 0], 0, (3, [0, 0, 0, 0, 1, 0, 0, 0])));
        Assert.Equal("pread64(3, \"ab\", 5, 6) = 2", Decode("pread64", [3, 0x1000, 5, 6, 0], 2, (1, "ab"u8.ToArray())));
        Assert.Equal("ftruncate64(3, 4294967308) = -1 EINVAL (Invalid argument)", Decode("ftruncate64", [3, 12, 1], -22));
        Assert.Equal("fadvise64_64(3, 0, 100, POSIX_FADV_SEQUENTIAL) = 0", Decode("fadvise64_64", [3, 0, 0, 100, 0, 2]));
        Assert.Equal("truncate64(\"f\", -1) = -1 EINVAL (Invalid argument)",
            Decode("truncate64", [0x1000, 0xffffffff, 0xffffffff], -22, (0, "f"u8.ToArray())));
    }

    [Fact]
    public void MmapTwoOffsetIsInPages()
    {
        Assert.Equal("mmap2(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0x1000) = 0xf7eed000",
            Decode("mmap2", [0, 8192, 1, 2, 3, 1], 0xf7eed000));
        Assert.Equal("mmap2(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xf7fb5000",
            Decode("mmap2", [0, 4096, 3, 0x22, 0xffffffff, 0], 0xf7fb5000));
    }

    [Fact]
    public void SixteenAndThirtyTwoBitIds()
    {
        Assert.Equal("setuid(-1) = -1 EINVAL (Invalid argument)", Decode("setuid", [0xffff], -22));
        Assert.Equal("setuid32(-1) = -1 EINVAL (Invalid argument)", Decode("setuid32", [0xffffffff], -22));
        Assert.Equal("lchown(\"/x\", 0, -1) = -1 ENOENT (No such file or directory)",
            Decode("lchown", [0x1000, 0, 0xffff], -2, (0, "/x"u8.ToArray())));
        Assert.Equal("chown32(\"/x\", 65535, 0) = -1 ENOENT (No such file or directory)",
            Decode("chown32", [0x1000, 0xffff, 0], -2, (0, "/x"u8.ToArray())));
        Assert.Equal("getuid32() = 0", Decode("getuid32", [], 0));
    }

    [Fact]
    public void LongsAreThirtyTwoBits()
    {
        // lseek's off_t is a 32-bit long: the register's 0xffffffff is -1.
        Assert.Equal("lseek(3, -1, SEEK_CUR) = -1 EINVAL (Invalid argument)", Decode("lseek", [3, 0xffffffff, 1], -22));
        Assert.Equal("clock_gettime(CLOCK_MONOTONIC, {tv_sec=19088, tv_nsec=262505592}) = 0",
            Decode("clock_gettime", [1, 0x1000], 0, (1, W32(19088, 262505592))));
        // the *_time64 calls read x86_64's struct timespec
        Assert.Equal("clock_gettime64(CLOCK_MONOTONIC, {tv_sec=19088, tv_nsec=262534095}) = 0",
            Decode("clock_gettime64", [1, 0x1000], 0, (1, [.. BitConverter.GetBytes(19088L), .. BitConverter.GetBytes(262534095L)])));
        Assert.Equal("nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = 0", Decode("nanosleep", [0x1000, 0], 0, (0, W32(0, 1000))));
    }

    [Fact]
    public void StructuresWithLongsAndPointers()
    {
        Assert.Equal("rt_sigaction(SIGUSR1, {sa_handler=0x565c41bd, sa_mask=[USR2], sa_flags=SA_RESTART}, NULL, 8) = 0",
            Decode("rt_sigaction", [10, 0x1000, 0, 8], 0, (1, W32(0x565c41bd, 0x10000000, 0, 1u << 11, 0))));
        Assert.Equal("ugetrlimit(RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM_INFINITY}) = 0",
            Decode("ugetrlimit", [3, 0x1000], 0, (1, W32(8192 * 1024, 0xffffffff))));
        Assert.Equal("prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0",
            Decode("prlimit64", [0, 3, 0, 0x1000], 0, (3, [.. BitConverter.GetBytes(8192L * 1024), .. BitConverter.GetBytes(-1L)])));
        var stat = new byte[96];
        BinaryPrimitives.WriteUInt32LittleEndian(stat.AsSpan(16), 0x81a0); // st_mode
        BinaryPrimitives.WriteInt64LittleEndian(stat.AsSpan(44), 17);      // st_size
        Assert.Equal("stat64(\"f\", {st_mode=S_IFREG|0640, st_size=17, ...}) = 0",
            Decode("stat64", [0x1000, 0x2000], 0, (0, "f"u8.ToArray()), (1, stat)));
        Assert.Equal("set_thread_area({entry_number=-1, base_addr=0xf7f13540, limit=0x0fffff, seg_32bit=1, contents=0, read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1}) = 0",
            Decode("set_thread_area", [0x1000], 0, (0, W32(0xffffffff, 0xf7f13540, 0xfffff, 0x51))));
        Assert.Equal("shmctl(7, IPC_64|IPC_RMID, NULL) = 0", Decode("shmctl", [7, 0x100, 0], 0));
    }

    [Fact]
    public void OldSignalCalls()
    {
        Assert.Equal("signal(SIGUSR1, SIG_IGN) = 0 (SIG_DFL)", Decode("signal", [10, 1], 0));
        Assert.Equal("signal(SIGUSR1, 0x5661818d) = 0x1 (SIG_IGN)", Decode("signal", [10, 0x5661818d], 1));
        Assert.Equal("ssetmask([]) = 0 (old mask [])", Decode("ssetmask", [0], 0));
        Assert.Equal("sgetmask() = 0x400 (mask [USR2])".Replace("0x400", "2048"), Decode("sgetmask", [], 2048));
        // struct old_sigaction: the one-word mask before the flags
        Assert.Equal("sigaction(SIGUSR1, {sa_handler=SIG_IGN, sa_mask=[USR2], sa_flags=SA_RESTART}, NULL) = 0",
            Decode("sigaction", [10, 0x1000, 0], 0, (1, W32(1, 1u << 11, 0x10000000, 0))));
        Assert.Equal("sigprocmask(SIG_BLOCK, [USR1], NULL) = 0", Decode("sigprocmask", [0, 0x1000, 0], 0, (1, W32(1u << 9))));
        var st = new byte[64];
        BinaryPrimitives.WriteUInt16LittleEndian(st.AsSpan(8), 0x21b6);   // st_mode: S_IFCHR|0666
        BinaryPrimitives.WriteUInt32LittleEndian(st.AsSpan(16), 0x103);   // st_rdev
        Assert.Equal("fstat(0, {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0", Decode("fstat", [0, 0x1000], 0, (1, st)));
    }

    [Fact]
    public void SiginfoUnionFollowsTheSignal()
    {
        // SIGCHLD/CLD_EXITED: pid, uid, status, then the 32-bit clock_t times
        byte[] chld = [.. W32(17, 0, 1, 4242, 0, 3, 7, 9), .. new byte[96]];
        Assert.Equal("waitid(P_ALL, 0, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4242, si_uid=0, si_status=3, si_utime=7, si_stime=9}, WEXITED, NULL) = 0",
            Decode("waitid", [0, 0, 0x1000, 4, 0], 0, (2, chld)));
        // SI_QUEUE: pid, uid and the sigval (a 4-byte pointer)
        byte[] queue = [.. W32(10, 0, unchecked((uint)-1), 42, 0, 0xdeadbeef), .. new byte[104]];
        Assert.Equal("rt_sigqueueinfo(42, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=42, si_uid=0, si_int=-559038737, si_ptr=0xdeadbeef}) = 0",
            Decode("rt_sigqueueinfo", [42, 10, 0x1000], 0, (2, queue)));
    }
}
