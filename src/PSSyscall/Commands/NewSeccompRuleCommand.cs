using System.Management.Automation;
using PSSyscall.Completion;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Commands;

/// <summary>New-SeccompRule: one rule (syscalls, action, argument conditions) for New-SeccompFilter -Rule.</summary>
[Cmdlet(VerbsCommon.New, "SeccompRule", HelpUri = HelpLinks.Base + "New-SeccompRule.md")]
[OutputType(typeof(SeccompRule))]
public sealed class NewSeccompRuleCommand : PSCmdlet
{
    /// <summary>Syscall names and @groups the rule applies to.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SeccompGroupCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Allow, Errno, Errno(EACCES), KillProcess, KillThread, Trap, Log, Trace, Trace(5), Notify.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(SeccompActionCompleter))]
    [ValidateNotNullOrEmpty]
    public string Action { get; set; } = "";

    /// <summary>The errno of an Errno action (name or number; EPERM if not given).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Validation.ValidateErrnoName]
    [ArgumentCompleter(typeof(ErrnoNameCompleter))]
    public string? ErrorNumber { get; set; }

    /// <summary>Argument conditions, all of which must hold: 'arg0 == 2', 'arg2 &gt;= 5',
    /// 'arg1 &amp; 0xff00 == 0x1000'.</summary>
    [Parameter(Position = 2)]
    [ValidateNotNull]
    public string[] Condition { get; set; } = Array.Empty<string>();

    [Parameter]
    public string? Comment { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            SeccompErrors.ValidateNames(Name);
            SeccompAction action = SeccompErrors.ParseAction(Action, ErrorNumber);
            var conditions = Condition.Select(SeccompCondition.Parse).ToList();
            var duplicate = conditions.GroupBy(c => c.Index).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw new SeccompException("InvalidRule", $"The conditions test arg{duplicate.Key} twice. libseccomp compares each argument at most once per rule: make two rules.", Condition);
            WriteObject(new SeccompRule(Name, action, conditions) { Comment = Comment });
        }
        catch (SeccompException e)
        {
            ThrowTerminatingError(SeccompErrors.From(e));
        }
    }
}
