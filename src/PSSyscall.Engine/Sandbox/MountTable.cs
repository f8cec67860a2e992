using System.Globalization;

namespace PSSyscall.Engine.Sandbox;

/// <summary>The mount points this process sees (/proc/self/mountinfo), with their file system
/// types: what the sandbox's mount plan must make read-only.</summary>
internal sealed class MountTable
{
    private readonly List<(string MountPoint, string FsType)> _mounts = new();

    public static MountTable Read()
    {
        var table = new MountTable();
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            string[] fields = line.Split(' ');
            int dash = Array.IndexOf(fields, "-");
            if (dash < 5 || dash + 1 >= fields.Length)
                continue;
            table._mounts.Add((Unescape(fields[4]), fields[dash + 1]));
        }
        return table;
    }

    public bool IsMountPoint(string path) => _mounts.Any(m => m.MountPoint == path);

    /// <summary>Mount points of the given file system types, outermost first, leaving out those
    /// beneath another in the list (a recursive change to the outer one covers them).</summary>
    public IEnumerable<string> Outermost(Func<string, string, bool> select)
    {
        var chosen = new List<string>();
        foreach (string point in _mounts.Where(m => select(m.MountPoint, m.FsType)).Select(m => m.MountPoint).Distinct().OrderBy(p => p.Length))
        {
            if (!chosen.Any(outer => IsBeneath(point, outer)))
                chosen.Add(point);
        }
        return chosen;
    }

    public static bool IsBeneath(string path, string directory) =>
        path == directory || directory == "/" || path.StartsWith(directory.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static string Unescape(string field)
    {
        if (!field.Contains('\\'))
            return field;
        var sb = new System.Text.StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && int.TryParse(field.AsSpan(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                sb.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                sb.Append(field[i]);
            }
        }
        return sb.ToString();
    }
}
