namespace PSSyscall.HelpBuilder;

// The content of one platyPS page, as the MAML writer needs it. Text is kept as paragraphs:
// one string per markdown paragraph, list or code fence (code keeps its line breaks).

public sealed class CommandHelp
{
    public required string Name { get; init; }
    public string Verb => Name[..Name.IndexOf('-')];
    public string Noun => Name[(Name.IndexOf('-') + 1)..];
    public required string SourceFile { get; init; }
    public List<string> Synopsis { get; } = new();
    public List<string> Description { get; } = new();
    public List<SyntaxSet> Syntax { get; } = new();
    public List<ExampleHelp> Examples { get; } = new();
    public List<ParameterHelp> Parameters { get; } = new();
    public bool SupportsCommonParameters { get; set; }
    public List<TypeHelp> Inputs { get; } = new();
    public List<TypeHelp> Outputs { get; } = new();
    public List<string> Notes { get; } = new();
    public List<RelatedLink> Links { get; } = new();
}

/// <summary>A "### Set" block of SYNTAX: its name and the parameter names in the order the
/// syntax line shows them.</summary>
public sealed record SyntaxSet(string Name, bool IsDefault, IReadOnlyList<string> ParameterOrder, int Line);

public sealed class ExampleHelp
{
    public required string Title { get; init; }
    public List<string> Introduction { get; } = new();
    public List<string> Code { get; } = new();
    public List<string> Remarks { get; } = new();
}

public sealed class ParameterHelp
{
    public required string Name { get; init; }

    /// <summary>The line of its '### -Name' heading.</summary>
    public int Line { get; init; }
    public List<string> Description { get; } = new();
    public string Type { get; set; } = "";
    public List<string> Aliases { get; } = new();

    /// <summary>The values a ValidateSet or an enum allows ("Accepted values:"), shown in the syntax.</summary>
    public List<string> AcceptedValues { get; } = new();
    public string? DefaultValue { get; set; }
    public bool Globbing { get; set; }

    /// <summary>One entry per ```yaml block: a parameter may be required or positional in one set only.</summary>
    public List<ParameterSetUsage> Usages { get; } = new();

    public bool IsSwitch => Type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase)
        || Type.Equals("System.Management.Automation.SwitchParameter", StringComparison.OrdinalIgnoreCase);

    public ParameterSetUsage? UsageFor(string set)
        => Usages.FirstOrDefault(u => u.Sets.Contains(set, StringComparer.OrdinalIgnoreCase))
           ?? Usages.FirstOrDefault(u => u.AllSets);
}

/// <summary>How a parameter behaves in some parameter sets (one yaml block).</summary>
public sealed record ParameterSetUsage(IReadOnlyList<string> Sets, bool AllSets, bool Required, string Position, string PipelineInput);

public sealed record TypeHelp(string Name, IReadOnlyList<string> Description);

public sealed record RelatedLink(string Text, string Uri);
