namespace PSSyscall;

/// <summary>
/// One rule of a seccomp filter: the action for some syscalls (names, or groups such as
/// @file-system), optionally only when all <see cref="Conditions"/> on their arguments hold.
/// </summary>
public sealed class SeccompRule
{
    public SeccompRule()
    {
    }

    public SeccompRule(IEnumerable<string> names, SeccompAction action, IEnumerable<SeccompCondition>? conditions = null)
    {
        Names = names.ToList();
        Action = action;
        Conditions = conditions?.ToList() ?? new List<SeccompCondition>();
    }

    /// <summary>Syscall names and @group names.</summary>
    public List<string> Names { get; set; } = new();

    public SeccompAction Action { get; set; } = SeccompAction.Allow;

    /// <summary>Argument conditions, all of which must hold (empty: the rule always applies).</summary>
    public List<SeccompCondition> Conditions { get; set; } = new();

    /// <summary>A note carried through OCI JSON (its "comment" field).</summary>
    public string? Comment { get; set; }

    /// <summary>The conditions as one string, for views and CSV.</summary>
    public string ConditionText => string.Join(" && ", Conditions);

    /// <summary>A portable profile's "includes": the rule applies only on hosts that meet it
    /// (capabilities, architecture, kernel). Kept as written; decided by <see cref="SeccompFilter.Resolve"/>.</summary>
    public SeccompProfileCondition? Includes { get; set; }

    /// <summary>A portable profile's "excludes": the rule does not apply on hosts that meet any of it.</summary>
    public SeccompProfileCondition? Excludes { get; set; }

    /// <summary>True when the rule depends on the host (it has includes or excludes).</summary>
    public bool IsConditional => Includes is not null || Excludes is not null;

    /// <summary>How the profile spelled the rule (for a faithful export).</summary>
    internal Engine.Seccomp.ProfileLayout? Layout { get; set; }

    public SeccompRule Copy() => new()
    {
        Names = new List<string>(Names),
        Action = Action,
        Conditions = Conditions.Select(c => c.Copy()).ToList(),
        Comment = Comment,
        Includes = Includes?.Copy(),
        Excludes = Excludes?.Copy(),
        Layout = Layout?.Copy(),
    };

    public override string ToString()
    {
        string names = string.Join(",", Names);
        string text = Conditions.Count == 0 ? $"{Action}: {names}" : $"{Action}: {names} if {ConditionText}";
        if (Includes is { IsEmpty: false })
            text += $" [includes {Includes}]";
        if (Excludes is { IsEmpty: false })
            text += $" [excludes {Excludes}]";
        return text;
    }
}
