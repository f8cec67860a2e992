using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Seccomp;

/// <summary>
/// Kubernetes forms of a filter: the Security Profiles Operator's SeccompProfile resource
/// (apiVersion security-profiles-operator.x-k8s.io/v1beta1), which the operator installs on every
/// node for pods to reference, and the node-local profile file the kubelet reads from its seccomp
/// directory (/var/lib/kubelet/seccomp/, a pod's localhost/ profile), which is OCI JSON. Both are
/// for one machine: a portable profile is resolved for this one first (resolve it explicitly for
/// other nodes), groups are expanded, and conditions become args.
/// </summary>
public static partial class KubernetesProfileWriter
{
    public const string ApiVersion = "security-profiles-operator.x-k8s.io/v1beta1";
    public const string Kind = "SeccompProfile";

    // metadata.name: a DNS subdomain (RFC 1123); metadata.namespace: a DNS label.
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    /// <summary>Why <paramref name="name"/> cannot be a resource name, or null when it can.</summary>
    public static string? CheckName(string name)
        => name.Length is > 0 and <= 253 && Subdomain().IsMatch(name) ? null
            : $"'{name}' is not a Kubernetes resource name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters.";

    /// <summary>Why <paramref name="ns"/> cannot be a namespace, or null when it can.</summary>
    public static string? CheckNamespace(string ns)
        => ns.Length is > 0 and <= 63 && Label().IsMatch(ns) ? null
            : $"'{ns}' is not a Kubernetes namespace: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters.";

    /// <summary>The filter as this machine would apply it (a portable profile resolved for it).</summary>
    private static SeccompFilter ForOneMachine(SeccompFilter filter, List<string> notes)
    {
        if (!filter.IsPortable)
            return filter;
        SeccompHost host = SeccompHost.Current;
        notes.Add($"The profile is portable (archMap or includes/excludes); it was resolved for {host}. Resolve it with Resolve-SeccompFilter for other nodes.");
        return filter.Resolve(host);
    }

    /// <summary>The kubelet's localhost profile: OCI seccomp JSON for one machine.</summary>
    public static string ToKubeletProfile(SeccompFilter filter, List<string>? notes = null)
        => SeccompProfileWriter.ToJson(ForOneMachine(filter, notes ?? new List<string>()));

    /// <summary>A SeccompProfile resource as YAML (what kubectl apply -f takes) or JSON.</summary>
    public static string ToSeccompProfile(SeccompFilter filter, string name, string? ns, bool json, List<string>? notes = null)
    {
        notes ??= new List<string>();
        if (CheckName(name) is string badName)
            throw new SeccompException("InvalidResourceName", badName, name);
        if (ns is not null && CheckNamespace(ns) is string badNs)
            throw new SeccompException("InvalidResourceName", badNs, ns);
        SeccompFilter f = ForOneMachine(filter, notes);

        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
            metadata["namespace"] = ns;
        var spec = new JsonObject { ["defaultAction"] = SeccompProfileWriter.ActionName(f.DefaultAction) };
        if (f.DefaultAction.Kind is SeccompActionKind.Errno or SeccompActionKind.Trace && f.DefaultAction.Data != SeccompAction.DefaultErrno)
            notes.Add($"A SeccompProfile resource has no defaultErrnoRet: its default action {f.DefaultAction} becomes SCMP_ACT_ERRNO with the runtime's errno (EPERM). Use -Format Kubelet to keep it.");
        var arches = new JsonArray();
        foreach (SyscallArchitecture a in f.Architectures.Distinct())
            arches.Add(ArchitectureInfo.Get(a).ScmpName);
        spec["architectures"] = arches;
        if (f.Flags != SeccompFilterFlags.None)
        {
            var flags = new JsonArray();
            if (f.Flags.HasFlag(SeccompFilterFlags.ThreadSync)) flags.Add("SECCOMP_FILTER_FLAG_TSYNC");
            if (f.Flags.HasFlag(SeccompFilterFlags.Log)) flags.Add("SECCOMP_FILTER_FLAG_LOG");
            if (f.Flags.HasFlag(SeccompFilterFlags.SpecAllow)) flags.Add("SECCOMP_FILTER_FLAG_SPEC_ALLOW");
            // The resource's flags are TSYNC, LOG and SPEC_ALLOW.
            if (f.Flags.HasFlag(SeccompFilterFlags.WaitKillableRecv))
                notes.Add("A SeccompProfile resource cannot carry SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV; it was left out. Use -Format Kubelet to keep it.");
            if (flags.Count > 0)
                spec["flags"] = flags;
        }
        if (f.ListenerPath is not null)
            spec["listenerPath"] = f.ListenerPath;
        if (f.ListenerMetadata is not null)
            spec["listenerMetadata"] = f.ListenerMetadata;

        var syscalls = new JsonArray();
        foreach (SeccompRule rule in f.Rules)
        {
            var names = rule.Names.SelectMany(n => SyscallGroups.IsGroupName(n) ? SyscallGroups.Expand(n) : new[] { n }).Distinct(StringComparer.Ordinal).ToList();
            if (names.Count == 0)
                continue;
            var entry = new JsonObject
            {
                ["action"] = SeccompProfileWriter.ActionName(rule.Action),
                ["names"] = new JsonArray(names.Select(n => (JsonNode)n!).ToArray()),
            };
            if (rule.Action.Kind is SeccompActionKind.Errno or SeccompActionKind.Trace)
                entry["errnoRet"] = rule.Action.Data;
            if (rule.Conditions.Count > 0)
            {
                var args = new JsonArray();
                foreach (SeccompCondition c in rule.Conditions)
                {
                    var arg = new JsonObject { ["index"] = c.Index };
                    if (c.Operator == SeccompOperator.MaskedEqual)
                    {
                        arg["value"] = c.Mask;
                        arg["valueTwo"] = c.Value;
                    }
                    else
                    {
                        arg["value"] = c.Value;
                    }
                    arg["op"] = c.Operator switch
                    {
                        SeccompOperator.Equal => "SCMP_CMP_EQ",
                        SeccompOperator.NotEqual => "SCMP_CMP_NE",
                        SeccompOperator.Less => "SCMP_CMP_LT",
                        SeccompOperator.LessOrEqual => "SCMP_CMP_LE",
                        SeccompOperator.Greater => "SCMP_CMP_GT",
                        SeccompOperator.GreaterOrEqual => "SCMP_CMP_GE",
                        _ => "SCMP_CMP_MASKED_EQ",
                    };
                    args.Add(arg);
                }
                entry["args"] = args;
            }
            syscalls.Add(entry);
        }
        if (syscalls.Count > 0)
            spec["syscalls"] = syscalls;

        var resource = new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = Kind,
            ["metadata"] = metadata,
            ["spec"] = spec,
        };
        return json
            ? resource.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"
            : YamlText.Write(resource);
    }
}

/// <summary>
/// A small YAML writer for JSON-shaped data (objects, arrays, strings, numbers, booleans, null),
/// in the block style kubectl prints: two-space indents, sequences of mappings as "- key: value".
/// Strings are written plain when YAML 1.1 and 1.2 both read them back as the same string, else
/// double-quoted with JSON escapes (valid YAML).
/// </summary>
internal static class YamlText
{
    public static string Write(JsonNode node)
    {
        var sb = new StringBuilder();
        WriteNode(sb, node, 0, inSequence: false);
        return sb.ToString();
    }

    private static void WriteNode(StringBuilder sb, JsonNode? node, int indent, bool inSequence)
    {
        switch (node)
        {
            case JsonObject obj:
                bool first = true;
                foreach (var (key, value) in obj)
                {
                    if (!(first && inSequence))
                        sb.Append(' ', indent);
                    first = false;
                    sb.Append(Scalar(key)).Append(':');
                    WriteValue(sb, value, indent);
                }
                if (obj.Count == 0)
                    sb.Append("{}\n");
                break;
            case JsonArray array:
                foreach (JsonNode? item in array)
                {
                    sb.Append(' ', indent).Append("- ");
                    if (item is JsonObject { Count: > 0 })
                        WriteNode(sb, item, indent + 2, inSequence: true);
                    else if (item is JsonArray { Count: > 0 })
                    {
                        sb.Append('\n');
                        WriteNode(sb, item, indent + 2, inSequence: false);
                    }
                    else
                        sb.Append(Inline(item)).Append('\n');
                }
                if (array.Count == 0)
                    sb.Append(' ', indent).Append("[]\n");
                break;
            default:
                sb.Append(Inline(node)).Append('\n');
                break;
        }
    }

    private static void WriteValue(StringBuilder sb, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 }:
                sb.Append('\n');
                WriteNode(sb, value, indent + 2, inSequence: false);
                break;
            case JsonArray { Count: > 0 }:
                // kubectl's style: a mapping's sequence at the mapping's own indent.
                sb.Append('\n');
                WriteNode(sb, value, indent, inSequence: false);
                break;
            default:
                sb.Append(' ').Append(Inline(value)).Append('\n');
                break;
        }
    }

    private static string Inline(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v when v.TryGetValue(out string? s) => Scalar(s),
        JsonValue v when v.TryGetValue(out bool b) => b ? "true" : "false",
        _ => node.ToJsonString(),
    };

    private static readonly Regex Plain = new(@"^[A-Za-z_/][A-Za-z0-9_./-]*$", RegexOptions.CultureInvariant);

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    { "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~" };

    private static string Scalar(string s)
        => Plain.IsMatch(s) && !Reserved.Contains(s) ? s : JsonSerializer.Serialize(s);
}
