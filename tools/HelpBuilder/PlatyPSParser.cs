using System.Text.RegularExpressions;

namespace PSSyscall.HelpBuilder;

/// <summary>
/// Reads one platyPS 2.0 schema page into a <see cref="CommandHelp"/>, checking the parts Get-Help
/// relies on: the page's sections, each syntax block, each parameter's yaml metadata, and that the
/// syntax and the parameters agree. Anything else is a <see cref="HelpFormatException"/> naming
/// the line, because a page that silently loses a section is worse than a failed build.
/// </summary>
public static partial class PlatyPSParser
{
    private static readonly string[] RequiredSections =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS"];

    private static readonly string[] KnownSections =
        [.. RequiredSections, "NOTES", "RELATED LINKS"];

    private static readonly string[] YamlKeys =
        ["Type", "Parameter Sets", "Aliases", "Accepted values", "Required", "Position", "Default value",
         "Accept pipeline input", "Accept wildcard characters", "Dynamic", "Applicable"];

    [GeneratedRegex(@"^[A-Za-z]+-[A-Za-z0-9]+$")]
    private static partial Regex CommandNamePattern();

    [GeneratedRegex(@"^(?<name>.+?)(\s+\((?<default>Default)\))?$", RegexOptions.IgnoreCase)]
    private static partial Regex SetHeadingPattern();

    [GeneratedRegex(@"(?<![\w`])-(?<name>[A-Za-z][A-Za-z0-9]*)\b")]
    private static partial Regex SyntaxParameterPattern();

    [GeneratedRegex(@"^\[(?<text>[^\]]*)\]\((?<uri>[^)]*)\)$")]
    private static partial Regex LinkLinePattern();

    [GeneratedRegex(@"\[(?<text>[^\]]+)\]\((?<uri>[^)\s]*)\)")]
    private static partial Regex InlineLinkPattern();

    [GeneratedRegex(@"\\([\\`*_{}\[\]()#+\-.!<>|])")]
    private static partial Regex EscapePattern();

    public static CommandHelp Parse(string file, string text)
    {
        MarkdownPage page = MarkdownPage.Parse(file, text);
        var blocks = page.Blocks;

        if (page.FrontMatter.Count == 0)
            throw new HelpFormatException(file, 1, "The page has no front matter; platyPS pages start with '---', 'schema: 2.0.0', '---'.");
        if (!page.FrontMatter.TryGetValue("schema", out string? schema) || schema != "2.0.0")
            throw new HelpFormatException(file, 1, $"The front matter must say 'schema: 2.0.0' (got '{schema ?? "nothing"}').");

        if (blocks.Count == 0 || blocks[0] is not HeadingBlock { Level: 1 } title)
            throw new HelpFormatException(file, blocks.Count > 0 ? blocks[0].Line : 1, "The page must begin with '# Verb-Noun', the command's name.");
        if (!CommandNamePattern().IsMatch(title.Text))
            throw new HelpFormatException(file, title.Line, $"'{title.Text}' is not a Verb-Noun command name.");

        var help = new CommandHelp { Name = title.Text, SourceFile = file };

        // Split into ## sections.
        var sections = new Dictionary<string, (HeadingBlock Heading, List<MarkdownBlock> Body)>(StringComparer.Ordinal);
        List<MarkdownBlock>? current = null;
        for (int i = 1; i < blocks.Count; i++)
        {
            MarkdownBlock b = blocks[i];
            if (b is HeadingBlock { Level: 1 } h1)
                throw new HelpFormatException(file, h1.Line, $"A second '# {h1.Text}' heading; a page documents one command.");
            if (b is HeadingBlock { Level: 2 } h2)
            {
                string name = h2.Text.Trim().ToUpperInvariant();
                if (!KnownSections.Contains(name))
                    throw new HelpFormatException(file, h2.Line, $"Unknown section '## {h2.Text}'. platyPS sections are: {string.Join(", ", KnownSections)}.");
                if (sections.ContainsKey(name))
                    throw new HelpFormatException(file, h2.Line, $"The section '## {name}' appears twice.");
                current = new List<MarkdownBlock>();
                sections[name] = (h2, current);
                continue;
            }
            if (current is null)
                throw new HelpFormatException(file, b.Line, "Text before the first '## SYNOPSIS' section.");
            current.Add(b);
        }
        int lastLine = text.Split('\n').Length;
        foreach (string required in RequiredSections)
            if (!sections.ContainsKey(required))
                throw new HelpFormatException(file, lastLine, $"The page has no '## {required}' section.");

        var synopsis = sections["SYNOPSIS"];
        help.Synopsis.AddRange(Paragraphs(file, synopsis.Body, "SYNOPSIS"));
        if (help.Synopsis.Count == 0)
            throw new HelpFormatException(file, synopsis.Heading.Line, "The SYNOPSIS is empty.");

        var description = sections["DESCRIPTION"];
        help.Description.AddRange(Paragraphs(file, description.Body, "DESCRIPTION"));
        if (help.Description.Count == 0)
            throw new HelpFormatException(file, description.Heading.Line, "The DESCRIPTION is empty.");

        ParseSyntax(help, file, sections["SYNTAX"].Heading, sections["SYNTAX"].Body);
        ParseExamples(help, file, sections["EXAMPLES"].Heading, sections["EXAMPLES"].Body);
        ParseParameters(help, file, sections["PARAMETERS"].Heading, sections["PARAMETERS"].Body);
        help.Inputs.AddRange(ParseTypes(file, sections["INPUTS"].Heading, sections["INPUTS"].Body));
        help.Outputs.AddRange(ParseTypes(file, sections["OUTPUTS"].Heading, sections["OUTPUTS"].Body));
        if (sections.TryGetValue("NOTES", out var notes))
            help.Notes.AddRange(Paragraphs(file, notes.Body, "NOTES"));
        if (sections.TryGetValue("RELATED LINKS", out var links))
            ParseLinks(help, file, links.Body);

        CheckSyntaxAgainstParameters(help, file);
        // platyPS's 'online version' becomes the first related link, which Get-Help -Online opens.
        if (page.FrontMatter.TryGetValue("online version", out string? online) && !string.IsNullOrWhiteSpace(online))
        {
            if (!Uri.TryCreate(online.Trim(), UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                throw new HelpFormatException(file, 1, $"'online version' must be an absolute http(s) URI for Get-Help -Online; got '{online}'.");
            // A page that also lists it as a link ([Online Version](uri)) keeps it once, first.
            help.Links.RemoveAll(l => Uri.TryCreate(l.Uri, UriKind.Absolute, out Uri? other) && other == uri);
            help.Links.Insert(0, new RelatedLink("Online Version:", uri.AbsoluteUri));
        }

        return help;
    }

    /// <summary>The text of a run of paragraph and code blocks; a heading here is a mistake.</summary>
    private static IEnumerable<string> Paragraphs(string file, IEnumerable<MarkdownBlock> body, string where)
    {
        foreach (MarkdownBlock b in body)
        {
            switch (b)
            {
                case ParagraphBlock p:
                    yield return Inline(p.Text);
                    break;
                case CodeBlock c:
                    yield return c.Text;
                    break;
                case HeadingBlock h:
                    throw new HelpFormatException(file, h.Line, $"Unexpected heading '{new string('#', h.Level)} {h.Text}' in {where}.");
            }
        }
    }

    /// <summary>Inline markdown a console reader should not see: links become their text (with
    /// the address when it is one), backslash escapes lose the backslash. Code spans stay as
    /// they are: `openat` reads well in a terminal.</summary>
    internal static string Inline(string text)
    {
        text = InlineLinkPattern().Replace(text, m =>
            m.Groups["uri"].Value.Length == 0 || m.Groups["uri"].Value == m.Groups["text"].Value
                ? m.Groups["text"].Value
                : $"{m.Groups["text"].Value} ({m.Groups["uri"].Value})");
        return EscapePattern().Replace(text, "$1");
    }

    private static void ParseSyntax(CommandHelp help, string file, HeadingBlock heading, List<MarkdownBlock> body)
    {
        // A command with one parameter set has a bare code block (platyPS writes no heading for
        // __AllParameterSets); otherwise each '### Set' heading has its code block.
        if (body.Count == 1 && body[0] is CodeBlock only)
        {
            AddSyntaxSet(help, file, "__AllParameterSets", isDefault: true, only);
            return;
        }
        for (int i = 0; i < body.Count; i++)
        {
            if (body[i] is not HeadingBlock { Level: 3 } h)
                throw new HelpFormatException(file, body[i].Line, "SYNTAX holds '### SetName' headings, each followed by one code block with the syntax line.");
            if (i + 1 >= body.Count || body[i + 1] is not CodeBlock code)
                throw new HelpFormatException(file, h.Line, $"The syntax block '### {h.Text}' has no code block with the syntax line after it.");
            i++;
            Match m = SetHeadingPattern().Match(h.Text.Trim());
            string setName = m.Groups["name"].Value.Trim();
            if (help.Syntax.Any(s => s.Name.Equals(setName, StringComparison.OrdinalIgnoreCase)))
                throw new HelpFormatException(file, h.Line, $"The parameter set '{setName}' is described twice.");
            AddSyntaxSet(help, file, setName, m.Groups["default"].Success, code);
        }
        if (help.Syntax.Count == 0)
            throw new HelpFormatException(file, heading.Line, "SYNTAX has no '### SetName' block.");
    }

    private static void AddSyntaxSet(CommandHelp help, string file, string setName, bool isDefault, CodeBlock code)
    {
        string syntax = code.Text.Trim();
        if (!syntax.StartsWith(help.Name, StringComparison.OrdinalIgnoreCase))
            throw new HelpFormatException(file, code.Line, $"The syntax line for '{setName}' must start with the command name '{help.Name}'.");
        var order = SyntaxParameterPattern().Matches(syntax[help.Name.Length..])
            .Select(x => x.Groups["name"].Value)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (syntax.Contains("<CommonParameters>", StringComparison.OrdinalIgnoreCase))
            help.SupportsCommonParameters = true;
        help.Syntax.Add(new SyntaxSet(setName, isDefault, order, code.Line));
    }

    private static void ParseExamples(CommandHelp help, string file, HeadingBlock heading, List<MarkdownBlock> body)
    {
        ExampleHelp? example = null;
        HeadingBlock? exampleHeading = null;
        void Finish()
        {
            if (example is not null && example.Code.Count == 0)
                throw new HelpFormatException(file, exampleHeading!.Line, $"The example '{example.Title}' has no code block.");
        }
        foreach (MarkdownBlock b in body)
        {
            switch (b)
            {
                case HeadingBlock { Level: 3 } h:
                    Finish();
                    example = new ExampleHelp { Title = h.Text.Trim() };
                    exampleHeading = h;
                    help.Examples.Add(example);
                    break;
                case HeadingBlock h:
                    throw new HelpFormatException(file, h.Line, $"Examples are '### Example N: title' headings; got '{new string('#', h.Level)} {h.Text}'.");
                case ParagraphBlock p when example is null:
                    throw new HelpFormatException(file, p.Line, "Text in EXAMPLES before the first '### Example 1: title' heading.");
                case CodeBlock c when example is null:
                    throw new HelpFormatException(file, c.Line, "Code in EXAMPLES before the first '### Example 1: title' heading.");
                case CodeBlock c:
                    // Code after remarks is part of the remarks (e.g. sample output shown
                    // between explanations); code before any remark is the example itself.
                    if (example!.Remarks.Count == 0)
                        example.Code.Add(c.Text);
                    else
                        example.Remarks.Add(c.Text);
                    break;
                case ParagraphBlock p:
                    if (example!.Code.Count == 0)
                        example.Introduction.Add(Inline(p.Text));
                    else
                        example.Remarks.Add(Inline(p.Text));
                    break;
            }
        }
        Finish();
        if (help.Examples.Count == 0)
            throw new HelpFormatException(file, heading.Line, "EXAMPLES has no '### Example 1: title' example.");
    }

    private static void ParseParameters(CommandHelp help, string file, HeadingBlock heading, List<MarkdownBlock> body)
    {
        ParameterHelp? parameter = null;
        HeadingBlock? parameterHeading = null;
        bool inCommon = false;
        void Finish()
        {
            if (parameter is not null && parameter.Usages.Count == 0)
                throw new HelpFormatException(file, parameterHeading!.Line, $"The parameter '-{parameter.Name}' has no ```yaml block (Type, Parameter Sets, Required, Position, ...).");
        }
        foreach (MarkdownBlock b in body)
        {
            if (b is HeadingBlock h)
            {
                if (h.Level != 3)
                    throw new HelpFormatException(file, h.Line, $"Parameters are '### -Name' headings; got '{new string('#', h.Level)} {h.Text}'.");
                Finish();
                string name = h.Text.Trim();
                if (name.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("WorkflowCommonParameters", StringComparison.OrdinalIgnoreCase))
                {
                    help.SupportsCommonParameters = true;
                    inCommon = true;
                    parameter = null;
                    continue;
                }
                if (!name.StartsWith('-') || name.Length < 2)
                    throw new HelpFormatException(file, h.Line, $"A parameter heading is '### -Name'; got '### {name}'.");
                inCommon = false;
                name = name[1..];
                if (help.Parameters.Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                    throw new HelpFormatException(file, h.Line, $"The parameter '-{name}' is described twice.");
                parameter = new ParameterHelp { Name = name, Line = h.Line };
                parameterHeading = h;
                help.Parameters.Add(parameter);
                continue;
            }
            if (inCommon)
                continue; // the standard sentence about CommonParameters; Get-Help adds its own.
            if (parameter is null)
                throw new HelpFormatException(file, b.Line, "Text in PARAMETERS before the first '### -Name' heading.");
            if (b is CodeBlock { Info: "yaml" } yaml)
                ParseYaml(parameter, file, yaml);
            else if (parameter.Usages.Count > 0)
                throw new HelpFormatException(file, b.Line, $"Text after the ```yaml block of '-{parameter.Name}'; the description goes before it.");
            else
                parameter.Description.Add(b is CodeBlock c ? c.Text : Inline(((ParagraphBlock)b).Text));
        }
        Finish();
    }

    private static void ParseYaml(ParameterHelp parameter, string file, CodeBlock yaml)
    {
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
        string[] lines = yaml.Text.Split('\n');
        for (int k = 0; k < lines.Length; k++)
        {
            string l = lines[k];
            int line = yaml.Line + 1 + k;
            if (l.Trim().Length == 0)
                continue;
            int colon = l.IndexOf(':');
            if (colon <= 0)
                throw new HelpFormatException(file, line, $"A parameter's yaml lines are 'Key: value'; got '{l.Trim()}'.");
            string key = l[..colon].Trim();
            if (!YamlKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                throw new HelpFormatException(file, line, $"Unknown parameter metadata '{key}'. Known: {string.Join(", ", YamlKeys)}.");
            values[key] = (l[(colon + 1)..].Trim(), line);
        }

        string Need(string key)
        {
            if (!values.TryGetValue(key, out var v) || v.Value.Length == 0)
                throw new HelpFormatException(file, yaml.Line, $"The yaml block of '-{parameter.Name}' has no '{key}:' value.");
            return v.Value;
        }
        bool Bool(string key)
        {
            string v = Need(key);
            if (v.Equals("True", StringComparison.OrdinalIgnoreCase)) return true;
            if (v.Equals("False", StringComparison.OrdinalIgnoreCase)) return false;
            throw new HelpFormatException(file, values[key].Line, $"'{key}' of '-{parameter.Name}' is True or False; got '{v}'.");
        }

        string type = Need("Type");
        if (parameter.Type.Length > 0 && !parameter.Type.Equals(type, StringComparison.OrdinalIgnoreCase))
            throw new HelpFormatException(file, values["Type"].Line, $"'-{parameter.Name}' has type '{parameter.Type}' in one yaml block and '{type}' in another.");
        parameter.Type = type;

        string sets = Need("Parameter Sets");
        bool all = sets.Equals("(All)", StringComparison.OrdinalIgnoreCase);
        var setNames = all ? new List<string>() : sets.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

        string position = Need("Position");
        if (!position.Equals("Named", StringComparison.OrdinalIgnoreCase) && !int.TryParse(position, out _))
            throw new HelpFormatException(file, values["Position"].Line, $"'Position' of '-{parameter.Name}' is a number or Named; got '{position}'.");
        position = int.TryParse(position, out int p) ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "named";

        string pipeline = values.TryGetValue("Accept pipeline input", out var pi) && pi.Value.Length > 0 ? pi.Value : "False";
        if (!pipeline.StartsWith("True", StringComparison.OrdinalIgnoreCase) && !pipeline.Equals("False", StringComparison.OrdinalIgnoreCase))
            throw new HelpFormatException(file, pi.Line, $"'Accept pipeline input' of '-{parameter.Name}' is False, True (ByValue), True (ByPropertyName) or True (ByPropertyName, ByValue); got '{pipeline}'.");

        parameter.Usages.Add(new ParameterSetUsage(setNames, all, Bool("Required"), position, pipeline));

        if (values.TryGetValue("Aliases", out var aliases))
            foreach (string a in aliases.Value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0 && !s.Equals("None", StringComparison.OrdinalIgnoreCase)))
                if (!parameter.Aliases.Contains(a, StringComparer.OrdinalIgnoreCase))
                    parameter.Aliases.Add(a);
        if (values.TryGetValue("Accepted values", out var accepted))
            foreach (string v in accepted.Value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0))
                if (!parameter.AcceptedValues.Contains(v, StringComparer.OrdinalIgnoreCase))
                    parameter.AcceptedValues.Add(v);
        if (values.TryGetValue("Default value", out var def) && def.Value.Length > 0)
            parameter.DefaultValue = def.Value;
        if (values.ContainsKey("Accept wildcard characters"))
            parameter.Globbing |= Bool("Accept wildcard characters");
    }

    private static IEnumerable<TypeHelp> ParseTypes(string file, HeadingBlock heading, List<MarkdownBlock> body)
    {
        string? name = null;
        var description = new List<string>();
        var result = new List<TypeHelp>();
        foreach (MarkdownBlock b in body)
        {
            if (b is HeadingBlock h)
            {
                if (h.Level != 3)
                    throw new HelpFormatException(file, h.Line, $"Types in {heading.Text} are '### TypeName' headings; got '{new string('#', h.Level)} {h.Text}'.");
                if (name is not null)
                    result.Add(new TypeHelp(name, description.ToList()));
                name = h.Text.Trim();
                description.Clear();
                continue;
            }
            if (name is null)
                throw new HelpFormatException(file, b.Line, $"Text in {heading.Text} before the first '### TypeName' heading (write '### None' when there is none).");
            description.Add(b is CodeBlock c ? c.Text : Inline(((ParagraphBlock)b).Text));
        }
        if (name is not null)
            result.Add(new TypeHelp(name, description.ToList()));
        if (result.Count == 0)
            throw new HelpFormatException(file, heading.Line, $"{heading.Text} names no type; write '### None' when there is none.");
        return result;
    }

    private static void ParseLinks(CommandHelp help, string file, List<MarkdownBlock> body)
    {
        foreach (MarkdownBlock b in body)
        {
            if (b is not ParagraphBlock p)
                throw new HelpFormatException(file, b.Line, "RELATED LINKS holds '[text](uri)' lines only.");
            foreach (string raw in p.Text.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries)
                         .SelectMany(l => Regex.Split(l.Trim(), @"(?<=\))\s+(?=\[)")))
            {
                string item = raw.Trim().TrimStart('-', '*').Trim();
                Match m = LinkLinePattern().Match(item);
                if (!m.Success)
                    throw new HelpFormatException(file, p.Line, $"A related link is '[text](uri)'; got '{item}'.");
                help.Links.Add(new RelatedLink(m.Groups["text"].Value.Trim(), m.Groups["uri"].Value.Trim()));
            }
        }
    }

    private static void CheckSyntaxAgainstParameters(CommandHelp help, string file)
    {
        var setNames = help.Syntax.Select(s => s.Name).ToList();
        foreach (ParameterHelp parameter in help.Parameters)
        {
            foreach (ParameterSetUsage usage in parameter.Usages)
                foreach (string set in usage.Sets)
                    if (!setNames.Contains(set, StringComparer.OrdinalIgnoreCase))
                        throw new HelpFormatException(file, parameter.Line,
                            $"'-{parameter.Name}' names the parameter set '{set}', which SYNTAX does not describe (sets: {string.Join(", ", setNames)}).");
        }
        foreach (SyntaxSet set in help.Syntax)
        {
            foreach (string name in set.ParameterOrder)
            {
                ParameterHelp? parameter = help.Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                if (parameter is null)
                    throw new HelpFormatException(file, set.Line, $"The syntax of '{set.Name}' shows '-{name}', which PARAMETERS does not describe.");
                if (parameter.UsageFor(set.Name) is null)
                    throw new HelpFormatException(file, set.Line, $"The syntax of '{set.Name}' shows '-{name}', whose 'Parameter Sets' do not include '{set.Name}'.");
            }
            foreach (ParameterHelp parameter in help.Parameters)
                if (parameter.UsageFor(set.Name) is not null && !set.ParameterOrder.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
                    throw new HelpFormatException(file, set.Line, $"'-{parameter.Name}' belongs to the parameter set '{set.Name}' but its syntax line does not show it.");
        }
    }
}
