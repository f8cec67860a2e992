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

    public SeccompRule Copy() => new()
    {
        Names = new List<string>(Names),
        Action = Action,
        Conditions = Conditions.Select(c => c.Copy()).ToList(),
        Comment = Comment,
    };

    public override string ToString()
    {
        string names = string.Join(",", Names);
        return Conditions.Count == 0 ? $"{Action}: {names}" : $"{Action}: {names} if {ConditionText}";
    }
}
