using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Engine.Sandbox;

/// <summary>
/// Compiled seccomp policies, reused across sandbox runs in one process. libseccomp needs tens of
/// milliseconds for a profile the size of Docker's (about 1,000 instructions over three ABIs),
/// which would otherwise dominate a sandbox's start-up. A profile file is keyed by its full path,
/// size and modification time; a filter object by its content (its OCI JSON plus the settings OCI
/// JSON does not carry), so changing a filter after a run compiles it again.
/// </summary>
public static class SeccompPolicyCache
{
    private const int Capacity = 16;
    private static readonly object Gate = new();
    private static readonly LinkedList<(string Key, CompiledSeccompFilter Compiled)> Entries = new();

    /// <summary>Loads (Docker or OCI JSON) and compiles a profile file, or returns the cached result.</summary>
    public static CompiledSeccompFilter FromProfile(string path)
    {
        var info = new FileInfo(path);
        string key = info.Exists
            ? $"profile|{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}"
            : "";
        return key.Length == 0 ? SeccompProfile.Load(path).Compile() : GetOrAdd(key, () => SeccompProfile.Load(path).Compile());
    }

    /// <summary>Compiles a filter, or returns the cached program of an equal one.</summary>
    public static CompiledSeccompFilter FromFilter(SeccompFilter filter)
    {
        string key = $"filter|{filter.BadArchitectureAction}|{filter.IgnoreUnknownSyscalls}|{filter.Flags}|{SeccompProfileWriter.ToJson(filter)}";
        return GetOrAdd(key, filter.Compile);
    }

    private static CompiledSeccompFilter GetOrAdd(string key, Func<CompiledSeccompFilter> compile)
    {
        lock (Gate)
        {
            for (var node = Entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Key == key)
                {
                    Entries.Remove(node);
                    Entries.AddFirst(node);
                    return node.Value.Compiled;
                }
            }
        }
        CompiledSeccompFilter compiled = compile();
        lock (Gate)
        {
            Entries.AddFirst((key, compiled));
            while (Entries.Count > Capacity)
                Entries.RemoveLast();
        }
        return compiled;
    }
}
