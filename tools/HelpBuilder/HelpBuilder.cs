namespace PSSyscall.HelpBuilder;

/// <summary>Turns a docs folder into one MAML file.</summary>
public static class HelpBuilder
{
    /// <summary>Parses every command page in <paramref name="docsDirectory"/> (about_ topics are
    /// plain-text help shipped as they are, so they are skipped) and returns the MAML text.</summary>
    public static string Build(string docsDirectory)
    {
        var pages = Directory.GetFiles(docsDirectory, "*.md")
            .Where(f => !Path.GetFileName(f).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        if (pages.Count == 0)
            throw new HelpFormatException(docsDirectory, 0, "No command pages (*.md) in the docs folder.");
        var commands = new List<CommandHelp>();
        foreach (string page in pages)
        {
            if (IsModulePage(page))
                continue;
            CommandHelp help = PlatyPSParser.Parse(page, File.ReadAllText(page));
            string expected = Path.GetFileNameWithoutExtension(page);
            if (!help.Name.Equals(expected, StringComparison.OrdinalIgnoreCase))
                throw new HelpFormatException(page, 1, $"The page documents '{help.Name}' but is named '{Path.GetFileName(page)}'; name it '{help.Name}.md'.");
            commands.Add(help);
        }
        return MamlWriter.Write(commands);
    }

    /// <summary>platyPS's module page (&lt;Module&gt;.md, front matter with "Module Guid") lists the
    /// commands; it is not command help.</summary>
    private static bool IsModulePage(string page)
    {
        using var reader = new StreamReader(page);
        if (reader.ReadLine()?.Trim() != "---")
            return false;
        for (string? line = reader.ReadLine(); line is not null && line.Trim() != "---"; line = reader.ReadLine())
            if (line.StartsWith("Module Guid:", StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }

    /// <summary>Writes the file only when its text changes, through a temporary file, so a
    /// failed or interrupted build never leaves a half-written help file behind.</summary>
    public static void WriteIfChanged(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (File.Exists(path) && File.ReadAllText(path) == text)
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow); // up to date for MSBuild's Inputs/Outputs check
            return;
        }
        string temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
