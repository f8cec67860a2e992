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
    private readonly bool _bigEndian;

    /// <summary>A seccomp_data as a machine of the given byte order lays it out (the filter's word
    /// loads read the machine's own order: on big-endian machines an argument's high word comes first).</summary>
    public SeccompData(int number, uint auditArch, ReadOnlySpan<ulong> arguments, ulong instructionPointer = 0, bool bigEndian = false)
    {
        if (arguments.Length > 6)
            throw new ArgumentException("A syscall has at most 6 arguments.", nameof(arguments));
        _bytes = new byte[Size];
        _bigEndian = bigEndian;
        if (bigEndian)
        {
            BinaryPrimitives.WriteInt32BigEndian(_bytes.AsSpan(NumberOffset), number);
            BinaryPrimitives.WriteUInt32BigEndian(_bytes.AsSpan(ArchitectureOffset), auditArch);
            BinaryPrimitives.WriteUInt64BigEndian(_bytes.AsSpan(InstructionPointerOffset), instructionPointer);
            for (int i = 0; i < arguments.Length; i++)
                BinaryPrimitives.WriteUInt64BigEndian(_bytes.AsSpan(ArgumentsOffset + 8 * i), arguments[i]);
            return;
        }
        BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(NumberOffset), number);
        BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan(ArchitectureOffset), auditArch);
        BinaryPrimitives.WriteUInt64LittleEndian(_bytes.AsSpan(InstructionPointerOffset), instructionPointer);
        for (int i = 0; i < arguments.Length; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(_bytes.AsSpan(ArgumentsOffset + 8 * i), arguments[i]);
    }

    /// <summary>True when laid out in big-endian order.</summary>
    public bool BigEndian => _bigEndian;

    /// <summary>Argument <paramref name="index"/> as the 64-bit value the kernel stored.</summary>
    public ulong Argument(int index) => _bigEndian
        ? BinaryPrimitives.ReadUInt64BigEndian(_bytes.AsSpan(ArgumentsOffset + 8 * index))
        : BinaryPrimitives.ReadUInt64LittleEndian(_bytes.AsSpan(ArgumentsOffset + 8 * index));

    /// <summary>The seccomp_data the kernel builds for a call through an ABI; x32 numbers carry
    /// bit 30. Arguments go in whole: for an int 0x80 call from a 64-bit process the kernel passes
    /// the full 64-bit registers, high words included (measured: I386ArgumentWidthTests), though
    /// libseccomp's i386 code only ever reads the low words.</summary>
    /// <remarks>Other machines' 32-bit ABIs (arm, ppc, s390, mips o32 and n32, parisc) pass 32-bit
    /// registers, so their arguments keep only the low word here.</remarks>
    /// <param name="bigEndian">The byte order of the machine the filter runs on, when it is not the
    /// ABI's own (a call of one machine's ABI tested against a program built for another).</param>
    public static SeccompData For(SyscallArchitecture architecture, int tableNumber, ReadOnlySpan<ulong> arguments, ulong instructionPointer = 0, bool? bigEndian = null)
    {
        Span<ulong> args = stackalloc ulong[6];
        arguments.CopyTo(args);
        var info = Syscalls.ArchitectureInfo.Get(architecture);
        if (!info.IsNative && info.Bits == 32)
        {
            for (int i = 0; i < args.Length; i++)
                args[i] &= 0xFFFFFFFF;
            instructionPointer &= 0xFFFFFFFF;
        }
        int nr = Syscalls.SyscallTable.For(architecture).KernelNumber(tableNumber);
        return new SeccompData(nr, info.AuditArch, args, instructionPointer, bigEndian ?? info.BigEndian);
    }

    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The 32-bit word at a byte offset (what BPF_LD|BPF_W|BPF_ABS reads).</summary>
    public uint Word(int offset) => _bigEndian
        ? BinaryPrimitives.ReadUInt32BigEndian(_bytes.AsSpan(offset))
        : BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(offset));
}
