using System.Text.Json.Nodes;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Engine.Tests.Seccomp;

/// <summary>Portable profiles: imported as written, exported back equal, resolved for a host only
/// when asked.</summary>
public class PortableProfileTests
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "data", "seccomp", name);

    /// <summary>JSON equality with object keys in any order (arrays in order).</summary>
    internal static bool JsonEqual(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => true,
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.ContainsKey(p.Key) && JsonEqual(p.Value, y[p.Key])),
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => JsonEqual(p.First, p.Second)),
        (JsonValue x, JsonValue y) => x.ToJsonString() == y.ToJsonString()
            || (decimal.TryParse(x.ToJsonString(), out decimal m) && decimal.TryParse(y.ToJsonString(), out decimal n) && m == n),
        _ => false,
    };

    /// <summary>The path of the first difference, for a failure message.</summary>
    internal static string? FirstDifference(JsonNode? a, JsonNode? b, string path)
    {
        if (JsonEqual(a, b)) return null;
        if (a is JsonObject x && b is JsonObject y)
        {
            foreach (var p in x)
                if (!y.ContainsKey(p.Key)) return $"{path}.{p.Key} (missing)";
                else if (FirstDifference(p.Value, y[p.Key], $"{path}.{p.Key}") is string d) return d;
            return $"{path} (extra keys: {string.Join(",", y.Select(p => p.Key).Where(k => !x.ContainsKey(k)))})";
        }
        if (a is JsonArray u && b is JsonArray v && u.Count == v.Count)
            for (int i = 0; i < u.Count; i++)
                if (FirstDifference(u[i], v[i], $"{path}[{i}]") is string d) return d;
        return $"{path}: {a?.ToJsonString()} vs {b?.ToJsonString()}";
    }

    [Theory]
    [InlineData("docker-default.json")]
    [InlineData("podman-containers-common.json")]
    [InlineData("containerd-runtime-default.json")]
    public void AnImportedProfileExportsBackToAnEqualDocument(string file)
    {
        string original = File.ReadAllText(Data(file));
        SeccompFilter filter = SeccompProfile.Load(Data(file));
        string exported = SeccompProfileWriter.ToJson(filter);
        Assert.True(JsonEqual(JsonNode.Parse(original), JsonNode.Parse(exported)), $"{file} exported differs at {FirstDifference(JsonNode.Parse(original), JsonNode.Parse(exported), "$")}");
        // And through a copy (what cmdlets hand on).
        Assert.True(JsonEqual(JsonNode.Parse(original), JsonNode.Parse(SeccompProfileWriter.ToJson(filter.Copy()))));
    }

    [Fact]
    public void DockersProfileKeepsItsArchMapAndEveryGroup()
    {
        SeccompFilter filter = SeccompProfile.Load(Data("docker-default.json"));
        Assert.True(filter.IsPortable);
        Assert.Equal(9, filter.ArchitectureMap!.Count);
        Assert.Equal("SCMP_ARCH_LOONGARCH64", filter.ArchitectureMap[8].Architecture);
        Assert.Equal(33, filter.Rules.Count);
        SeccompRule bpf = filter.Rules.First(r => r.Names.Contains("bpf"));
        Assert.Equal(new[] { "CAP_SYS_ADMIN" }, bpf.Includes!.Capabilities);
        Assert.Contains(filter.Rules, r => r.Includes?.MinKernel == "4.8");
        Assert.Contains(filter.Rules, r => r.Excludes?.Architectures is { Count: > 0 });
        Assert.Equal(SeccompAction.Errno(1), filter.DefaultAction);
    }

    [Fact]
    public void ResolvingIsExplicitAndFollowsTheHost()
    {
        SeccompFilter portable = SeccompProfile.Load(Data("docker-default.json"));

        SeccompFilter amd64 = portable.Resolve(new SeccompHost { Architecture = SyscallArchitecture.X86_64, KernelVersion = new Version(6, 1) });
        Assert.False(amd64.IsPortable);
        Assert.Null(amd64.ArchitectureMap);
        Assert.Equal(new[] { SyscallArchitecture.X86_64, SyscallArchitecture.I386, SyscallArchitecture.X32 }, amd64.Architectures);
        var names = amd64.Rules.SelectMany(r => r.Names).ToHashSet();
        Assert.Contains("arch_prctl", names);
        Assert.DoesNotContain("riscv_flush_icache", names);
        Assert.DoesNotContain("bpf", names);

        SeccompFilter arm64 = portable.Resolve(new SeccompHost { Architecture = SyscallArchitecture.Aarch64, KernelVersion = new Version(6, 1), Capabilities = new[] { "CAP_SYS_ADMIN" } });
        Assert.Equal(new[] { SyscallArchitecture.Aarch64, SyscallArchitecture.Arm }, arm64.Architectures);
        var armNames = arm64.Rules.SelectMany(r => r.Names).ToHashSet();
        Assert.Contains("arm_fadvise64_64", armNames);
        Assert.DoesNotContain("arch_prctl", armNames);
        Assert.Contains("bpf", armNames);

        // The original is left as written.
        Assert.True(portable.IsPortable);
        Assert.Equal(33, portable.Rules.Count);
        // A resolved profile exports as a plain OCI profile.
        string json = SeccompProfileWriter.ToJson(arm64);
        Assert.DoesNotContain("archMap", json);
        Assert.DoesNotContain("includes", json);
        Assert.Contains("\"SCMP_ARCH_AARCH64\"", json);
    }

    [Fact]
    public void PodmansOwnFieldsSurviveAndItResolves()
    {
        SeccompFilter podman = SeccompProfile.Load(Data("podman-containers-common.json"));
        Assert.Equal(SeccompAction.Errno(38), podman.DefaultAction);
        string json = SeccompProfileWriter.ToJson(podman);
        Assert.Contains("\"defaultErrno\": \"ENOSYS\"", json);
        SeccompFilter resolved = podman.Resolve(new SeccompHost { KernelVersion = new Version(6, 1) });
        Assert.Contains(resolved.Rules, r => r.Names.Contains("arch_prctl"));
        Assert.Equal("Errno(1)", resolved.Compile().Evaluate("bpf").Action);
    }

    [Fact]
    public void ContainerdsRuntimeDefaultIsAPlainOciProfile()
    {
        SeccompFilter containerd = SeccompProfile.Load(Data("containerd-runtime-default.json"));
        Assert.False(containerd.IsPortable);
        CompiledSeccompFilter compiled = containerd.Compile();
        Assert.Null(compiled.ResolvedFor);
        Assert.Equal("Allow", compiled.Evaluate("read").Action);
        Assert.Equal("Errno(38)", compiled.Evaluate("clone3").Action);
        Assert.Equal("Errno(1)", compiled.Evaluate("mount").Action);
    }

    [Fact]
    public void ChangedFieldsAreWrittenFromTheModel()
    {
        SeccompFilter filter = SeccompProfile.Load(Data("docker-default.json"));
        filter.DefaultAction = SeccompAction.Errno(38);
        filter.Rules[0].Names.Add("made_up_call");
        filter.ListenerPath = "/run/seccomp-agent.sock";
        filter.ListenerMetadata = "pod=a";
        filter.Flags = SeccompFilterFlags.Log;
        JsonNode node = JsonNode.Parse(SeccompProfileWriter.ToJson(filter))!;
        Assert.Equal(38, (int)node["defaultErrnoRet"]!);
        Assert.Equal("/run/seccomp-agent.sock", (string)node["listenerPath"]!);
        Assert.Equal("pod=a", (string)node["listenerMetadata"]!);
        Assert.Equal("SECCOMP_FILTER_FLAG_LOG", (string)node["flags"]![0]!);
        Assert.Contains("made_up_call", node["syscalls"]![0]!["names"]!.AsArray().Select(n => (string)n!));
        SeccompFilter again = SeccompProfile.Parse(node.ToJsonString());
        Assert.Equal("/run/seccomp-agent.sock", again.ListenerPath);
        Assert.Equal(SeccompFilterFlags.Log, again.Flags);
    }

    [Fact]
    public void AnErrnoRetBesideAnotherActionIsKeptOnlyWhileThatActionStays()
    {
        const string json = """{ "defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 5, "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_LOG", "errnoRet": 7 } ] }""";
        SeccompFilter f = SeccompProfile.Parse(json);
        Assert.True(JsonEqual(JsonNode.Parse(json), JsonNode.Parse(SeccompProfileWriter.ToJson(f))));
        f.DefaultAction = SeccompAction.KillProcess;
        f.Rules[0].Action = SeccompAction.Allow;
        JsonNode changed = JsonNode.Parse(SeccompProfileWriter.ToJson(f))!;
        Assert.Null(changed["defaultErrnoRet"]);
        Assert.Null(changed["syscalls"]![0]!["errnoRet"]);
        f.DefaultAction = SeccompAction.Errno(1);
        Assert.Equal(1, (int)JsonNode.Parse(SeccompProfileWriter.ToJson(f))!["defaultErrnoRet"]!);
    }

    [Fact]
    public void OtherToolsFieldsAreWrittenBackAsValidJson()
    {
        // Comments and trailing commas are read; what is written back is plain JSON.
        const string json = """{ "defaultAction": "SCMP_ACT_ALLOW", "x-note": [1, 2, /* two */ ], "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_LOG", "errno": { "name": "EPERM", }, } ] }""";
        string written = SeccompProfileWriter.ToJson(SeccompProfile.Parse(json));
        JsonNode node = JsonNode.Parse(written)!;
        Assert.Equal("[1,2]", node["x-note"]!.ToJsonString());
        Assert.Equal("EPERM", (string)node["syscalls"]![0]!["errno"]!["name"]!);
    }

    [Fact]
    public void CompilingAPortableProfileResolvesItForThisMachine()
    {
        SeccompFilter portable = SeccompProfile.Load(Data("docker-default.json"));
        CompiledSeccompFilter compiled = portable.Compile();
        Assert.NotNull(compiled.ResolvedFor);
        Assert.StartsWith("SCMP_ARCH_X86_64", compiled.ResolvedFor);
        Assert.Equal(compiled.Program, portable.Resolve().Compile().Program);
    }
}

public class PortableProfileArchitectureTests
{
    [Fact]
    public void AProfileWithoutArchitecturesIsForTheHostItIsResolvedFor()
    {
        SeccompFilter f = SeccompProfile.Parse("""{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": { "caps": ["CAP_CHOWN"] } } ] }""");
        Assert.Equal([SyscallArchitecture.X86_64], f.Architectures);
        Assert.DoesNotContain("architectures", SeccompProfileWriter.ToJson(f));
        Assert.Equal([SyscallArchitecture.Riscv64], f.Resolve(new SeccompHost { Architecture = SyscallArchitecture.Riscv64 }).Architectures);
        // Architectures set on the imported filter stay.
        f.Architectures = [SyscallArchitecture.Aarch64, SyscallArchitecture.Arm];
        Assert.Equal([SyscallArchitecture.Aarch64, SyscallArchitecture.Arm], f.Resolve(new SeccompHost { Architecture = SyscallArchitecture.Riscv64 }).Architectures);
        Assert.Contains("SCMP_ARCH_AARCH64", SeccompProfileWriter.ToJson(f));
    }
}
