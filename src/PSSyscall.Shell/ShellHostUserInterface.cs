using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace PSSyscall.Shell;

/// <summary>Console output for the engine: results to stdout, errors, warnings and verbose text
/// to stderr, as pwsh does when its streams are redirected.</summary>
internal sealed class ShellHostUserInterface : PSHostUserInterface
{
    private readonly ShellRawUserInterface _raw = new();
    private readonly object _lock = new();

    public override PSHostRawUserInterface RawUI => _raw;

    public override void Write(string value) { lock (_lock) Console.Out.Write(value); }
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);
    public override void WriteLine(string value) { lock (_lock) Console.Out.WriteLine(value); }
    public override void WriteErrorLine(string value) { lock (_lock) Console.Error.WriteLine(value); }
    public override void WriteDebugLine(string message) { lock (_lock) Console.Error.WriteLine("DEBUG: " + message); }
    public override void WriteVerboseLine(string message) { lock (_lock) Console.Error.WriteLine("VERBOSE: " + message); }
    public override void WriteWarningLine(string message) { lock (_lock) Console.Error.WriteLine("WARNING: " + message); }
    public override void WriteProgress(long sourceId, ProgressRecord record) { }
    public override void WriteInformation(InformationRecord record)
    {
        if (record.Tags.Contains("PSHOST"))
            WriteLine(record.MessageData?.ToString() ?? "");
    }

    public override string ReadLine() => Console.ReadLine() ?? "";

    public override SecureString ReadLineAsSecureString()
    {
        var s = new SecureString();
        foreach (char c in ReadLine())
            s.AppendChar(c);
        return s;
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        if (!string.IsNullOrEmpty(message))
            WriteLine(message);
        var result = new Dictionary<string, PSObject>();
        foreach (FieldDescription field in descriptions)
        {
            Write(field.Name + ": ");
            result[field.Name] = PSObject.AsPSObject(ReadLine());
        }
        return result;
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        WriteLine(message);
        for (int i = 0; i < choices.Count; i++)
            WriteLine($"[{i}] {choices[i].Label}");
        return int.TryParse(ReadLine(), out int n) && n >= 0 && n < choices.Count ? n : defaultChoice;
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
        => throw new NotSupportedException("Credential prompts are not supported by this host.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
        => throw new NotSupportedException("Credential prompts are not supported by this host.");
}
