using System.Text;
using System.Text.RegularExpressions;

namespace PSSyscall.HelpBuilder;

/// <summary>The block structure of a markdown page, which is all the platyPS schema needs:
/// headings, fenced code, paragraphs (and lists). Every block keeps its 1-based line number so
/// errors can point at it.</summary>
public abstract record MarkdownBlock(int Line);

public sealed record HeadingBlock(int Line, int Level, string Text) : MarkdownBlock(Line);

public sealed record CodeBlock(int Line, string Info, string Text) : MarkdownBlock(Line);

/// <summary>A paragraph or list. List items start a new line; other soft line breaks join with a
/// space, as a markdown renderer would.</summary>
public sealed record ParagraphBlock(int Line, string Text) : MarkdownBlock(Line);

public sealed partial class MarkdownPage
{
    public required string File { get; init; }
    public Dictionary<string, string> FrontMatter { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<MarkdownBlock> Blocks { get; } = new();

    [GeneratedRegex(@"^(#{1,6})\s+(.*?)\s*#*\s*$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"^(\s*)(```+|~~~+)\s*([^`\s]*)")]
    private static partial Regex FencePattern();

    [GeneratedRegex(@"^\s*([-*+]|\d+[.)])\s+")]
    private static partial Regex ListItemPattern();

    public static MarkdownPage Parse(string file, string text)
    {
        var page = new MarkdownPage { File = file };
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        int i = 0;

        if (lines.Length > 0 && lines[0].Trim() == "---")
        {
            int end = Array.FindIndex(lines, 1, l => l.Trim() == "---");
            if (end < 0)
                throw new HelpFormatException(file, 1, "The front matter that starts here ('---') is never closed by a '---' line.");
            for (int k = 1; k < end; k++)
            {
                string l = lines[k];
                if (l.Trim().Length == 0)
                    continue;
                int colon = l.IndexOf(':');
                if (colon <= 0)
                    throw new HelpFormatException(file, k + 1, $"Front matter lines are 'key: value'; got '{l.Trim()}'.");
                page.FrontMatter[l[..colon].Trim()] = l[(colon + 1)..].Trim();
            }
            i = end + 1;
        }

        var para = new StringBuilder();
        int paraLine = 0;
        void FlushParagraph()
        {
            if (para.Length > 0)
                page.Blocks.Add(new ParagraphBlock(paraLine, para.ToString()));
            para.Clear();
        }

        for (; i < lines.Length; i++)
        {
            string line = lines[i];
            Match fence = FencePattern().Match(line);
            if (fence.Success)
            {
                FlushParagraph();
                string marker = fence.Groups[2].Value;
                int indent = fence.Groups[1].Value.Length;
                int start = i;
                var code = new List<string>();
                for (i++; ; i++)
                {
                    if (i >= lines.Length)
                        throw new HelpFormatException(file, start + 1, $"The code fence '{marker}' opened here is never closed.");
                    string t = lines[i].TrimStart();
                    if (t.StartsWith(marker, StringComparison.Ordinal) && t.Trim(marker[0]).Trim().Length == 0)
                        break;
                    // Remove the fence's own indentation (fences inside list items), no more.
                    string l = lines[i];
                    int strip = 0;
                    while (strip < indent && strip < l.Length && l[strip] == ' ')
                        strip++;
                    code.Add(l[strip..].TrimEnd());
                }
                page.Blocks.Add(new CodeBlock(start + 1, fence.Groups[3].Value, string.Join("\n", code)));
                continue;
            }

            Match heading = HeadingPattern().Match(line);
            if (heading.Success)
            {
                FlushParagraph();
                page.Blocks.Add(new HeadingBlock(i + 1, heading.Groups[1].Length, heading.Groups[2].Value));
                continue;
            }

            if (line.Trim().Length == 0)
            {
                FlushParagraph();
                continue;
            }

            if (para.Length == 0)
            {
                paraLine = i + 1;
                para.Append(line.Trim());
            }
            else if (ListItemPattern().IsMatch(line))
            {
                para.Append('\n').Append(line.Trim());
            }
            else
            {
                para.Append(' ').Append(line.Trim());
            }
        }
        FlushParagraph();
        return page;
    }
}
