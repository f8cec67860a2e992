using System.Buffers.Binary;
using PSSyscall.Engine.Seccomp;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tests.Seccomp;

/// <summary>
/// The interpreter on instructions libseccomp does not emit (ALU, scratch memory, X, jset,
/// ret A, len): a program assembled here by hand is installed in a real child and its verdicts
/// compared with the interpreter's. (Product filters always come from libseccomp; this program
/// exists only to exercise the interpreter.)
/// </summary>
public class BpfInterpreterTests
{
    private static byte[] Assemble(params (ushort Code, byte Jt, byte Jf, uint K)[] program)
    {
        var bytes = new byte[program.Length * 8];
        for (int i = 0; i < program.Length; i++)
        {
            var s = bytes.AsSpan(i * 8);
            BinaryPrimitives.WriteUInt16LittleEndian(s, program[i].Code);
            s[2] = program[i].Jt;
            s[3] = program[i].Jf;
            BinaryPrimitives.WriteUInt32LittleEndian(s[4..], program[i].K);
        }
        return bytes;
    }

    // For getpid: errno = f(arg0) through every ALU operation; every other call is allowed.
    private static readonly byte[] Program = Assemble(
        (0x20, 0, 0, 0),            // 0  ld [0]            nr
        (0x15, 0, 22, 39),          // 1  jeq #getpid, 2, 24
        (0x20, 0, 0, 16),           // 2  ld [16]           args[0] low
        (0x54, 0, 0, 0xff),         // 3  and #0xff
        (0x04, 0, 0, 1),            // 4  add #1
        (0x24, 0, 0, 3),            // 5  mul #3
        (0x14, 0, 0, 2),            // 6  sub #2
        (0x64, 0, 0, 2),            // 7  lsh #2
        (0x74, 0, 0, 1),            // 8  rsh #1
        (0xa4, 0, 0, 1),            // 9  xor #1
        (0x54, 0, 0, 0xff),         // 10 and #0xff
        (0x34, 0, 0, 1),            // 11 div #1
        (0x84, 0, 0, 0),            // 12 neg
        (0x84, 0, 0, 0),            // 13 neg
        (0x02, 0, 0, 3),            // 14 st M[3]
        (0x81, 0, 0, 0),            // 15 ldx #len          X = 64
        (0x0c, 0, 0, 0),            // 16 add x
        (0x14, 0, 0, 64),           // 17 sub #64
        (0x61, 0, 0, 3),            // 18 ldx M[3]
        (0x15, 0, 1, 0),            // 19 jeq #0, 20, 21
        (0x06, 0, 0, 0x00050009),   // 20 ret Errno(9)
        (0x87, 0, 0, 0),            // 21 txa
        (0x45, 2, 0, 0x80),         // 22 jset #0x80, 25, 23
        (0x05, 0, 0, 2),            // 23 ja 26
        (0x06, 0, 0, 0x7fff0000),   // 24 ret Allow
        (0x06, 0, 0, 0x00050007),   // 25 ret Errno(7)
        (0x44, 0, 0, 0x00050000),   // 26 or #0x50000
        (0x16, 0, 0, 0));           // 27 ret a

    private static int Formula(ulong arg0)
    {
        uint a = (uint)(arg0 & 0xff);
        a = ((((a + 1) * 3 - 2) << 2) >> 1 ^ 1) & 0xff;
        return a == 0 ? 9 : (a & 0x80) != 0 ? 7 : (int)a;
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(4UL)]
    [InlineData(0x3fUL)]
    [InlineData(0xffUL)]
    [InlineData(0x1234_5678_0000_0021UL)]
    [InlineData(24UL)]
    public void HandAssembledProgramAgreesWithTheKernel(ulong arg0)
    {
        BpfInterpreter.Validate(Program);
        var compiled = new CompiledSeccompFilter(Program, new SeccompFilter(), Array.Empty<string>(), Array.Empty<string>());
        SeccompTestResult verdict = compiled.Evaluate("getpid", SyscallArchitecture.X86_64, new[] { arg0 });
        Assert.Equal($"Errno({Formula(arg0)})", verdict.Action);
        Assert.Equal(SeccompProbe.Expected(verdict), SeccompProbe.Run(compiled, SyscallArchitecture.X86_64, 39, arg0));
        Assert.Equal("Allow", compiled.Evaluate("getppid").Action);
    }

    /// <summary>What the kernel refuses to install, Validate refuses too: BPF_MOD (not in seccomp's
    /// instruction set), a division by a constant 0, a jump past the end.</summary>
    [Theory]
    [InlineData((ushort)0x94, 3u)]   // mod #3
    [InlineData((ushort)0x34, 0u)]   // div #0
    [InlineData((ushort)0x05, 9u)]   // ja +9
    public void ValidateRefusesWhatTheKernelRefuses(ushort code, uint k)
    {
        byte[] program = Assemble((0x20, 0, 0, 0), (code, 0, 0, k), (0x06, 0, 0, 0x7fff0000));
        Assert.Throws<InvalidOperationException>(() => BpfInterpreter.Validate(program));
        var compiled = new CompiledSeccompFilter(program, new SeccompFilter(), Array.Empty<string>(), Array.Empty<string>());
        var e = Assert.Throws<InvalidOperationException>(() => SeccompProbe.Run(compiled, SyscallArchitecture.X86_64, 39));
        Assert.Contains("stage 'Seccomp': Invalid argument", e.Message);
    }

    [Fact]
    public void DivisionByZeroEndsTheProgramWithZero()
    {
        // ldx #0; ld #5; div x; ret Allow
        byte[] program = Assemble((0x01, 0, 0, 0), (0x00, 0, 0, 5), (0x3c, 0, 0, 0), (0x06, 0, 0, 0x7fff0000));
        BpfInterpreter.Validate(program);
        Assert.Equal(0u, BpfInterpreter.Run(program, SeccompData.For(SyscallArchitecture.X86_64, 0, default), out int executed));
        Assert.Equal(3, executed);
    }

    [Fact]
    public void LoadsOutsideSeccompDataAreRefused()
    {
        byte[] program = Assemble((0x20, 0, 0, 64), (0x06, 0, 0, 0x7fff0000));
        Assert.Throws<InvalidOperationException>(() => BpfInterpreter.Run(program, SeccompData.For(SyscallArchitecture.X86_64, 0, default), out _));
        byte[] unaligned = Assemble((0x20, 0, 0, 2), (0x06, 0, 0, 0x7fff0000));
        Assert.Throws<InvalidOperationException>(() => BpfInterpreter.Run(unaligned, SeccompData.For(SyscallArchitecture.X86_64, 0, default), out _));
    }

    [Fact]
    public void DisassemblyNamesFieldsCallsAndActions()
    {
        string text = BpfDisassembler.Disassemble(Program);
        Assert.Contains("; nr", text);
        Assert.Contains("; getpid", text);
        Assert.Contains("; args[0] (low)", text);
        Assert.Contains("ret a", text);
        Assert.Contains("; Allow", text);
        Assert.Equal(28, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}

/// <summary>What reaches seccomp_data.args for an int 0x80 call from a 64-bit process whose
/// registers have high bits set: the interpreter's SeccompData.For must build the same.</summary>
public class I386ArgumentWidthTests
{
    [Fact]
    public void HighWordsOfI386ArgumentsMatchTheKernel()
    {
        // ld arch; jeq I386 ? next : allow; ld args[0] high; and #0x3f; jeq #0 ? Errno(50) : (or #0x50000; ret a); allow
        var program = new byte[8 * 9];
        void Put(int i, ushort code, byte jt, byte jf, uint k)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(program.AsSpan(i * 8), code);
            program[i * 8 + 2] = jt; program[i * 8 + 3] = jf;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(program.AsSpan(i * 8 + 4), k);
        }
        Put(0, 0x20, 0, 0, 4);
        Put(1, 0x15, 0, 6, AuditArch.I386);
        Put(2, 0x20, 0, 0, 20);
        Put(3, 0x54, 0, 0, 0x3f);
        Put(4, 0x15, 0, 1, 0);
        Put(5, 0x06, 0, 0, 0x00050032);
        Put(6, 0x44, 0, 0, 0x00050000);
        Put(7, 0x16, 0, 0, 0);
        Put(8, 0x06, 0, 0, 0x7fff0000);
        BpfInterpreter.Validate(program);
        var compiled = new CompiledSeccompFilter(program, new SeccompFilter(), Array.Empty<string>(), Array.Empty<string>());
        ulong arg0 = 0x0000002a_00000001;
        ProbeOutcome kernel = SeccompProbe.Run(compiled, SyscallArchitecture.I386, 20, arg0);
        SeccompTestResult verdict = compiled.Evaluate("getpid", SyscallArchitecture.I386, new[] { arg0 });
        Assert.Equal(SeccompProbe.Expected(verdict), kernel);
    }
}
