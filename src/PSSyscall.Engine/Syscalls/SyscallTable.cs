using System.Collections.Frozen;

namespace PSSyscall.Engine.Syscalls;

/// <summary>
/// One ABI's syscalls by number and by name. This is the single table behind decoding, filters,
/// seccomp compilation, completion and "did you mean" suggestions. Numbers are the ABI's own
/// (for x32 without the x32 bit; <see cref="KernelNumber"/> adds it back).
/// </summary>
public sealed class SyscallTable
{
    public static readonly SyscallTable X86_64 = new(SyscallArchitecture.X86_64, SyscallNumbers.X86_64);
    public static readonly SyscallTable I386 = new(SyscallArchitecture.I386, SyscallNumbers.I386);
    public static readonly SyscallTable X32 = new(SyscallArchitecture.X32, SyscallNumbers.X32);

    private readonly string?[] _names;
    private readonly SyscallSignature[] _signatures;
    private readonly FrozenDictionary<string, int> _numbers;
    // Numbers far above the dense table (ARM's private calls at 0x0f0001...).
    private readonly FrozenDictionary<int, string> _sparse = FrozenDictionary<int, string>.Empty;

    /// <summary>Calls numbered above this are kept in a dictionary rather than the array.</summary>
    private const int DenseLimit = 8192;

    private SyscallTable(SyscallArchitecture architecture, (int Number, string Name)[] entries)
        : this(architecture, Dense(entries))
    {
        _sparse = entries.Where(e => e.Number >= DenseLimit).ToFrozenDictionary(e => e.Number, e => e.Name);
        var numbers = _numbers.ToDictionary(StringComparer.Ordinal);
        foreach (var (number, name) in entries.Where(e => e.Number >= DenseLimit))
            numbers.TryAdd(name, number);
        _numbers = numbers.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string?[] Dense((int Number, string Name)[] entries)
    {
        var names = new string?[entries.Where(e => e.Number < DenseLimit).Select(e => e.Number + 1).DefaultIfEmpty(0).Max()];
        foreach (var (number, name) in entries)
            if (number < DenseLimit)
                names[number] = name;
        return names;
    }

    private SyscallTable(SyscallArchitecture architecture, string?[] names)
    {
        Architecture = architecture;
        _names = names;
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i] is string name)
                numbers.TryAdd(name, i);
        }
        _numbers = numbers.ToFrozenDictionary(StringComparer.Ordinal);
        // Signatures are keyed by name, so every ABI (and aarch64 later) shares one decoding table.
        _signatures = new SyscallSignature[names.Length];
        for (int i = 0; i < names.Length; i++)
            _signatures[i] = names[i] is string name
                ? (architecture == SyscallArchitecture.I386 ? SyscallSignatures.GetI386(name) : SyscallSignatures.Get(name)) ?? new SyscallSignature(name, SyscallClass.None, ReturnKind.Decimal, null, 6)
                : SyscallSignature.Unknown;
    }

    /// <summary>The decoding and classes of a call; a six-raw-argument signature for unknown numbers.</summary>
    public SyscallSignature GetSignature(int number) => number >= 0 && number < _signatures.Length ? _signatures[number] : SyscallSignature.Unknown;

    /// <summary>strace's classes of a call (None for unknown numbers).</summary>
    public SyscallClass GetClasses(int number) => GetSignature(number).Classes;

    /// <summary>The tables of the ABIs this machine's processes use (what tracing decodes), the
    /// native one first.</summary>
    public static IReadOnlyList<SyscallTable> All { get; } = new[] { X86_64, I386, X32 };

    /// <summary>Every ABI's table, in the enum's order: these three and every architecture
    /// libseccomp knows (generated from its data by tools/gen-arch-tables.py), for seccomp filters
    /// written for other machines.</summary>
    public static IReadOnlyList<SyscallTable> AllArchitectures => Foreign.Value;

    // Built on first use: tracing (x86 only) never pays for the other machines' tables.
    private static readonly Lazy<SyscallTable[]> Foreign = new(
        () => All.Concat(ArchitectureTables.Foreign.Select(f => new SyscallTable(f.Architecture, f.Table))).ToArray());

    public SyscallArchitecture Architecture { get; }

    /// <summary>The ABI's seccomp facts (AUDIT_ARCH value, word size, byte order, number base).</summary>
    public ArchitectureInfo Info => ArchitectureInfo.Get(Architecture);

    public static SyscallTable For(SyscallArchitecture architecture) => architecture switch
    {
        SyscallArchitecture.X86_64 => X86_64,
        SyscallArchitecture.I386 => I386,
        SyscallArchitecture.X32 => X32,
        _ when (int)architecture >= 0 && (int)architecture < AllArchitectures.Count => AllArchitectures[(int)architecture],
        _ => X86_64,
    };

    /// <summary>Highest number plus one.</summary>
    public int Count => _names.Length;

    /// <summary>The name of a call, or null when this ABI has no call with that number.</summary>
    public string? GetName(int number) => number >= 0 && number < _names.Length ? _names[number]
        : _sparse.Count > 0 && _sparse.TryGetValue(number, out string? name) ? name : null;

    /// <summary>The name, or the kernel's placeholder form (syscall_0x1c2) for unknown numbers.</summary>
    public string GetDisplayName(int number)
        => GetName(number) ?? "syscall_0x" + ((long)KernelNumber(number)).ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    public bool TryGetNumber(string name, out int number) => _numbers.TryGetValue(name, out number);

    /// <summary>The number the kernel sees (x32 numbers carry the x32 bit).</summary>
    public int KernelNumber(int number) => Architecture switch
    {
        SyscallArchitecture.X86_64 or SyscallArchitecture.I386 => number,
        SyscallArchitecture.X32 => number | AuditArch.X32SyscallBit,
        _ => number + Info.NumberBase,
    };

    public IEnumerable<string> Names => _numbers.Keys.Order(StringComparer.Ordinal);

    public IEnumerable<(int Number, string Name)> Entries
    {
        get
        {
            for (int i = 0; i < _names.Length; i++)
                if (_names[i] is string name)
                    yield return (i, name);
            foreach (var (number, name) in _sparse.OrderBy(p => p.Key))
                yield return (number, name);
        }
    }
}
