using System.Collections.Frozen;

namespace PSSyscall.Engine.Syscalls;

/// <summary>
/// systemd-style syscall groups (@file-system, @network-io, @system-service ...) as data, with
/// nested groups expanded. Group names are matched case-insensitively, with or without the @.
/// </summary>
public static partial class SyscallGroups
{
    // Built on first use: Data lives in the other part of this class, and static field initialisers
    // of a partial class run in no guaranteed order across its files.
    private static FrozenDictionary<string, (string Description, string[] Members)>? _groups;
    private static string[]? _names;

    private static FrozenDictionary<string, (string Description, string[] Members)> Groups
        => _groups ??= Data.ToFrozenDictionary(g => g.Name, g => (g.Description, g.Members.Split(' ', StringSplitOptions.RemoveEmptyEntries)), StringComparer.OrdinalIgnoreCase);

    /// <summary>Every group name (with its @), in alphabetical order.</summary>
    public static IReadOnlyList<string> Names => _names ??= Data.Select(g => g.Name).Order(StringComparer.Ordinal).ToArray();

    /// <summary>True for a name that refers to a group (starts with @).</summary>
    public static bool IsGroupName(string name) => name.StartsWith('@');

    /// <summary>The canonical name (@file-system) for a group name in any case, with or without @.</summary>
    public static bool TryGetCanonicalName(string name, out string canonical)
    {
        string key = name.StartsWith('@') ? name : "@" + name;
        foreach (var g in Data)
        {
            if (string.Equals(g.Name, key, StringComparison.OrdinalIgnoreCase))
            {
                canonical = g.Name;
                return true;
            }
        }
        canonical = "";
        return false;
    }

    public static string GetDescription(string group)
        => Groups.TryGetValue(Key(group), out var g) ? g.Description : throw UnknownGroup(group);

    /// <summary>The group's direct members as systemd lists them (other groups stay as @names).</summary>
    public static IReadOnlyList<string> GetDirectMembers(string group)
        => Groups.TryGetValue(Key(group), out var g) ? g.Members : throw UnknownGroup(group);

    /// <summary>Every syscall name in the group, nested groups expanded, sorted, without duplicates.</summary>
    public static IReadOnlyList<string> Expand(string group)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        Expand(group, names, new HashSet<string>(StringComparer.OrdinalIgnoreCase));
        return names.ToArray();
    }

    private static void Expand(string group, SortedSet<string> names, HashSet<string> visiting)
    {
        if (!Groups.TryGetValue(Key(group), out var g))
            throw UnknownGroup(group);
        if (!visiting.Add(Key(group)))
            return;
        foreach (string member in g.Members)
        {
            if (IsGroupName(member))
                Expand(member, names, visiting);
            else
                names.Add(member);
        }
    }

    private static string Key(string group) => group.StartsWith('@') ? group : "@" + group;

    private static Seccomp.SeccompException UnknownGroup(string group)
    {
        string? suggestion = SyscallNameMatcher.Closest(Key(group), Names);
        string hint = suggestion is null ? " Get-SeccompGroup lists the groups." : $" Did you mean '{suggestion}'?";
        return new Seccomp.SeccompException("UnknownGroup", $"No syscall group named '{group}'.{hint}", group);
    }
}
