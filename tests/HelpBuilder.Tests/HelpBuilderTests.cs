using System.Reflection;
using System.Xml.Linq;
using PSSyscall.HelpBuilder;

namespace PSSyscall.HelpBuilder.Tests;

/// <summary>tools/HelpBuilder: platyPS markdown in, MAML out, and malformed pages rejected with
/// the file and line.</summary>
public class HelpBuilderTests
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static string RepoRoot { get; } = typeof(HelpBuilderTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!;

    private const string Page = """
        ---
        external help file: Sample.dll-Help.xml
        Module Name: Sample
        online version:
        schema: 2.0.0
        ---

        # Get-Thing

        ## SYNOPSIS
        Gets things.

        ## SYNTAX

        ### ByName (Default)
        ```
        Get-Thing [-Name] <String[]> [-Force] [<CommonParameters>]
        ```

        ### ById
        ```
        Get-Thing -Id <Int32> [-Force] [<CommonParameters>]
        ```

        ## DESCRIPTION
        First paragraph,
        wrapped.

        - one item
        - two item

        ```powershell
        Get-Thing x
        ```

        ## EXAMPLES

        ### Example 1: Get one thing
        An introduction.

        ```powershell
        PS> Get-Thing foo
        ```

        ```Output
        foo
        ```

        It gets foo. See [about_Things](https://example.com/things).

        ### Example 2: By id
        ```powershell
        Get-Thing -Id 3
        ```

        ## PARAMETERS

        ### -Force
        Forces it.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases: f

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Id
        The id.

        ```yaml
        Type: Int32
        Parameter Sets: ById
        Aliases:

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: True (ByPropertyName)
        Accept wildcard characters: False
        ```

        ### -Name
        The names.

        Second paragraph.

        ```yaml
        Type: String[]
        Parameter Sets: ByName
        Aliases: N, ThingName

        Required: True
        Position: 0
        Default value: None
        Accept pipeline input: True (ByValue)
        Accept wildcard characters: True
        ```

        ### CommonParameters
        This cmdlet supports the common parameters.

        ## INPUTS

        ### System.String[]
        Names.

        ## OUTPUTS

        ### Sample.Thing
        A thing.

        ### System.Object

        ## NOTES
        A note.

        ## RELATED LINKS

        [Online Version](https://example.com/get-thing)

        [about_Things]()
        """;

    private static XElement Build(string text = Page, string name = "Get-Thing.md")
    {
        string dir = Directory.CreateTempSubdirectory("pssyscall-help-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, name), text);
            return XDocument.Parse(PSSyscall.HelpBuilder.HelpBuilder.Build(dir)).Root!.Element(Command + "command")!;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static HelpFormatException BuildFails(string text, string name = "Get-Thing.md")
    {
        string dir = Directory.CreateTempSubdirectory("pssyscall-help-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, name), text);
            var e = Assert.Throws<HelpFormatException>(() => PSSyscall.HelpBuilder.HelpBuilder.Build(dir));
            Assert.Equal(Path.Combine(dir, name), e.File);
            Assert.StartsWith($"{e.File}({e.Line}): error HELP001: ", e.ToCanonicalError());
            return e;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    // Empty paras are spacing (the writer ends each example's remarks with one).
    private static string[] Paras(XElement? e) => e!.Elements(Maml + "para").Select(p => p.Value).Where(p => p.Length > 0).ToArray();

    [Fact]
    public void DetailsAndDescription()
    {
        XElement c = Build();
        XElement details = c.Element(Command + "details")!;
        Assert.Equal("Get-Thing", details.Element(Command + "name")!.Value);
        Assert.Equal("Get", details.Element(Command + "verb")!.Value);
        Assert.Equal("Thing", details.Element(Command + "noun")!.Value);
        Assert.Equal(new[] { "Gets things." }, Paras(details.Element(Maml + "description")));
        Assert.Equal(new[] { "First paragraph, wrapped.", "- one item\n- two item", "Get-Thing x" }, Paras(c.Element(Maml + "description")));
    }

    [Fact]
    public void SyntaxHasOneItemPerParameterSetInTheSyntaxLinesOrder()
    {
        XElement c = Build();
        var items = c.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(new[] { "Name", "Force" }, items[0].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
        Assert.Equal(new[] { "Id", "Force" }, items[1].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
        XElement name = items[0].Elements(Command + "parameter").First();
        Assert.Equal("true", name.Attribute("required")!.Value);
        Assert.Equal("0", name.Attribute("position")!.Value);
        Assert.Equal("True (ByValue)", name.Attribute("pipelineInput")!.Value);
        Assert.Equal("String[]", name.Element(Command + "parameterValue")!.Value);
        // A switch has no value in the syntax.
        Assert.Null(items[0].Elements(Command + "parameter").Last().Element(Command + "parameterValue"));
    }

    [Fact]
    public void ParametersCarryTheirMetadata()
    {
        XElement c = Build();
        var ps = c.Element(Command + "parameters")!.Elements(Command + "parameter").ToDictionary(p => p.Element(Maml + "name")!.Value);
        Assert.Equal(new[] { "Force", "Id", "Name" }, ps.Keys);
        XElement name = ps["Name"];
        Assert.Equal(new[] { "The names.", "Second paragraph." }, Paras(name.Element(Maml + "description")));
        Assert.Equal("N, ThingName", name.Attribute("aliases")!.Value);
        Assert.Equal("true", name.Attribute("globbing")!.Value);
        Assert.Equal("String[]", name.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("None", name.Element(Dev + "defaultValue")!.Value);
        Assert.Equal("True (ByPropertyName)", ps["Id"].Attribute("pipelineInput")!.Value);
        Assert.Equal("named", ps["Id"].Attribute("position")!.Value);
        Assert.Equal("False", ps["Force"].Element(Dev + "defaultValue")!.Value);
        Assert.Equal("f", ps["Force"].Attribute("aliases")!.Value);
        Assert.Equal("none", ps["Id"].Attribute("aliases")!.Value);
    }

    [Fact]
    public void InputsOutputsNotesExamplesAndLinks()
    {
        XElement c = Build();
        XElement input = c.Element(Command + "inputTypes")!.Element(Command + "inputType")!;
        Assert.Equal("System.String[]", input.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal(new[] { "Names." }, Paras(input.Element(Maml + "description")));
        Assert.Equal(new[] { "Sample.Thing", "System.Object" },
            c.Element(Command + "returnValues")!.Elements(Command + "returnValue").Select(r => r.Element(Dev + "type")!.Element(Maml + "name")!.Value));
        Assert.Equal(new[] { "A note." }, Paras(c.Element(Maml + "alertSet")!.Element(Maml + "alert")));

        var examples = c.Element(Command + "examples")!.Elements(Command + "example").ToList();
        Assert.Equal(2, examples.Count);
        Assert.Contains("Example 1: Get one thing", examples[0].Element(Maml + "title")!.Value);
        Assert.Equal(new[] { "An introduction." }, Paras(examples[0].Element(Maml + "introduction")));
        Assert.Equal("PS> Get-Thing foo\n\nfoo", examples[0].Element(Dev + "code")!.Value);
        Assert.Equal(new[] { "It gets foo. See about_Things (https://example.com/things)." }, Paras(examples[0].Element(Dev + "remarks")));
        Assert.Equal("Get-Thing -Id 3", examples[1].Element(Dev + "code")!.Value);

        var links = c.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink")
            .Select(l => (l.Element(Maml + "linkText")!.Value, l.Element(Maml + "uri")!.Value)).ToList();
        Assert.Equal(new[] { ("Online Version", "https://example.com/get-thing"), ("about_Things", "") }, links);
    }

    [Fact]
    public void TheRealPagesConvert()
    {
        string docs = Path.Combine(RepoRoot, "docs", "en-US");
        var root = XDocument.Parse(PSSyscall.HelpBuilder.HelpBuilder.Build(docs)).Root!;
        var names = root.Elements(Command + "command").Select(c => c.Element(Command + "details")!.Element(Command + "name")!.Value).ToList();
        // One command per page.
        Assert.Equal(Directory.GetFiles(docs, "*-*.md").Select(Path.GetFileNameWithoutExtension).Order(), names.Order());
        Assert.Contains("Start-TracedProcess", names);
    }

    private static int LineOf(string text, string needle) => text.Split('\n').ToList().FindIndex(l => l.Contains(needle)) + 1;

    [Theory]
    [InlineData("Required: True\n", "", "has no 'Required:' value", "### -Id")]
    [InlineData("Position: 0", "Position: first", "is a number or Named", "Position: first")]
    [InlineData("Required: True\nPosition: 0", "Required: yes\nPosition: 0", "is True or False", "Required: yes")]
    [InlineData("## NOTES", "## NOTEZ", "Unknown section '## NOTEZ'", "## NOTEZ")]
    [InlineData("Parameter Sets: ById", "Parameter Sets: ByIdent", "names the parameter set 'ByIdent'", "### -Id")]
    [InlineData("Get-Thing -Id <Int32> [-Force]", "Get-Thing -Id <Int32> [-Force] [-Bogus]", "shows '-Bogus', which PARAMETERS does not describe", "Get-Thing -Id <Int32>")]
    [InlineData("Aliases: f\n", "Alias: f\n", "Unknown parameter metadata 'Alias'", "Alias: f")]
    public void AMalformedPageNamesTheFileAndLine(string find, string replace, string message, string lineWith)
    {
        string text = Page.Replace(find, replace);
        Assert.NotEqual(Page, text);
        HelpFormatException e = BuildFails(text);
        Assert.Contains(message, e.Message);
        int expected = lineWith == "### -Id" && message.Contains("Required")
            ? LineOf(text, "### -Id") + 3 // the ```yaml line of -Id, the first parameter with Required: True
            : lineWith.StartsWith("Get-Thing -Id", StringComparison.Ordinal) ? LineOf(text, lineWith) - 1 // the code fence of the set
            : LineOf(text, lineWith);
        Assert.Equal(expected, e.Line);
    }

    [Fact]
    public void OnlineVersionIsTheFirstLinkOnceAndMustBeAUri()
    {
        // The page lists [Online Version](https://example.com/get-thing) itself: the front matter's
        // same address is not repeated; another address comes first, before the page's links.
        XElement same = Build(Page.Replace("online version:", "online version: https://example.com/get-thing"));
        Assert.Equal(new[] { "https://example.com/get-thing", "" }, Links(same).Select(l => l.Uri));
        XElement other = Build(Page.Replace("online version:", "online version: https://example.com/docs/Get-Thing.md"));
        Assert.Equal(new[] { ("Online Version:", "https://example.com/docs/Get-Thing.md"), ("Online Version", "https://example.com/get-thing"), ("about_Things", "") }, Links(other));
        Assert.Contains("absolute http(s) URI", BuildFails(Page.Replace("online version:", "online version: docs/en-US/Get-Thing.md")).Message);

        static List<(string Text, string Uri)> Links(XElement c) => c.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink")
            .Select(l => (l.Element(Maml + "linkText")!.Value, l.Element(Maml + "uri")!.Value)).ToList();
    }

    [Fact]
    public void MissingSectionsAndUnclosedFencesAreErrors()
    {
        Assert.Contains("no '## EXAMPLES' section", BuildFails(Page[..Page.IndexOf("## EXAMPLES", StringComparison.Ordinal)] + Page[Page.IndexOf("## PARAMETERS", StringComparison.Ordinal)..]).Message);
        string unclosed = Page.Replace("A note.", "A note.\n\n```powershell\nGet-Thing");
        HelpFormatException fence = BuildFails(unclosed);
        Assert.Contains("The code fence '```' opened here is never closed", fence.Message);
        Assert.Equal(LineOf(unclosed, "A note.") + 2, fence.Line);
        Assert.Contains("has no ```yaml block", BuildFails(Page.Replace("```yaml\nType: Int32", "```\nType: Int32")).Message);
        Assert.Contains("schema: 2.0.0", BuildFails(Page.Replace("schema: 2.0.0", "schema: 1.0.0")).Message);
        Assert.Contains("name it 'Get-Thing.md'", BuildFails(Page, "Get-Other.md").Message);
    }
    [Fact]
    public void PlatyPSVariantsAreRead()
    {
        // What platyPS writes in other modules' pages: syntax lines wrapped over several lines,
        // "Accepted values:", an INPUTS type with no text right before OUTPUTS, related links on
        // consecutive lines, and a module page beside the command pages.
        const string variant = """
            ---
            external help file: Sample.dll-Help.xml
            Module Name: Sample
            online version: https://example.com/Set-Thing
            schema: 2.0.0
            ---

            # Set-Thing

            ## SYNOPSIS
            Sets a thing.

            ## SYNTAX

            ```
            Set-Thing [-Mode] <Mode> [-Name <String>]
             [-ProgressAction <ActionPreference>] [<CommonParameters>]
            ```

            ## DESCRIPTION
            Sets it.

            ## EXAMPLES

            ### Example 1
            ```powershell
            PS C:\> Set-Thing Fast
            ```

            Sets it fast.

            ## PARAMETERS

            ### -Mode
            How.

            ```yaml
            Type: Mode
            Parameter Sets: (All)
            Aliases:
            Accepted values: Fast, Slow

            Required: True
            Position: 0
            Default value: None
            Accept pipeline input: False
            Accept wildcard characters: False
            ```

            ### -Name
            Which.

            ```yaml
            Type: String
            Parameter Sets: (All)
            Aliases:

            Required: False
            Position: Named
            Default value: None
            Accept pipeline input: False
            Accept wildcard characters: False
            ```

            ### -ProgressAction
            New common parameter introduced in PowerShell 7.4.

            ```yaml
            Type: ActionPreference
            Parameter Sets: (All)
            Aliases: proga

            Required: False
            Position: Named
            Default value: None
            Accept pipeline input: False
            Accept wildcard characters: False
            ```

            ### CommonParameters
            This cmdlet supports the common parameters.

            ## INPUTS

            ### None
            ## OUTPUTS

            ### System.Object

            ## NOTES

            ## RELATED LINKS

            [One](https://example.com/one)
            [Two](https://example.com/two)
            """;
        const string modulePage = """
            ---
            Module Name: Sample
            Module Guid: 00000000-0000-0000-0000-000000000000
            Download Help Link:
            Help Version: 1.0.0.0
            Locale: en-US
            ---

            # Sample Module
            ## Description
            Things.
            """;
        string dir = Directory.CreateTempSubdirectory("pssyscall-help-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "Set-Thing.md"), variant.Replace("\r\n", "\n"));
            File.WriteAllText(Path.Combine(dir, "Sample.md"), modulePage);
            XElement c = Assert.Single(XDocument.Parse(PSSyscall.HelpBuilder.HelpBuilder.Build(dir)).Root!.Elements(Command + "command"));
            XElement item = Assert.Single(c.Element(Command + "syntax")!.Elements(Command + "syntaxItem"));
            Assert.Equal(new[] { "Mode", "Name", "ProgressAction" }, item.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
            XElement mode = item.Elements(Command + "parameter").First();
            Assert.Equal(new[] { "Fast", "Slow" }, mode.Element(Command + "parameterValueGroup")!.Elements(Command + "parameterValue").Select(v => v.Value));
            Assert.Equal("None", c.Element(Command + "inputTypes")!.Element(Command + "inputType")!.Element(Dev + "type")!.Element(Maml + "name")!.Value);
            Assert.Null(c.Element(Maml + "alertSet")); // an empty NOTES section
            // 'online version' comes first, as platyPS writes it: Get-Help -Online opens it.
            Assert.Equal(new[] { "Online Version:", "One", "Two" }, c.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink").Select(l => l.Element(Maml + "linkText")!.Value));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
