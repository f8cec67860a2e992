using System.Globalization;
using System.Management.Automation.Host;

namespace PSSyscall.Shell;

/// <summary>The PSHost the engine writes to: console output, and the exit code that `exit` sets.</summary>
internal sealed class ShellHost : PSHost
{
    private readonly Guid _id = Guid.NewGuid();
    private readonly ShellHostUserInterface _ui = new();

    public override string Name => "PSSyscall.Shell";
    public override Version Version => typeof(ShellHost).Assembly.GetName().Version ?? new Version(0, 1);
    public override Guid InstanceId => _id;
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    /// <summary>Set when a script runs `exit N` at the top level.</summary>
    public int? ExitCode { get; private set; }

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
    public override void EnterNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported by this host.");
    public override void ExitNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported by this host.");
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
}
