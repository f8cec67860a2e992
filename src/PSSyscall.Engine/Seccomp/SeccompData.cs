using System.Buffers.Binary;

namespace PSSyscall.Engine.Seccomp;

/// <summary>
/// The kernel's struct seccomp_data, the only input a seccomp filter sees: { int nr; __u32 arch;
/// __u64 instruction_pointer; __u64 args[6]; }, 64 bytes, little-endian on x86.
/// </summary>
public readonly struct SeccompData
{
    public const int Size = 64;
    public const int NumberOffset = 0, ArchitectureOffset = 4, InstructionPointerOffset = 8, ArgumentsOffset = 16;

    private readonly byte[] _bytes;

    public SeccompData(int number, uint auditArch, ReadOnlySpan<ulong> arguments, ulong instructionPointer = 0)
    {
        if (arguments.Length > 6)
            throw new ArgumentException("A syscall has at most 6 arguments.", nameof(arguments));
        _bytes = new byte[Size];
        BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(NumberOffset), number);
        BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan(ArchitectureOffset), auditArch);
        BinaryPrimitives.WriteUInt64LittleEndian(_bytes.AsSpan(InstructionPointerOffset), instructionPointer);
        for (int i = 0; i < arguments.Length; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(_bytes.AsSpan(ArgumentsOffset + 8 * i), arguments[i]);
    }

    /// <summary>The seccomp_data the kernel builds for a call through an ABI; x32 numbers carry
    /// bit 30. Arguments go in whole: for an int 0x80 call from a 64-bit process the kernel passes
    /// the full 64-bit registers, high words included (measured: I386ArgumentWidthTests), though
    /// libseccomp's i386 code only ever reads the low words.</summary>
    public static SeccompData For(SyscallArchitecture architecture, int tableNumber, ReadOnlySpan<ulong> arguments, ulong instructionPointer = 0)
    {
        Span<ulong> args = stackalloc ulong[6];
        arguments.CopyTo(args);
        int nr = architecture == SyscallArchitecture.X32 ? tableNumber | Syscalls.AuditArch.X32SyscallBit : tableNumber;
        return new SeccompData(nr, Syscalls.AuditArch.For(architecture), args, instructionPointer);
    }

    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The 32-bit word at a byte offset (what BPF_LD|BPF_W|BPF_ABS reads).</summary>
    public uint Word(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(offset));
}
