using System.Text;
using System.Xml;

namespace PSSyscall.HelpBuilder;

/// <summary>
/// Writes commands as the MAML that PowerShell's help system reads for a binary module
/// (&lt;Assembly&gt;.dll-Help.xml in the module's culture folder), in the shape platyPS produces.
/// </summary>
public static class MamlWriter
{
    private const string Msh = "http://msh";
    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private const string MSHelp = "http://msdn.microsoft.com/mshelp";

    public static string Write(IEnumerable<CommandHelp> commands)
    {
        var sb = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using (var sw = new Utf8StringWriter(sb))
        using (XmlWriter w = XmlWriter.Create(sw, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("helpItems", Msh);
            w.WriteAttributeString("schema", "maml");
            foreach (CommandHelp c in commands)
                WriteCommand(w, c);
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return sb.Append('\n').ToString();
    }

    private static void WriteCommand(XmlWriter w, CommandHelp c)
    {
        w.WriteStartElement("command", "command", Command);
        w.WriteAttributeString("xmlns", "maml", null, Maml);
        w.WriteAttributeString("xmlns", "command", null, Command);
        w.WriteAttributeString("xmlns", "dev", null, Dev);
        w.WriteAttributeString("xmlns", "MSHelp", null, MSHelp);

        w.WriteStartElement("command", "details", Command);
        w.WriteElementString("command", "name", Command, c.Name);
        w.WriteElementString("command", "verb", Command, c.Verb);
        w.WriteElementString("command", "noun", Command, c.Noun);
        Description(w, c.Synopsis);
        w.WriteEndElement();

        Description(w, c.Description);

        w.WriteStartElement("command", "syntax", Command);
        foreach (SyntaxSet set in c.Syntax)
        {
            w.WriteStartElement("command", "syntaxItem", Command);
            w.WriteElementString("maml", "name", Maml, c.Name);
            foreach (string name in set.ParameterOrder)
            {
                ParameterHelp p = c.Parameters.First(x => x.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                Parameter(w, p, p.UsageFor(set.Name)!, inSyntax: true);
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();

        w.WriteStartElement("command", "parameters", Command);
        foreach (ParameterHelp p in c.Parameters)
            Parameter(w, p, MostTelling(p, c), inSyntax: false);
        w.WriteEndElement();

        Types(w, "inputTypes", "inputType", c.Inputs);
        Types(w, "returnValues", "returnValue", c.Outputs);

        if (c.Notes.Count > 0)
        {
            w.WriteStartElement("maml", "alertSet", Maml);
            w.WriteStartElement("maml", "alert", Maml);
            Paras(w, c.Notes);
            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteStartElement("command", "examples", Command);
        foreach (ExampleHelp e in c.Examples)
        {
            w.WriteStartElement("command", "example", Command);
            w.WriteElementString("maml", "title", Maml, $"-------------------------- {e.Title} --------------------------");
            if (e.Introduction.Count > 0)
            {
                w.WriteStartElement("maml", "introduction", Maml);
                Paras(w, e.Introduction);
                w.WriteEndElement();
            }
            w.WriteElementString("dev", "code", Dev, string.Join("\n\n", e.Code));
            w.WriteStartElement("dev", "remarks", Dev);
            Paras(w, e.Remarks);
            // Get-Help prints the next example's title right under the last remark otherwise.
            w.WriteElementString("maml", "para", Maml, "");
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();

        w.WriteStartElement("command", "relatedLinks", Command);
        foreach (RelatedLink link in c.Links)
        {
            w.WriteStartElement("maml", "navigationLink", Maml);
            w.WriteElementString("maml", "linkText", Maml, link.Text);
            w.WriteElementString("maml", "uri", Maml, link.Uri);
            w.WriteEndElement();
        }
        w.WriteEndElement();

        w.WriteEndElement();
    }

    /// <summary>For the PARAMETERS list, which shows one entry per parameter: the usage where it
    /// is required or positional, as that is what a reader needs to know.</summary>
    private static ParameterSetUsage MostTelling(ParameterHelp p, CommandHelp c)
        => p.Usages.FirstOrDefault(u => u.Required) ?? p.Usages.FirstOrDefault(u => u.Position != "named") ?? p.Usages[0];

    private static void Parameter(XmlWriter w, ParameterHelp p, ParameterSetUsage usage, bool inSyntax)
    {
        w.WriteStartElement("command", "parameter", Command);
        w.WriteAttributeString("required", usage.Required ? "true" : "false");
        w.WriteAttributeString("variableLength", "true");
        w.WriteAttributeString("globbing", p.Globbing ? "true" : "false");
        w.WriteAttributeString("pipelineInput", usage.PipelineInput);
        w.WriteAttributeString("position", usage.Position);
        w.WriteAttributeString("aliases", p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases));
        w.WriteElementString("maml", "name", Maml, p.Name);
        Description(w, p.Description);
        if (inSyntax && p.AcceptedValues.Count > 0)
        {
            // Get-Help shows these as "-Name {A | B}" in the syntax.
            w.WriteStartElement("command", "parameterValueGroup", Command);
            foreach (string v in p.AcceptedValues)
            {
                w.WriteStartElement("command", "parameterValue", Command);
                w.WriteAttributeString("required", "false");
                w.WriteAttributeString("command", "variableLength", Command, "false");
                w.WriteString(v);
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        if (!p.IsSwitch)
        {
            w.WriteStartElement("command", "parameterValue", Command);
            w.WriteAttributeString("required", "true");
            w.WriteAttributeString("variableLength", "false");
            w.WriteString(p.Type);
            w.WriteEndElement();
        }
        w.WriteStartElement("dev", "type", Dev);
        w.WriteElementString("maml", "name", Maml, p.Type);
        w.WriteElementString("maml", "uri", Maml, "");
        w.WriteEndElement();
        w.WriteElementString("dev", "defaultValue", Dev, p.DefaultValue ?? (p.IsSwitch ? "False" : "None"));
        w.WriteEndElement();
    }

    private static void Types(XmlWriter w, string listName, string itemName, List<TypeHelp> types)
    {
        w.WriteStartElement("command", listName, Command);
        foreach (TypeHelp t in types)
        {
            w.WriteStartElement("command", itemName, Command);
            w.WriteStartElement("dev", "type", Dev);
            w.WriteElementString("maml", "name", Maml, t.Name);
            w.WriteEndElement();
            Description(w, t.Description);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void Description(XmlWriter w, IEnumerable<string> paragraphs)
    {
        w.WriteStartElement("maml", "description", Maml);
        Paras(w, paragraphs);
        w.WriteEndElement();
    }

    private static void Paras(XmlWriter w, IEnumerable<string> paragraphs)
    {
        foreach (string p in paragraphs)
            w.WriteElementString("maml", "para", Maml, p);
    }

    private sealed class Utf8StringWriter(StringBuilder sb) : StringWriter(sb)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
