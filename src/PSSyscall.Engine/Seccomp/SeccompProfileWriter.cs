using System.Text;
using System.Text.Json;

namespace PSSyscall.Engine.Seccomp;

/// <summary>
/// Writes a filter as an OCI runtime-spec seccomp profile (the linux.seccomp object Docker, Podman,
/// runc and crun read with --security-opt seccomp=FILE). Groups are expanded to names (other
/// tools do not know them); conditions become args; the result reads back with
/// <see cref="SeccompProfile"/> to the same policy.
/// </summary>
public static class SeccompProfileWriter
{
    public static string ToJson(SeccompFilter filter)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            WriteAction(w, "defaultAction", "defaultErrnoRet", filter.DefaultAction);
            w.WriteStartArray("architectures");
            foreach (SyscallArchitecture arch in filter.Architectures.Distinct())
                w.WriteStringValue(arch switch
                {
                    SyscallArchitecture.I386 => "SCMP_ARCH_X86",
                    SyscallArchitecture.X32 => "SCMP_ARCH_X32",
                    _ => "SCMP_ARCH_X86_64",
                });
            w.WriteEndArray();
            if (filter.Flags != SeccompFilterFlags.None)
            {
                w.WriteStartArray("flags");
                if (filter.Flags.HasFlag(SeccompFilterFlags.ThreadSync)) w.WriteStringValue("SECCOMP_FILTER_FLAG_TSYNC");
                if (filter.Flags.HasFlag(SeccompFilterFlags.Log)) w.WriteStringValue("SECCOMP_FILTER_FLAG_LOG");
                if (filter.Flags.HasFlag(SeccompFilterFlags.SpecAllow)) w.WriteStringValue("SECCOMP_FILTER_FLAG_SPEC_ALLOW");
                if (filter.Flags.HasFlag(SeccompFilterFlags.WaitKillableRecv)) w.WriteStringValue("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
                w.WriteEndArray();
            }
            w.WriteStartArray("syscalls");
            foreach (SeccompRule rule in filter.Rules)
            {
                // Groups are expanded; every other name is kept verbatim and in order (a name this
                // machine does not know may be another architecture's or a newer kernel's).
                var names = rule.Names.SelectMany(n => Syscalls.SyscallGroups.IsGroupName(n) ? Syscalls.SyscallGroups.Expand(n) : new[] { n }).ToList();
                if (names.Count == 0)
                    continue;
                w.WriteStartObject();
                w.WriteStartArray("names");
                foreach (string n in names.Distinct(StringComparer.Ordinal))
                    w.WriteStringValue(n);
                w.WriteEndArray();
                WriteAction(w, "action", "errnoRet", rule.Action);
                if (rule.Conditions.Count > 0)
                {
                    w.WriteStartArray("args");
                    foreach (SeccompCondition c in rule.Conditions)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("index", c.Index);
                        if (c.Operator == SeccompOperator.MaskedEqual)
                        {
                            w.WriteNumber("value", c.Mask);
                            w.WriteNumber("valueTwo", c.Value);
                        }
                        else
                        {
                            w.WriteNumber("value", c.Value);
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
                if (!string.IsNullOrEmpty(rule.Comment))
                    w.WriteString("comment", rule.Comment);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteAction(Utf8JsonWriter w, string actionField, string errnoField, SeccompAction action)
    {
        w.WriteString(actionField, action.Kind switch
        {
            SeccompActionKind.Allow => "SCMP_ACT_ALLOW",
            SeccompActionKind.Errno => "SCMP_ACT_ERRNO",
            SeccompActionKind.KillThread => "SCMP_ACT_KILL_THREAD",
            SeccompActionKind.KillProcess => "SCMP_ACT_KILL_PROCESS",
            SeccompActionKind.Trap => "SCMP_ACT_TRAP",
            SeccompActionKind.Log => "SCMP_ACT_LOG",
            SeccompActionKind.Trace => "SCMP_ACT_TRACE",
            _ => "SCMP_ACT_NOTIFY",
        });
        if (action.Kind is SeccompActionKind.Errno or SeccompActionKind.Trace)
            w.WriteNumber(errnoField, action.Data);
    }
}
