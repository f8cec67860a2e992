namespace PSSyscall.Engine.Syscalls;

/// <summary>
/// The C type the kernel reads an argument as. A register holds 64 bits, but the kernel reads an
/// <c>int</c> or <c>unsigned int</c> argument from the low 32 only, so a decoder that looks past
/// them shows garbage the call never saw (strace prints the C type's value: <c>mkdir("x", 000)</c>
/// for a mode register of 0xdefaced00000000). The signature table gives each argument its type
/// (<c>token:type</c>, or the codec's default, <see cref="PSSyscall.Engine.Decoding.Codecs.ArgCodec.DefaultType"/>).
/// </summary>
public enum CType : byte
{
    /// <summary>long, off_t, loff_t: 64 bits, signed.</summary>
    Long,
    /// <summary>unsigned long, size_t: 64 bits, unsigned.</summary>
    ULong,
    /// <summary>A pointer: 64 bits, shown as NULL or an address when nothing more is known.</summary>
    Pointer,
    /// <summary>int, pid_t, clockid_t, a descriptor: the low 32 bits, signed.</summary>
    Int,
    /// <summary>unsigned int, mode_t: the low 32 bits, unsigned.</summary>
    UInt,
    /// <summary>uid_t, gid_t: the low 32 bits, unsigned, with (uid_t)-1 shown as -1 ("no change").</summary>
    Uid,
}

/// <summary>What each C type means for a register's value.</summary>
public static class CTypes
{
    /// <summary>True for the types the kernel reads from the low 32 bits.</summary>
    public static bool Is32Bit(CType type) => type >= CType.Int;

    /// <summary>The value the kernel sees: 32-bit types keep their low 32 bits (zero-extended;
    /// printers that show a signed int cast it back).</summary>
    public static ulong Normalize(CType type, ulong raw) => Is32Bit(type) ? (uint)raw : raw;

    /// <summary>The value an i386 (ILP32) call sees: every type is 32 bits; long is signed.</summary>
    public static ulong NormalizeCompat(CType type, ulong raw) => type == CType.Long ? (ulong)(long)(int)raw : (uint)raw;

    public static bool TryParse(string name, out CType type)
    {
        switch (name)
        {
            case "int": type = CType.Int; return true;
            case "uint": type = CType.UInt; return true;
            case "long": type = CType.Long; return true;
            case "ulong": type = CType.ULong; return true;
            case "ptr": type = CType.Pointer; return true;
            case "uid": type = CType.Uid; return true;
            default: type = default; return false;
        }
    }
}
