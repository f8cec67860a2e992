namespace PSSyscall.Engine.Seccomp;

/// <summary>
/// A classic-BPF interpreter with the kernel's seccomp semantics (kernel/seccomp.c,
/// seccomp_check_filter + the classic BPF machine): 32-bit A and X, 16 scratch words, absolute
/// word loads from seccomp_data only, forward jumps, division by zero returning 0. Used by
/// Test-SeccompFilter and the tests to predict what the kernel will do.
/// </summary>
public static class BpfInterpreter
{
    // Instruction classes and fields (linux/bpf_common.h).
    internal const int Ld = 0x00, Ldx = 0x01, St = 0x02, Stx = 0x03, Alu = 0x04, Jmp = 0x05, Ret = 0x06, Misc = 0x07;
    internal const int W = 0x00, H = 0x08, B = 0x10;
    internal const int Imm = 0x00, Abs = 0x20, Ind = 0x40, Mem = 0x60, Len = 0x80, Msh = 0xa0;
    internal const int Add = 0x00, Sub = 0x10, Mul = 0x20, Div = 0x30, Or = 0x40, And = 0x50, Lsh = 0x60, Rsh = 0x70, Neg = 0x80, Mod = 0x90, Xor = 0xa0;
    internal const int Ja = 0x00, Jeq = 0x10, Jgt = 0x20, Jge = 0x30, Jset = 0x40;
    internal const int SrcK = 0x00, SrcX = 0x08, RetA = 0x10;
    internal const int Tax = 0x00, Txa = 0x80;

    /// <summary>One struct sock_filter.</summary>
    public readonly record struct Instruction(ushort Code, byte JumpTrue, byte JumpFalse, uint K);

    public static Instruction Read(ReadOnlySpan<byte> program, int index) => Read(program, index, bigEndian: false);

    /// <summary>One instruction; <paramref name="bigEndian"/> for a program built for a big-endian
    /// machine (libseccomp writes code and k in the target's byte order).</summary>
    public static Instruction Read(ReadOnlySpan<byte> program, int index, bool bigEndian)
    {
        var s = program.Slice(index * 8, 8);
        return bigEndian
            ? new Instruction((ushort)(s[0] << 8 | s[1]), s[2], s[3], (uint)(s[4] << 24 | s[5] << 16 | s[6] << 8 | s[7]))
            : new Instruction((ushort)(s[0] | s[1] << 8), s[2], s[3], (uint)(s[4] | s[5] << 8 | s[6] << 16 | s[7] << 24));
    }

    /// <summary>Runs the program on one seccomp_data and returns the filter's 32-bit verdict.
    /// <paramref name="executed"/> counts the instructions run, the final return included. A
    /// seccomp_data laid out for a big-endian machine runs a program encoded for one.</summary>
    public static uint Run(ReadOnlySpan<byte> program, in SeccompData data, out int executed)
    {
        bool bigEndian = data.BigEndian;
        if (program.Length == 0 || program.Length % 8 != 0)
            throw new ArgumentException("A BPF program is a non-empty array of 8-byte instructions.", nameof(program));
        int count = program.Length / 8;
        uint a = 0, x = 0;
        Span<uint> mem = stackalloc uint[16];
        executed = 0;
        int pc = 0;
        while (true)
        {
            if (pc >= count)
                throw new InvalidOperationException($"The BPF program runs past its end at instruction {pc}.");
            Instruction i = Read(program, pc, bigEndian);
            executed++;
            pc++;
            int cls = i.Code & 0x07;
            switch (cls)
            {
                case Ld:
                case Ldx:
                {
                    int mode = i.Code & 0xe0, size = i.Code & 0x18;
                    uint value;
                    if (mode == Imm)
                        value = i.K;
                    else if (mode == Mem)
                        value = mem[Scratch(i.K)];
                    else if (mode == Len)
                        value = SeccompData.Size;
                    else if (mode == Abs && cls == Ld && size == W && i.K % 4 == 0 && i.K < SeccompData.Size)
                        value = data.Word((int)i.K);
                    else
                        throw Invalid(pc - 1, i);
                    if (cls == Ld) a = value; else x = value;
                    break;
                }
                case St:
                    mem[Scratch(i.K)] = a;
                    break;
                case Stx:
                    mem[Scratch(i.K)] = x;
                    break;
                case Alu:
                {
                    int op = i.Code & 0xf0;
                    uint operand = (i.Code & SrcX) != 0 ? x : i.K;
                    a = op switch
                    {
                        Add => a + operand,
                        Sub => a - operand,
                        Mul => a * operand,
                        Div => operand == 0 ? 0 : a / operand,
                        Or => a | operand,
                        And => a & operand,
                        Xor => a ^ operand,
                        Lsh => operand >= 32 ? 0 : a << (int)operand,
                        Rsh => operand >= 32 ? 0 : a >> (int)operand,
                        Neg => (uint)-(int)a,
                        _ => throw Invalid(pc - 1, i),
                    };
                    // Classic BPF aborts the program on a division by zero with a 0 return.
                    if (op == Div && operand == 0)
                        return 0;
                    break;
                }
                case Jmp:
                {
                    int op = i.Code & 0xf0;
                    if (op == Ja)
                    {
                        pc += (int)i.K;
                        break;
                    }
                    uint operand = (i.Code & SrcX) != 0 ? x : i.K;
                    bool taken = op switch
                    {
                        Jeq => a == operand,
                        Jgt => a > operand,
                        Jge => a >= operand,
                        Jset => (a & operand) != 0,
                        _ => throw Invalid(pc - 1, i),
                    };
                    pc += taken ? i.JumpTrue : i.JumpFalse;
                    break;
                }
                case Ret:
                    return (i.Code & 0x18) switch
                    {
                        SrcK => i.K,
                        RetA => a,
                        _ => throw Invalid(pc - 1, i),
                    };
                case Misc:
                    if ((i.Code & 0xf8) == Txa) a = x;
                    else if ((i.Code & 0xf8) == Tax) x = a;
                    else throw Invalid(pc - 1, i);
                    break;
            }
        }
    }

    /// <summary>The kernel's checks when a filter is installed (seccomp_check_filter and
    /// bpf_check_classic): 1 to 4096 instructions; only the instructions seccomp allows (no BPF_MOD,
    /// no packet loads); word loads from inside seccomp_data, aligned; scratch indexes below 16;
    /// no division by a constant 0; jumps inside the program; a return at the end. Throws
    /// InvalidOperationException naming the first problem, as seccomp(2) would fail with EINVAL.</summary>
    public static void Validate(ReadOnlySpan<byte> program) => Validate(program, bigEndian: false);

    /// <summary>As <see cref="Validate(ReadOnlySpan{byte})"/>, for a program in a big-endian machine's byte order.</summary>
    public static void Validate(ReadOnlySpan<byte> program, bool bigEndian)
    {
        if (program.Length == 0 || program.Length % 8 != 0 || program.Length / 8 > SeccompCompiler.MaxInstructions)
            throw new InvalidOperationException($"A seccomp program has 1 to {SeccompCompiler.MaxInstructions} instructions of 8 bytes.");
        int count = program.Length / 8;
        for (int pc = 0; pc < count; pc++)
        {
            Instruction i = Read(program, pc, bigEndian);
            int cls = i.Code & 0x07;
            bool ok = cls switch
            {
                Ld => i.Code switch
                {
                    Ld | W | Abs => i.K % 4 == 0 && i.K < SeccompData.Size,
                    Ld | W | Len or Ld | Imm => true,
                    Ld | Mem => i.K < 16,
                    _ => false,
                },
                Ldx => i.Code switch
                {
                    Ldx | W | Len or Ldx | Imm => true,
                    Ldx | Mem => i.K < 16,
                    _ => false,
                },
                St or Stx => i.Code is St or Stx && i.K < 16,
                Alu => (i.Code & 0xf0) switch
                {
                    Add or Sub or Mul or Or or And or Xor or Lsh or Rsh => (i.Code & ~0xf8) == Alu,
                    Div => (i.Code & ~0xf8) == Alu && ((i.Code & SrcX) != 0 || i.K != 0),
                    Neg => i.Code == (Alu | Neg),
                    _ => false,
                },
                Jmp => (i.Code & 0xf0) switch
                {
                    Ja => i.Code == Jmp && pc + 1 + (long)i.K < count,
                    Jeq or Jgt or Jge or Jset => (i.Code & ~0xf8) == Jmp && pc + 1 + i.JumpTrue < count && pc + 1 + i.JumpFalse < count,
                    _ => false,
                },
                Ret => i.Code is (Ret | SrcK) or (Ret | RetA),
                _ => i.Code is (Misc | Tax) or (Misc | Txa),
            };
            if (!ok)
                throw Invalid(pc, i);
        }
        if ((Read(program, count - 1, bigEndian).Code & 0x07) != Ret)
            throw new InvalidOperationException("A seccomp program must end with a return.");
    }

    private static int Scratch(uint k) => k < 16 ? (int)k : throw new InvalidOperationException($"BPF scratch memory index {k} is out of range.");

    private static InvalidOperationException Invalid(int pc, Instruction i)
        => new($"Instruction {pc} (code 0x{i.Code:x4}, k 0x{i.K:x8}) is not allowed in a seccomp filter.");
}
