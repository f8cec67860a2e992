using System.Management.Automation;

namespace PSSyscall.Commands;

/// <summary>
/// The base of the cmdlets that run a command line (Start-TracedProcess, Invoke-Sandboxed).
///
/// PowerShell binds a parameter token to any parameter whose name it starts, before the cmdlet
/// runs: <c>ls -p DIR</c> would bind -Path, <c>sh -c '...'</c> -Class, and <c>head -n 5</c> fails
/// as ambiguous (-Name, -NoFollow). Options of one letter are what command lines are made of, so
/// every letter is a hidden switch of its own here: an exact name always beats a prefix, a switch
/// takes no value, and <see cref="TrailingArguments"/> then gives the token back to the command in
/// its place. Longer tokens that match one of the cmdlet's parameters are given back the same way.
/// A letter before the command's name is an error that names the parameter to write out.
/// </summary>
public abstract class CommandLineCmdlet : PSCmdlet
{
    /// <summary>Set when -Verbose stood after the command's name: it was the command's
    /// (<c>java -verbose</c>), so this cmdlet's own verbose messages stay off unless the session
    /// asks for them ($VerbosePreference).</summary>
    internal bool VerboseBelongsToCommand { get; set; }

    /// <summary>ShouldProcess, which also writes a verbose "Performing the operation" line: skipped
    /// when -Verbose was the command's and neither -WhatIf, -Confirm nor $WhatIfPreference asks.</summary>
    internal bool ShouldProcessCommand(string target, string action)
    {
        bool asked = MyInvocation.BoundParameters.ContainsKey("WhatIf") || MyInvocation.BoundParameters.ContainsKey("Confirm")
            || LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
        return VerboseBelongsToCommand && !asked || ShouldProcess(target, action);
    }

    /// <summary>WriteVerbose, unless -Verbose was the command's (see <see cref="VerboseBelongsToCommand"/>).</summary>
    public new void WriteVerbose(string text)
    {
        if (!VerboseBelongsToCommand)
            base.WriteVerbose(text);
    }

    /// <summary>-a after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter A { get; set; }

    /// <summary>-b after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter B { get; set; }

    /// <summary>-c after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter C { get; set; }

    /// <summary>-d after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter D { get; set; }

    /// <summary>-e after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter E { get; set; }

    /// <summary>-f after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter F { get; set; }

    /// <summary>-g after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter G { get; set; }

    /// <summary>-h after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter H { get; set; }

    /// <summary>-i after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter I { get; set; }

    /// <summary>-j after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter J { get; set; }

    /// <summary>-k after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter K { get; set; }

    /// <summary>-l after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter L { get; set; }

    /// <summary>-m after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter M { get; set; }

    /// <summary>-n after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter N { get; set; }

    /// <summary>-o after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter O { get; set; }

    /// <summary>-p after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter P { get; set; }

    /// <summary>-q after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter Q { get; set; }

    /// <summary>-r after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter R { get; set; }

    /// <summary>-s after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter S { get; set; }

    /// <summary>-t after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter T { get; set; }

    /// <summary>-u after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter U { get; set; }

    /// <summary>-v after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter V { get; set; }

    /// <summary>-w after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter W { get; set; }

    /// <summary>-x after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter X { get; set; }

    /// <summary>-y after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter Y { get; set; }

    /// <summary>-z after the command's name: the command's (see <see cref="TrailingArguments"/>).</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter Z { get; set; }
}
