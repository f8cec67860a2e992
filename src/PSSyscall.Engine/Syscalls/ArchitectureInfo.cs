using System.Collections.Frozen;

namespace PSSyscall.Engine.Syscalls;

/// <summary>
/// What the seccomp side needs to know of an ABI: libseccomp's name and token, the AUDIT_ARCH_*
/// value the kernel puts in seccomp_data.arch, the word size libseccomp compares arguments in,
/// byte order (seccomp_data is in the machine's own order, so on big-endian machines the low word
/// of an argument is the second one), the base added to table numbers (MIPS), the names Docker and
/// Go give the architecture (a profile's includes.arches), and the multiplexed calls (socketcall,
/// ipc) through which the same operations can also be reached. The foreign entries are generated
/// from libseccomp's data (tools/gen-arch-tables.py).
/// </summary>
public sealed class ArchitectureInfo
{
    private ArchitectureInfo(SyscallArchitecture architecture, string scmpName, uint auditArch, uint token, int bits, int numberBase, string[] goNames, string[] multiplexed)
    {
        Architecture = architecture;
        ScmpName = scmpName;
        AuditArch = auditArch;
        LibSeccompToken = token;
        Bits = bits;
        NumberBase = numberBase;
        GoNames = goNames;
        Multiplexed = multiplexed;
    }

    public SyscallArchitecture Architecture { get; }

    /// <summary>libseccomp's and the OCI runtime spec's name: SCMP_ARCH_AARCH64.</summary>
    public string ScmpName { get; }

    /// <summary>The value of seccomp_data.arch for calls through this ABI.</summary>
    public uint AuditArch { get; }

    /// <summary>libseccomp's SCMP_ARCH_* token (the AUDIT_ARCH value, except x32's).</summary>
    public uint LibSeccompToken { get; }

    /// <summary>32 or 64: the width libseccomp gives arguments (32-bit ABIs compare the low word only).</summary>
    public int Bits { get; }

    /// <summary>True for big-endian machines (s390, ppc, mips, parisc without "el"/"le").</summary>
    public bool BigEndian => (AuditArch & 0x40000000) == 0;

    /// <summary>Added to a table number to give the number the kernel sees (MIPS: 4000, 5000, 6000).</summary>
    public int NumberBase { get; }

    /// <summary>Go's GOARCH and the other names profiles use for it in includes/excludes "arches".</summary>
    public IReadOnlyList<string> GoNames { get; }

    /// <summary>Multiplexed calls of this ABI (socketcall, ipc): a socket or SysV IPC operation may
    /// come through them as well as through its own call.</summary>
    public IReadOnlyList<string> Multiplexed { get; }

    /// <summary>True for the ABIs of the machine the module runs on (what it can trace and install).</summary>
    public bool IsNative => Architecture is SyscallArchitecture.X86_64 or SyscallArchitecture.I386 or SyscallArchitecture.X32;

    /// <summary>The number the kernel sees for a table number (x32 sets bit 30, MIPS adds its base).</summary>
    public int KernelNumber(int tableNumber)
        => Architecture == SyscallArchitecture.X32 ? tableNumber | AuditArch_X32Bit : tableNumber + NumberBase;

    private const int AuditArch_X32Bit = Syscalls.AuditArch.X32SyscallBit;

    public override string ToString() => ScmpName;

    /// <summary>Every ABI, in the enum's order.</summary>
    public static IReadOnlyList<ArchitectureInfo> All { get; } = Build();

    private static readonly FrozenDictionary<string, ArchitectureInfo> ByScmpName =
        All.ToFrozenDictionary(a => a.ScmpName, StringComparer.OrdinalIgnoreCase);

    public static ArchitectureInfo Get(SyscallArchitecture architecture) => All[(int)architecture];

    /// <summary>Finds an ABI by its SCMP_ARCH_ name (case-insensitive).</summary>
    public static bool TryGet(string scmpName, out ArchitectureInfo info)
        => ByScmpName.TryGetValue(scmpName?.Trim() ?? "", out info!);

    /// <summary>libseccomp names this module has no table for (newer than libseccomp 2.5): accepted
    /// in profiles, kept as written, and filtering nothing.</summary>
    public static IReadOnlySet<string> OtherScmpNames { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB", "SCMP_ARCH_RISCV32",
    };

    private static List<ArchitectureInfo> Build()
    {
        var list = new List<ArchitectureInfo>
        {
            new(SyscallArchitecture.X86_64, "SCMP_ARCH_X86_64", Syscalls.AuditArch.X86_64, Syscalls.AuditArch.X86_64, 64, 0, new[] { "amd64", "x86_64" }, Array.Empty<string>()),
            new(SyscallArchitecture.I386, "SCMP_ARCH_X86", Syscalls.AuditArch.I386, Syscalls.AuditArch.I386, 32, 0, new[] { "386", "x86", "i386" }, new[] { "ipc", "socketcall" }),
            // libseccomp's x32 token is EM_X86_64|LE; the kernel reports x32 calls as AUDIT_ARCH_X86_64.
            new(SyscallArchitecture.X32, "SCMP_ARCH_X32", Syscalls.AuditArch.X86_64, 0x4000003E, 32, 0, new[] { "x32" }, Array.Empty<string>()),
        };
        foreach (var f in ArchitectureTables.Foreign)
            list.Add(new(f.Architecture, f.ScmpName, f.AuditArch, f.AuditArch, f.Bits, f.NumberBase, f.GoNames, f.Multiplexed));
        for (int i = 0; i < list.Count; i++)
            if ((int)list[i].Architecture != i)
                throw new InvalidOperationException("ArchitectureInfo.All is out of the enum's order.");
        return list;
    }
}
