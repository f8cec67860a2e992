namespace PSSyscall.HelpBuilder;

/// <summary>A help page that does not follow the platyPS schema, with the place to fix it.</summary>
public sealed class HelpFormatException : Exception
{
    public HelpFormatException(string file, int line, string message)
        : base(message)
    {
        File = file;
        Line = line;
    }

    public string File { get; }

    /// <summary>1-based line in <see cref="File"/>.</summary>
    public int Line { get; }

    /// <summary>MSBuild's canonical error format, so the build names the file and line:
    /// "docs/en-US/X.md(12): error HELP001: ...".</summary>
    public string ToCanonicalError() => Line > 0
        ? $"{File}({Line}): error HELP001: {Message}"
        : $"{File}: error HELP001: {Message}";
}
