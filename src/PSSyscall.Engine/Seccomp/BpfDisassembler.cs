using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using static PSSyscall.Engine.Seccomp.BpfInterpreter;

namespace PSSyscall.Engine.Seccomp;

/// <summary>
/// A readable listing of a seccomp BPF program, one instruction per line: index, the raw
/// struct sock_filter fields, the instruction in the usual bpf_asm notation, and what it means
/// for seccomp (which seccomp_data field a load reads, which syscall a jump tests, which action a
/// return takes). What A holds and which ABI a block is for are followed along the jumps (they only
/// go forward, so one pass in order sees every predecessor first).
/// </summary>
public static class BpfDisassembler
{
    private const string Unknown = "";

    private readonly record struct State(string Loaded, uint Arch);

    /// <param name="program">The program.</param>
    /// <param name="bigEndian">True for a program built for a big-endian machine (s390x, ppc64,
    /// mips, parisc): libseccomp writes its instructions in that machine's byte order.</param>
    public static string Disassemble(ReadOnlySpan<byte> program, bool bigEndian = false)
    {
        var sb = new StringBuilder();
        int count = program.Length / 8;
        var states = new State?[count + 1];
        if (count > 0)
            states[0] = new State(Unknown, 0);
        for (int pc = 0; pc < count; pc++)
        {
            Instruction i = Read(program, pc, bigEndian);
            State state = states[pc] ?? new State(Unknown, 0);
            string text = Describe(i, pc, state, out string? comment, out State after, out State taken);

            int cls = i.Code & 0x07;
            if (cls == Jmp)
            {
                if ((i.Code & 0xf0) == Ja)
                    Flow(states, pc + 1 + (int)i.K, after);
                else
                {
                    Flow(states, pc + 1 + i.JumpTrue, taken);
                    Flow(states, pc + 1 + i.JumpFalse, after);
                }
            }
            else if (cls != Ret)
            {
                Flow(states, pc + 1, after);
            }

            sb.Append(pc.ToString("D4", CultureInfo.InvariantCulture)).Append(": ")
              .Append(string.Create(CultureInfo.InvariantCulture, $"{i.Code:x4} {i.JumpTrue:x2} {i.JumpFalse:x2} {i.K:x8}  "))
              .Append(text);
            if (comment is not null)
                sb.Append(new string(' ', Math.Max(1, 34 - text.Length))).Append("; ").Append(comment);
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static void Flow(State?[] states, int target, State state)
    {
        if (target < 0 || target >= states.Length)
            return;
        if (states[target] is not State existing)
            states[target] = state;
        else
            states[target] = new State(existing.Loaded == state.Loaded ? state.Loaded : Unknown, existing.Arch == state.Arch ? state.Arch : 0);
    }

    private static string Describe(Instruction i, int pc, State state, out string? comment, out State after, out State taken)
    {
        comment = null;
        after = taken = state;
        int cls = i.Code & 0x07;
        static string K(uint k) => "0x" + k.ToString("x", CultureInfo.InvariantCulture);
        switch (cls)
        {
            case Ld:
            case Ldx:
            {
                string reg = cls == Ld ? "ld" : "ldx";
                int mode = i.Code & 0xe0;
                if (mode == Abs)
                {
                    comment = Field(i.K, state.Arch != 0 && (state.Arch & 0x40000000) == 0);
                    if (cls == Ld) after = taken = state with { Loaded = comment };
                    return $"{reg} [{i.K}]";
                }
                if (cls == Ld) after = taken = state with { Loaded = Unknown };
                return mode switch
                {
                    Imm => $"{reg} #{K(i.K)}",
                    Mem => $"{reg} M[{i.K}]",
                    Len => $"{reg} #len",
                    _ => $"{reg} ? (code 0x{i.Code:x4})",
                };
            }
            case St: return $"st M[{i.K}]";
            case Stx: return $"stx M[{i.K}]";
            case Alu:
            {
                after = taken = state with { Loaded = Unknown };
                string op = (i.Code & 0xf0) switch
                {
                    Add => "add", Sub => "sub", Mul => "mul", Div => "div", Mod => "mod", Or => "or",
                    And => "and", Xor => "xor", Lsh => "lsh", Rsh => "rsh", Neg => "neg", _ => "alu?",
                };
                if ((i.Code & 0xf0) == Neg) return op;
                return (i.Code & SrcX) != 0 ? $"{op} x" : $"{op} #{K(i.K)}";
            }
            case Jmp:
            {
                int op = i.Code & 0xf0;
                if (op == Ja)
                    return $"ja {pc + 1 + i.K:D4}";
                string name = op switch { Jeq => "jeq", Jgt => "jgt", Jge => "jge", Jset => "jset", _ => "j?" };
                string operand = (i.Code & SrcX) != 0 ? "x" : "#" + K(i.K);
                if ((i.Code & SrcX) == 0)
                {
                    if (state.Loaded == "arch")
                    {
                        comment = ArchName(i.K);
                        if (op == Jeq) taken = state with { Arch = i.K };
                    }
                    else if (state.Loaded == "nr")
                    {
                        comment = SyscallName(state.Arch, i.K, op);
                    }
                }
                return $"{name} {operand}, {pc + 1 + i.JumpTrue:D4}, {pc + 1 + i.JumpFalse:D4}";
            }
            case Ret:
                if ((i.Code & 0x18) == RetA)
                    return "ret a";
                comment = SeccompAction.FromKernelValue(i.K).ToString();
                return $"ret #{K(i.K)}";
            default:
                return (i.Code & 0xf8) == Txa ? "txa" : "tax";
        }
    }

    // On a big-endian machine a 64-bit field's high word comes first.
    private static string Field(uint offset, bool bigEndian) => offset switch
    {
        SeccompData.NumberOffset => "nr",
        SeccompData.ArchitectureOffset => "arch",
        SeccompData.InstructionPointerOffset or SeccompData.InstructionPointerOffset + 4 => $"instruction_pointer ({(((offset % 8) == 0) != bigEndian ? "low" : "high")})",
        >= SeccompData.ArgumentsOffset and < SeccompData.Size => $"args[{(offset - SeccompData.ArgumentsOffset) / 8}] ({(((offset % 8) == 0) != bigEndian ? "low" : "high")})",
        _ => "?",
    };

    private static string ArchName(uint value) => value switch
    {
        AuditArch.X86_64 => "AUDIT_ARCH_X86_64",
        AuditArch.I386 => "AUDIT_ARCH_I386",
        _ when ArchitectureInfo.All.FirstOrDefault(a => a.AuditArch == value && !a.IsNative) is { } other => "AUDIT_ARCH_" + other.ScmpName["SCMP_ARCH_".Length..],
        _ => "audit arch 0x" + value.ToString("x", CultureInfo.InvariantCulture),
    };

    private static string? SyscallName(uint arch, uint k, int op)
    {
        if (arch == AuditArch.I386)
            return SyscallTable.I386.GetName((int)k);
        if (arch != AuditArch.X86_64 && arch != 0 && ArchitectureInfo.All.FirstOrDefault(a => a.AuditArch == arch && !a.IsNative) is { } other)
            return op == Jeq ? SyscallTable.For(other.Architecture).GetName((int)k - other.NumberBase) : null;
        if (op != Jeq)
            return k == AuditArch.X32SyscallBit ? "x32 syscall bit" : null;
        if ((k & AuditArch.X32SyscallBit) != 0 && k != 0xffffffff)
            return SyscallTable.X32.GetName((int)(k & ~(uint)AuditArch.X32SyscallBit)) is string x ? x + " (x32)" : null;
        return SyscallTable.X86_64.GetName((int)k);
    }
}
