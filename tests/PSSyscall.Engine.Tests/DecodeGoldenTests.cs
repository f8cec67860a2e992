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
