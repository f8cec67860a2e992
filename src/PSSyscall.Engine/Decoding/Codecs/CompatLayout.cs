using System.Buffers.Binary;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>
/// A structure's i386 (ILP32) layout and where each of its fields lands in the x86_64 (LP64)
/// layout that the codecs print from. The capture interpreter reads the tracee's 32-bit structure
/// and writes it out widened, so captures keep one backend-neutral format (the native layout) and
/// no printer is written twice. Plain data: a field list an eBPF backend can apply as well.
/// </summary>
/// <remarks>
/// Written as C types, one per field, in order: <c>long long</c> (a timespec). Types: <c>char</c>,
/// <c>short</c>/<c>ushort</c>, <c>int</c>/<c>uint</c>, <c>long</c>/<c>ulong</c>/<c>ptr</c> (4 bytes on
/// i386, 8 on x86_64: longs sign-extended, the others zero-extended), <c>i64</c>/<c>u64</c> (8 bytes,
/// aligned to 4 on i386), <c>bN</c> (N raw bytes); <c>type[N]</c> repeats a field. When the two ABIs
/// order their fields differently (struct stat64 against x86_64's struct stat), <see cref="Map"/>
/// takes both layouts with named fields (<c>name:type</c>; <c>_</c> for padding) and pairs them by name.
/// </remarks>
public sealed class CompatLayout
{
    /// <summary>One field: where it is and how wide in each layout; Signed: sign-extended.</summary>
    public readonly record struct Field(int From, int FromSize, int To, int ToSize, bool Signed);

    private CompatLayout(int compatSize, int nativeSize, Field[] fields)
    {
        CompatSize = compatSize;
        NativeSize = nativeSize;
        Fields = fields;
    }

    /// <summary>The structure's size on i386.</summary>
    public int CompatSize { get; }

    /// <summary>The structure's size on x86_64 (what the printers read).</summary>
    public int NativeSize { get; }

    public IReadOnlyList<Field> Fields { get; }

    /// <summary>Only the word size differs (arrays the interpreter walks: iovec, argv, fd_set...):
    /// a marker for plans whose <see cref="CapturePlan.Shape"/> is a walked structure.</summary>
    public static readonly CompatLayout Ilp32 = new(4, 8, [new Field(0, 4, 0, 8, false)]);

    /// <summary>siginfo_t: a marker for a layout chosen by the structure's own signal and code
    /// (<see cref="ForSiginfo"/>), as the kernel's siginfo_layout() chooses it.</summary>
    public static readonly CompatLayout Siginfo = new(128, 128, []);

    private const string SiginfoHead = "signo:int errno:int code:int";
    private static readonly CompatLayout SiginfoKill = Map(SiginfoHead + " pid:int uid:int value:ptr", SiginfoHead + " _:int pid:int uid:int value:ptr");
    private static readonly CompatLayout SiginfoTimer = Map(SiginfoHead + " tid:int overrun:int value:ptr", SiginfoHead + " _:int tid:int overrun:int value:ptr");
    private static readonly CompatLayout SiginfoChild = Map(SiginfoHead + " pid:int uid:int status:int utime:long stime:long",
        SiginfoHead + " _:int pid:int uid:int status:int utime:long stime:long");
    private static readonly CompatLayout SiginfoFault = Map(SiginfoHead + " addr:ptr", SiginfoHead + " _:int addr:ptr");
    private static readonly CompatLayout SiginfoPoll = Map(SiginfoHead + " band:long fd:int", SiginfoHead + " _:int band:long fd:int");
    private static readonly CompatLayout SiginfoSys = Map(SiginfoHead + " addr:ptr nr:int arch:uint", SiginfoHead + " _:int addr:ptr nr:int arch:uint");

    /// <summary>The i386 layout of a siginfo_t with this signal and code (the union's member).</summary>
    public static CompatLayout ForSiginfo(int signo, int code) => code switch
    {
        -2 => SiginfoTimer,                                                     // SI_TIMER
        <= 0 or 0x80 => SiginfoKill,                                            // SI_USER, SI_QUEUE..., SI_KERNEL
        _ => signo switch
        {
            17 when code <= 6 => SiginfoChild,                                  // SIGCHLD
            4 or 5 or 7 or 8 or 11 => SiginfoFault,                             // SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV
            29 => SiginfoPoll,                                                  // SIGIO
            31 => SiginfoSys,                                                   // SIGSYS
            _ => SiginfoKill,
        },
    };

    /// <summary>The same fields in the same order on both ABIs.</summary>
    public static CompatLayout Of(string types)
    {
        var compat = Layout(types, compat: true);
        var native = Layout(types, compat: false);
        var fields = new Field[compat.Fields.Count];
        for (int k = 0; k < fields.Length; k++)
            fields[k] = new Field(compat.Fields[k].Offset, compat.Fields[k].Size, native.Fields[k].Offset, native.Fields[k].Size, compat.Fields[k].Signed);
        return new CompatLayout(compat.Size, native.Size, Strip(fields, compat.Fields));
    }

    /// <summary>Two layouts of named fields (<c>name:type</c>), paired by name; padding (<c>_</c>)
    /// and fields only one side has are left out (zero in the native copy).</summary>
    public static CompatLayout Map(string compatFields, string nativeFields)
    {
        var compat = Layout(compatFields, compat: true);
        var native = Layout(nativeFields, compat: false);
        var fields = new List<Field>();
        foreach (var c in compat.Fields)
        {
            if (c.Name is "_" or "")
                continue;
            int k = native.Fields.FindIndex(n => n.Name == c.Name);
            if (k < 0)
                throw new ArgumentException($"Field '{c.Name}' has no native place", nameof(nativeFields));
            fields.Add(new Field(c.Offset, c.Size, native.Fields[k].Offset, native.Fields[k].Size, c.Signed));
        }
        return new CompatLayout(compat.Size, native.Size, fields.ToArray());
    }

    /// <summary>Writes <paramref name="count"/> structures read in the i386 layout into the native
    /// layout (dest is cleared first: padding reads as zero).</summary>
    public void Widen(ReadOnlySpan<byte> src, Span<byte> dest, int count = 1)
    {
        dest[..(count * NativeSize)].Clear();
        for (int e = 0; e < count; e++)
        {
            ReadOnlySpan<byte> s = src.Slice(e * CompatSize, CompatSize);
            Span<byte> d = dest.Slice(e * NativeSize, NativeSize);
            foreach (Field f in Fields)
            {
                if (f.FromSize == f.ToSize)
                {
                    s.Slice(f.From, f.FromSize).CopyTo(d[f.To..]);
                    continue;
                }
                // Widening: 1, 2 or 4 bytes to more.
                long v = f.FromSize switch
                {
                    1 => f.Signed ? (sbyte)s[f.From] : s[f.From],
                    2 => f.Signed ? BinaryPrimitives.ReadInt16LittleEndian(s[f.From..]) : BinaryPrimitives.ReadUInt16LittleEndian(s[f.From..]),
                    _ => f.Signed ? BinaryPrimitives.ReadInt32LittleEndian(s[f.From..]) : BinaryPrimitives.ReadUInt32LittleEndian(s[f.From..]),
                };
                Span<byte> to = d.Slice(f.To, f.ToSize);
                if (f.ToSize == 8) BinaryPrimitives.WriteInt64LittleEndian(to, v);
                else if (f.ToSize == 4) BinaryPrimitives.WriteInt32LittleEndian(to, (int)v);
                else BinaryPrimitives.WriteInt16LittleEndian(to, (short)v);
            }
        }
    }

    // ---- the C layout rules of each ABI ----
    private sealed record Placed(string Name, int Offset, int Size, bool Signed);

    private sealed record Placement(List<Placed> Fields, int Size);

    private static Field[] Strip(Field[] fields, List<Placed> placed)
    {
        var kept = new List<Field>();
        for (int k = 0; k < fields.Length; k++)
            if (placed[k].Name != "_")
                kept.Add(fields[k]);
        return kept.ToArray();
    }

    private static Placement Layout(string spec, bool compat)
    {
        var fields = new List<Placed>();
        int offset = 0, maxAlign = 1;
        foreach (string token in spec.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = "", type = token;
            int colon = token.IndexOf(':');
            if (colon >= 0)
            {
                name = token[..colon];
                type = token[(colon + 1)..];
            }
            int repeat = 1;
            int bracket = type.IndexOf('[');
            if (bracket >= 0)
            {
                repeat = int.Parse(type[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
                type = type[..bracket];
            }
            (int size, int align, bool signed) = TypeOf(type, compat);
            for (int r = 0; r < repeat; r++)
            {
                offset = (offset + align - 1) / align * align;
                fields.Add(new Placed(repeat > 1 && name is not ("" or "_") ? name + r : name, offset, size, signed));
                offset += size;
            }
            maxAlign = Math.Max(maxAlign, align);
        }
        return new Placement(fields, (offset + maxAlign - 1) / maxAlign * maxAlign);
    }

    private static (int Size, int Align, bool Signed) TypeOf(string type, bool compat)
    {
        int word = compat ? 4 : 8;
        switch (type)
        {
            case "char": return (1, 1, true);
            case "short": return (2, 2, true);
            case "ushort": return (2, 2, false);
            case "int": return (4, 4, true);
            case "uint": return (4, 4, false);
            case "long": return (word, word, true);
            case "ulong":
            case "ptr": return (word, word, false);
            case "i64": return (8, compat ? 4 : 8, true);
            case "u64": return (8, compat ? 4 : 8, false);
        }
        if (type.StartsWith('b') && int.TryParse(type.AsSpan(1), out int n))
            return (n, 1, false);
        throw new ArgumentException("Unknown C type in a layout: " + type, nameof(type));
    }
}
