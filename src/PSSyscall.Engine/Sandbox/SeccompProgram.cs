using System.Buffers.Binary;
using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Sandbox;

/// <summary>
/// A seccomp classic-BPF program (struct sock_filter[]) as data: run it on one call's
/// seccomp_data exactly as the kernel would (<see cref="Seccomp.BpfInterpreter"/>), and derive the program the sandbox installs, in which
/// every action that stops a call becomes SECCOMP_RET_USER_NOTIF so that the supervisor sees it.
/// The supervisor then runs the original program on the notified call to learn the policy's exact
/// action (which errno, which kill), so the program may come from anywhere: libseccomp, a profile,
/// hand-written BPF.
/// </summary>
internal sealed unsafe class SeccompProgram
{
    private const int InstructionSize = 8;
    private const uint RetActionFull = 0xffff0000, RetAllow = 0x7fff0000, RetLog = 0x7ffc0000;

    private readonly Instruction[] _code;
    private readonly byte[] _program;

    private readonly record struct Instruction(ushort Code, byte Jt, byte Jf, uint K);

    public SeccompProgram(byte[] program)
    {
        if (program.Length == 0 || program.Length % InstructionSize != 0)
            throw new ArgumentException("A seccomp program is a non-empty array of 8-byte instructions.", nameof(program));
        _program = (byte[])program.Clone();
        _code = new Instruction[program.Length / InstructionSize];
        for (int i = 0; i < _code.Length; i++)
        {
            ReadOnlySpan<byte> b = program.AsSpan(i * InstructionSize, InstructionSize);
            _code[i] = new Instruction(BinaryPrimitives.ReadUInt16LittleEndian(b), b[2], b[3], BinaryPrimitives.ReadUInt32LittleEndian(b[4..]));
        }
        Validate();
    }

    public int Length => _code.Length;

    /// <summary>Rejects what the kernel would reject (and RET A, whose action cannot be rewritten).</summary>
    private void Validate()
    {
        for (int pc = 0; pc < _code.Length; pc++)
        {
            Instruction ins = _code[pc];
            int cls = ins.Code & 0x07;
            if (cls == 0x05)
            {
                long far = (ins.Code & 0xf0) == 0x00 ? pc + 1L + ins.K : pc + 1L + Math.Max(ins.Jt, ins.Jf);
                if (far >= _code.Length)
                    throw new ArgumentException($"Instruction {pc} jumps past the end of the seccomp program.");
            }
            else if (cls == 0x06 && (ins.Code & 0x18) != 0x00)
            {
                throw new ArgumentException($"Instruction {pc} returns a computed action (RET A), which the sandbox cannot supervise.");
            }
        }
        if ((_code[^1].Code & 0x07) != 0x06)
            throw new ArgumentException("A seccomp program must end with a return.");
    }

    /// <summary>Runs the program on one call, as the kernel does (the engine's classic-BPF
    /// interpreter); returns the action value.</summary>
    public uint Evaluate(in SeccompNotify.Data data)
    {
        Span<ulong> args = stackalloc ulong[6];
        for (int i = 0; i < 6; i++)
            args[i] = data.Args[i];
        var input = new Seccomp.SeccompData(data.Nr, data.Arch, args, data.InstructionPointer);
        return Seccomp.BpfInterpreter.Run(_program, in input, out _);
    }

    /// <summary>True when the action lets the call run (ALLOW, LOG).</summary>
    public static bool Allows(uint action) => (action & RetActionFull) is RetAllow or RetLog;

    /// <summary>
    /// The program the sandbox installs: every return of an action that stops a call returns
    /// SECCOMP_RET_USER_NOTIF instead, and a prefix sends x86_64 execve to the supervisor too. The
    /// prefix is what lets the parent take the listener safely: the shim's own execve waits for the
    /// supervisor, so the listener fd is still open in the child when the parent copies it.
    /// The sandbox's own rules (<see cref="SandboxRules"/>), when given, run between the prefix and
    /// the policy, unchanged: what they deny is denied directly, before the policy is consulted.
    /// Prepending is safe because classic-BPF jumps are relative and forward only.
    /// </summary>
    public byte[] ToSupervisedProgram(byte[]? sandboxRules = null)
    {
        const int Execve = 59;
        Instruction[] prefix =
        [
            new(0x20, 0, 0, 4),                               // ld  [4]       (arch)
            new(0x15, 0, 3, Syscalls.AuditArch.X86_64),       // jeq x86_64 ? next : original
            new(0x20, 0, 0, 0),                               // ld  [0]       (nr)
            new(0x15, 0, 1, Execve),                          // jeq execve ? next : original
            new(0x06, 0, 0, SeccompNotify.RetUserNotif),      // ret USER_NOTIF
        ];
        var output = new List<Instruction>(prefix);
        if (sandboxRules is not null)
            output.AddRange(ThenContinue(Decode(sandboxRules)));
        foreach (Instruction ins in _code)
        {
            bool stops = (ins.Code & 0x07) == 0x06 && !Allows(ins.K);
            output.Add(stops ? ins with { K = SeccompNotify.RetUserNotif } : ins);
        }
        if (output.Count > 4096)
            throw new ArgumentException("The seccomp program is too long to supervise (BPF_MAXINSNS is 4096).");
        return Encode(output);
    }

    /// <summary>
    /// The program installed when the policy's listener goes to an OCI seccomp agent
    /// (listenerPath): the policy unchanged (the kernel enforces it; nothing is turned into a
    /// notification for the sandbox), after the sandbox's own rules, behind a prefix that sends
    /// only the shim's own execve to the listener: x86_64 execve made from
    /// <paramref name="execveAddress"/>, the instruction pointer of the C library's execve in this
    /// process (the shim runs in our address space; a program the sandbox runs has its own,
    /// randomized, C library). The sandbox answers that one call before it hands the listener over,
    /// so the agent sees only the calls the policy notifies.
    /// </summary>
    public byte[] ToListenerProgram(byte[]? sandboxRules, ulong execveAddress)
    {
        const int Execve = 59;
        Instruction[] prefix =
        [
            new(0x20, 0, 0, 4),                                   // ld  [4]       (arch)
            new(0x15, 0, 7, Syscalls.AuditArch.X86_64),           // jeq x86_64 ? next : policy
            new(0x20, 0, 0, 0),                                   // ld  [0]       (nr)
            new(0x15, 0, 5, Execve),                              // jeq execve ? next : policy
            new(0x20, 0, 0, 8),                                   // ld  [8]       (ip, low)
            new(0x15, 0, 3, (uint)execveAddress),                 // jeq low ? next : policy
            new(0x20, 0, 0, 12),                                  // ld  [12]      (ip, high)
            new(0x15, 0, 1, (uint)(execveAddress >> 32)),         // jeq high ? next : policy
            new(0x06, 0, 0, SeccompNotify.RetUserNotif),          // ret USER_NOTIF
        ];
        var output = new List<Instruction>(prefix);
        if (sandboxRules is not null)
            output.AddRange(ThenContinue(Decode(sandboxRules)));
        output.AddRange(_code);
        if (output.Count > 4096)
            throw new ArgumentException("The seccomp program is too long (BPF_MAXINSNS is 4096).");
        return Encode(output);
    }

    /// <summary>The sandbox's own rules followed by a policy (or alone), as one program: each
    /// ALLOW of the rules goes on to the policy instead.</summary>
    public static byte[] Chain(byte[] sandboxRules, byte[]? policy)
    {
        if (policy is null)
            return sandboxRules;
        var output = ThenContinue(Decode(sandboxRules));
        output.AddRange(Decode(policy));
        if (output.Count > 4096)
            throw new ArgumentException("The seccomp program is too long (BPF_MAXINSNS is 4096).");
        return Encode(output);
    }

    /// <summary>A program whose ALLOW returns become jumps past its end, to what follows it.</summary>
    private static List<Instruction> ThenContinue(Instruction[] code)
    {
        var output = new List<Instruction>(code.Length);
        for (int pc = 0; pc < code.Length; pc++)
        {
            Instruction ins = code[pc];
            bool allows = ins.Code == 0x06 && (ins.K & RetActionFull) == RetAllow;
            output.Add(allows ? new Instruction(0x05 /* ja */, 0, 0, (uint)(code.Length - pc - 1)) : ins);
        }
        return output;
    }

    private static Instruction[] Decode(byte[] program)
    {
        var code = new Instruction[program.Length / InstructionSize];
        for (int i = 0; i < code.Length; i++)
        {
            ReadOnlySpan<byte> b = program.AsSpan(i * InstructionSize, InstructionSize);
            code[i] = new Instruction(BinaryPrimitives.ReadUInt16LittleEndian(b), b[2], b[3], BinaryPrimitives.ReadUInt32LittleEndian(b[4..]));
        }
        return code;
    }

    private static byte[] Encode(List<Instruction> code)
    {
        var output = new byte[code.Count * InstructionSize];
        for (int i = 0; i < code.Count; i++)
            Write(output, i, code[i]);
        return output;
    }

    /// <summary>The action for one x86_64 call with the given arguments.</summary>
    public uint Evaluate(int number, ulong argument = 0)
    {
        Span<ulong> args = stackalloc ulong[6];
        args.Fill(argument);
        var input = new Seccomp.SeccompData(number, Syscalls.AuditArch.X86_64, args, 0);
        return Seccomp.BpfInterpreter.Run(_program, in input, out _);
    }

    /// <summary>True when the policy stops some x86_64 call (tried with all-zero and all-one
    /// arguments): then io_uring, which performs calls without seccomp, would get around it.</summary>
    public bool StopsAnything()
    {
        for (int nr = 0; nr < 512; nr++)
        {
            if (!Allows(Evaluate(nr, 0)) || !Allows(Evaluate(nr, ulong.MaxValue)))
                return true;
        }
        return false;
    }

    private static void Write(byte[] output, int index, Instruction ins)
    {
        Span<byte> b = output.AsSpan(index * InstructionSize, InstructionSize);
        BinaryPrimitives.WriteUInt16LittleEndian(b, ins.Code);
        b[2] = ins.Jt;
        b[3] = ins.Jf;
        BinaryPrimitives.WriteUInt32LittleEndian(b[4..], ins.K);
    }
}
