using System.Globalization;
using PSSyscall.Engine.Seccomp;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall;

/// <summary>
/// A Docker/Podman profile rule's condition on the machine it runs on ("includes" or "excludes"):
/// capabilities the container holds, the machine's architecture (Go's names: amd64, arm64,
/// s390x ...), and the least kernel version. Kept as written on import; evaluated only when the
/// profile is resolved for a host (<see cref="SeccompFilter.Resolve"/>). A null list or version
/// is absent from the profile; an empty list is written as [].
/// </summary>
public sealed class SeccompProfileCondition
{
    /// <summary>"caps": for includes, all must be held; for excludes, any held excludes the rule.</summary>
    public List<string>? Capabilities { get; set; }

    /// <summary>"arches": the machine is one of these (Go's GOARCH names).</summary>
    public List<string>? Architectures { get; set; }

    /// <summary>"minKernel": the kernel is at least this version (major.minor).</summary>
    public string? MinKernel { get; set; }

    public bool IsEmpty => Capabilities is not { Count: > 0 } && Architectures is not { Count: > 0 } && MinKernel is null;

    public SeccompProfileCondition Copy() => new()
    {
        Capabilities = Capabilities is null ? null : new List<string>(Capabilities),
        Architectures = Architectures is null ? null : new List<string>(Architectures),
        MinKernel = MinKernel,
    };

    public override string ToString()
    {
        var parts = new List<string>();
        if (Capabilities is { Count: > 0 }) parts.Add("caps " + string.Join(",", Capabilities));
        if (Architectures is { Count: > 0 }) parts.Add("arches " + string.Join(",", Architectures));
        if (MinKernel is not null) parts.Add("kernel >= " + MinKernel);
        return parts.Count == 0 ? "(always)" : string.Join("; ", parts);
    }
}

/// <summary>One "archMap" entry of a Docker/Podman profile: on a machine whose main ABI is
/// <see cref="Architecture"/>, the filter admits it and its <see cref="SubArchitectures"/>.
/// Names are libseccomp's (SCMP_ARCH_AARCH64), kept as written.</summary>
public sealed class SeccompArchitectureMapEntry
{
    public string Architecture { get; set; } = "";

    /// <summary>The ABIs admitted beside it (null when the profile gives none or null).</summary>
    public List<string>? SubArchitectures { get; set; }

    /// <summary>True when the profile wrote "subArchitectures": null rather than leaving it out.</summary>
    internal bool SubArchitecturesNull { get; set; }

    public SeccompArchitectureMapEntry Copy() => new()
    {
        Architecture = Architecture,
        SubArchitectures = SubArchitectures is null ? null : new List<string>(SubArchitectures),
        SubArchitecturesNull = SubArchitecturesNull,
    };

    public override string ToString() => SubArchitectures is { Count: > 0 } ? $"{Architecture} ({string.Join(", ", SubArchitectures)})" : Architecture;
}

/// <summary>
/// The machine a portable profile is resolved for: its main ABI (which archMap entry applies and
/// what includes/excludes "arches" match), the container's capabilities and the kernel version.
/// <see cref="Current"/> is this machine with Docker's default capability set.
/// </summary>
public sealed class SeccompHost
{
    public SyscallArchitecture Architecture { get; init; } = SyscallArchitecture.X86_64;

    /// <summary>Capabilities (CAP_ prefix optional; ALL for every one). Default: Docker's default set.</summary>
    public IReadOnlyCollection<string> Capabilities { get; init; } = SeccompProfile.DockerDefaultCapabilities.ToArray();

    /// <summary>The kernel's major.minor. Default: the running kernel.</summary>
    public Version KernelVersion { get; init; } = SeccompProfile.RunningKernel();

    /// <summary>This machine (x86_64), Docker's default capabilities, the running kernel.</summary>
    public static SeccompHost Current => new();

    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{ArchitectureInfo.Get(Architecture).ScmpName}, kernel {KernelVersion.ToString(2)}, {Capabilities.Count} capabilities");
}
