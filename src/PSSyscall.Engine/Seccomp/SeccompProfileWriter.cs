using System.Text;
using System.Text.Json;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Seccomp;

/// <summary>
/// Writes a filter as an OCI runtime-spec seccomp profile (the linux.seccomp object Docker, Podman,
/// runc and crun read with --security-opt seccomp=FILE). Groups are expanded to names (other
/// tools do not know them); conditions become args. A portable profile keeps its archMap,
/// includes/excludes, listener fields and the fields other tools add (Podman's errno names): an
/// imported profile exported unchanged is the same document (keys aside from their order). The
/// result reads back with <see cref="SeccompProfile"/> to the same policy.
/// </summary>
public static class SeccompProfileWriter
{
    public static string ToJson(SeccompFilter filter)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            WriteProfile(w, filter);
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The profile as a JSON object on <paramref name="w"/> (also the body of the kubelet's
    /// localhost profile and of a Kubernetes SeccompProfile's spec).</summary>
    internal static void WriteProfile(Utf8JsonWriter w, SeccompFilter filter)
    {
        ProfileLayout? layout = filter.Layout;
        w.WriteStartObject();
        WriteAction(w, "defaultAction", "defaultErrnoRet", filter.DefaultAction, layout);
        if (filter.ArchitectureMap is { } map)
        {
            w.WriteStartArray("archMap");
            foreach (SeccompArchitectureMapEntry entry in map)
            {
                w.WriteStartObject();
                w.WriteString("architecture", entry.Architecture);
                if (entry.SubArchitectures is { } subs)
                {
                    w.WriteStartArray("subArchitectures");
                    foreach (string s in subs)
                        w.WriteStringValue(s);
                    w.WriteEndArray();
                }
                else if (entry.SubArchitecturesNull)
                {
                    w.WriteNull("subArchitectures");
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        else if (!(layout?.Spelled("architectures") is string spelled && filter.Architectures.SequenceEqual(new[] { SyscallArchitecture.X86_64 }) && WriteEmpty(w, "architectures", spelled, array: true)))
        {
            w.WriteStartArray("architectures");
            foreach (SyscallArchitecture arch in filter.Architectures.Distinct())
                w.WriteStringValue(ArchitectureInfo.Get(arch).ScmpName);
            foreach (string other in layout?.OtherArchitectures ?? new List<string>())
                w.WriteStringValue(other);
            w.WriteEndArray();
        }
        if (filter.Flags != SeccompFilterFlags.None)
        {
            w.WriteStartArray("flags");
            foreach (string name in FlagNames(filter.Flags, layout?.FlagOrder))
                w.WriteStringValue(name);
            w.WriteEndArray();
        }
        else if (layout?.Spelled("flags") is string flagSpelling)
        {
            WriteEmpty(w, "flags", flagSpelling, array: true);
        }
        else if (layout?.FlagOrder is { Count: 0 })
        {
            w.WriteStartArray("flags");
            w.WriteEndArray();
        }
        if (filter.ListenerPath is not null)
            w.WriteString("listenerPath", filter.ListenerPath);
        if (filter.ListenerMetadata is not null)
            w.WriteString("listenerMetadata", filter.ListenerMetadata);

        if (filter.Rules.Count > 0 || !(layout?.Spelled("syscalls") is string syscallSpelling && WriteEmpty(w, "syscalls", syscallSpelling, array: true)))
        {
            w.WriteStartArray("syscalls");
            foreach (SeccompRule rule in filter.Rules)
                WriteRule(w, rule);
            w.WriteEndArray();
        }
        foreach (var extra in layout?.Extra ?? new List<KeyValuePair<string, string>>())
        {
            w.WritePropertyName(extra.Key);
            w.WriteRawValue(extra.Value, skipInputValidation: true);
        }
        w.WriteEndObject();
    }

    /// <summary>Writes an empty field as the profile spelled it; false when it was left out.</summary>
    private static bool WriteEmpty(Utf8JsonWriter w, string name, string spelled, bool array)
    {
        switch (spelled)
        {
            case "null":
                w.WriteNull(name);
                return true;
            case "[]":
                w.WriteStartArray(name);
                w.WriteEndArray();
                return true;
            case "{}":
                w.WriteStartObject(name);
                w.WriteEndObject();
                return true;
            default:
                return spelled == "absent";
        }
    }

    private static IEnumerable<string> FlagNames(SeccompFilterFlags flags, List<string>? order)
    {
        var names = new List<string>();
        if (flags.HasFlag(SeccompFilterFlags.ThreadSync)) names.Add("SECCOMP_FILTER_FLAG_TSYNC");
        if (flags.HasFlag(SeccompFilterFlags.Log)) names.Add("SECCOMP_FILTER_FLAG_LOG");
        if (flags.HasFlag(SeccompFilterFlags.SpecAllow)) names.Add("SECCOMP_FILTER_FLAG_SPEC_ALLOW");
        if (flags.HasFlag(SeccompFilterFlags.WaitKillableRecv)) names.Add("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
        // The profile's own order and spelling while the set is unchanged.
        if (order is not null && order.Select(o => o.ToUpperInvariant()).ToHashSet().SetEquals(names))
            return order;
        return names;
    }

    private static void WriteRule(Utf8JsonWriter w, SeccompRule rule)
    {
        // Groups are expanded; every other name is kept verbatim and in order (a name this
        // machine does not know may be another architecture's or a newer kernel's).
        var names = rule.Names.SelectMany(n => SyscallGroups.IsGroupName(n) ? SyscallGroups.Expand(n) : new[] { n }).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
            return;
        ProfileLayout? layout = rule.Layout;
        w.WriteStartObject();
        if (layout is { SingleName: true } && names.Count == 1)
            w.WriteString("name", names[0]);
        else
        {
            w.WriteStartArray("names");
            foreach (string n in names)
                w.WriteStringValue(n);
            w.WriteEndArray();
        }
        WriteAction(w, "action", "errnoRet", rule.Action, layout);
        if (rule.Conditions.Count > 0)
        {
            w.WriteStartArray("args");
            for (int i = 0; i < rule.Conditions.Count; i++)
            {
                SeccompCondition c = rule.Conditions[i];
                w.WriteStartObject();
                w.WriteNumber("index", c.Index);
                if (c.Operator == SeccompOperator.MaskedEqual)
                {
                    w.WriteNumber("value", c.Mask);
                    if (c.Value != 0 || layout is null || !layout.ValueTwoAbsent.Contains(i))
                        w.WriteNumber("valueTwo", c.Value);
                }
                else
                {
                    w.WriteNumber("value", c.Value);
                    if (layout is null || !layout.ValueTwoAbsent.Contains(i))
                        w.WriteNumber("valueTwo", 0);
                }
                w.WriteString("op", c.Operator switch
                {
                    SeccompOperator.Equal => "SCMP_CMP_EQ",
                    SeccompOperator.NotEqual => "SCMP_CMP_NE",
                    SeccompOperator.Less => "SCMP_CMP_LT",
                    SeccompOperator.LessOrEqual => "SCMP_CMP_LE",
                    SeccompOperator.Greater => "SCMP_CMP_GT",
                    SeccompOperator.GreaterOrEqual => "SCMP_CMP_GE",
                    _ => "SCMP_CMP_MASKED_EQ",
                });
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        else if (layout?.Spelled("args") is string argsSpelling)
        {
            WriteEmpty(w, "args", argsSpelling, array: true);
        }
        if (rule.Comment is not null && (rule.Comment.Length > 0 || layout is not null))
            w.WriteString("comment", rule.Comment);
        else if (layout?.Spelled("comment") == "null")
            w.WriteNull("comment");
        WriteHostCondition(w, "includes", rule.Includes);
        WriteHostCondition(w, "excludes", rule.Excludes);
        foreach (var extra in layout?.Extra ?? new List<KeyValuePair<string, string>>())
        {
            w.WritePropertyName(extra.Key);
            w.WriteRawValue(extra.Value, skipInputValidation: true);
        }
        w.WriteEndObject();
    }

    private static void WriteHostCondition(Utf8JsonWriter w, string name, SeccompProfileCondition? condition)
    {
        if (condition is null)
            return;
        w.WriteStartObject(name);
        WriteStrings(w, "caps", condition.Capabilities);
        WriteStrings(w, "arches", condition.Architectures);
        if (condition.MinKernel is not null)
            w.WriteString("minKernel", condition.MinKernel);
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, List<string>? values)
    {
        if (values is null)
            return;
        w.WriteStartArray(name);
        foreach (string v in values)
            w.WriteStringValue(v);
        w.WriteEndArray();
    }

    internal static string ActionName(SeccompAction action) => action.Kind switch
    {
        SeccompActionKind.Allow => "SCMP_ACT_ALLOW",
        SeccompActionKind.Errno => "SCMP_ACT_ERRNO",
        SeccompActionKind.KillThread => "SCMP_ACT_KILL_THREAD",
        SeccompActionKind.KillProcess => "SCMP_ACT_KILL_PROCESS",
        SeccompActionKind.Trap => "SCMP_ACT_TRAP",
        SeccompActionKind.Log => "SCMP_ACT_LOG",
        SeccompActionKind.Trace => "SCMP_ACT_TRACE",
        _ => "SCMP_ACT_NOTIFY",
    };

    private static void WriteAction(Utf8JsonWriter w, string actionField, string errnoField, SeccompAction action, ProfileLayout? layout)
    {
        w.WriteString(actionField, ActionName(action));
        if (action.Kind is SeccompActionKind.Errno or SeccompActionKind.Trace)
        {
            // An errnoRet the profile left out, while the action still has the default, stays out.
            if (layout is not null && !layout.ErrnoRetPresent && action.Data == SeccompAction.DefaultErrno)
            {
                if (layout.Spelled("errnoRet") == "null")
                    w.WriteNull(errnoField);
                return;
            }
            w.WriteNumber(errnoField, action.Data);
        }
        else if (layout is { ErrnoRetPresent: true, ErrnoRetWritten: int written } && layout.ActionWritten == action)
        {
            w.WriteNumber(errnoField, written);   // written beside an action that takes none: kept while the action stays
        }
        else if (layout?.Spelled("errnoRet") == "null" && layout.ActionWritten == action)
        {
            w.WriteNull(errnoField);
        }
    }
}
