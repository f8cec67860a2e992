using System.Globalization;
using System.Text.Json;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Seccomp;

/// <summary>
/// Reads seccomp profiles in the OCI runtime-spec form (linux.seccomp: defaultAction,
/// defaultErrnoRet, architectures, flags, listenerPath, listenerMetadata, syscalls with
/// names/action/errnoRet/args) and Docker's and Podman's extended form (archMap, the older single
/// "name", includes/excludes by caps, arches and minKernel, Podman's errno names), keeping the
/// profile as written: a portable <see cref="SeccompFilter"/> that exports back to an equal
/// document. Resolving it for a host (architecture, capabilities, kernel) is a separate step,
/// <see cref="SeccompFilter.Resolve"/>; the overloads taking capabilities do both.
/// </summary>
public static class SeccompProfile
{
    /// <summary>Docker's default capability set for a container (what `docker run` grants without
    /// --cap-add): the capabilities assumed when none are given.</summary>
    public static IReadOnlyList<string> DockerDefaultCapabilities { get; } = new[]
    {
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    };

    /// <summary>The largest profile read. Docker's default profile is about 20 KB; the largest real
    /// ones are a few hundred: a file past this is a mistake (a log, a disk image), refused unread.</summary>
    public const int MaxProfileBytes = 4 * 1024 * 1024;

    /// <summary>Reads and parses a profile file. A FIFO, pipe or device is read as it comes, up to
    /// <see cref="MaxProfileBytes"/>; <paramref name="cancel"/> ends a read that waits on one.</summary>
    public static SeccompFilter Load(string path, CancellationToken cancel = default) => Load(path, null, cancel);

    /// <summary>Reads a profile; with <paramref name="capabilities"/>, resolves it for this machine
    /// with them (as <see cref="SeccompFilter.Resolve"/>), else keeps it as written.</summary>
    public static SeccompFilter Load(string path, IEnumerable<string>? capabilities, CancellationToken cancel = default)
    {
        byte[] bytes;
        try
        {
            using Stream stream = Storage.TraceInput.Open(path, cancel, out long length);
            if (length > MaxProfileBytes)
                throw TooLarge(path, string.Format(CultureInfo.InvariantCulture, "is {0:N0} bytes,", length));
            bytes = ReadBounded(stream, path);
        }
        catch (FileNotFoundException)
        {
            throw new SeccompException("ProfileNotFound", $"Cannot find the seccomp profile '{path}'.", path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SeccompException("ProfileNotReadable", $"Cannot read the seccomp profile '{path}': {e.Message}", path);
        }
        ReadOnlySpan<byte> utf8 = bytes;
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            utf8 = utf8[3..];
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
            throw new SeccompException("InvalidProfile", $"The seccomp profile '{path}' is not UTF-8 text (a binary file?).", path);
        SeccompFilter filter = Parse(System.Text.Encoding.UTF8.GetString(utf8), path);
        return capabilities is null ? filter : filter.Resolve(new SeccompHost { Capabilities = capabilities.ToArray() });
    }

    private static byte[] ReadBounded(Stream stream, string path)
    {
        var buffer = new MemoryStream();
        byte[] block = new byte[64 * 1024];
        int n;
        while ((n = stream.Read(block)) > 0)
        {
            if (buffer.Length + n > MaxProfileBytes)
                throw TooLarge(path, "runs on");
            buffer.Write(block, 0, n);
        }
        return buffer.ToArray();
    }

    private static SeccompException TooLarge(string path, string what)
        => new("ProfileTooLarge",
            $"The seccomp profile '{path}' {what} past the {MaxProfileBytes / (1024 * 1024)} MiB, the most a profile is read to; real profiles are kilobytes. Is it the right file?", path);

    /// <summary>Parses profile JSON and resolves it for this machine with the given capabilities
    /// (default Docker's) and kernel (default the running one).</summary>
    public static SeccompFilter Parse(string json, string source, IEnumerable<string>? capabilities, Version? kernel = null)
        => Parse(json, source).Resolve(new SeccompHost
        {
            Capabilities = (capabilities ?? DockerDefaultCapabilities).ToArray(),
            KernelVersion = kernel ?? RunningKernel(),
        });

    /// <summary>Parses profile JSON, keeping it as written. <paramref name="source"/> names it in messages.</summary>
    public static SeccompFilter Parse(string json, string source = "profile")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            long line = (e.LineNumber ?? 0) + 1, position = (e.BytePositionInLine ?? 0) + 1;
            string reason = e.Message;
            int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut].TrimEnd();
            throw new SeccompException("InvalidProfile", $"The seccomp profile '{source}' is not valid JSON: line {line}, position {position}: {reason}", source);
        }
        using (document)
            return new Reader(source).Read(document.RootElement);
    }

    /// <summary>The running kernel's major.minor (for Docker's minKernel).</summary>
    public static Version RunningKernel()
    {
        try
        {
            string release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
            return ParseKernelVersion(release) ?? new Version(0, 0);
        }
        catch (IOException)
        {
            return new Version(0, 0);
        }
    }

    internal static Version? ParseKernelVersion(string text)
    {
        var parts = text.Split('.', '-', '+');
        if (parts.Length >= 2 && int.TryParse(parts[0], out int major) && int.TryParse(new string(parts[1].TakeWhile(char.IsDigit).ToArray()), out int minor))
            return new Version(major, minor);
        return null;
    }

    internal static SeccompAction ParseAction(string name, int? errnoRet, string where, string source)
    {
        string n = name.Trim().ToUpperInvariant();
        if (errnoRet is int ret && (ret < 0 || ret > (n == "SCMP_ACT_TRACE" ? 0xffff : ErrnoNames.MaxErrno)))
            throw new SeccompException("InvalidProfile",
                $"{source}: {where}: errnoRet {ret} is out of range: an errno is 0 to {ErrnoNames.MaxErrno} (a SCMP_ACT_TRACE message 0 to 65535).", ret);
        return n switch
        {
            "SCMP_ACT_ALLOW" => SeccompAction.Allow,
            "SCMP_ACT_ERRNO" => SeccompAction.Errno(errnoRet ?? SeccompAction.DefaultErrno),
            // runc gives SCMP_ACT_TRACE errnoRet as its message, EPERM when absent.
            "SCMP_ACT_TRACE" => SeccompAction.Trace(errnoRet ?? SeccompAction.DefaultErrno),
            "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => SeccompAction.KillThread,
            "SCMP_ACT_KILL_PROCESS" => SeccompAction.KillProcess,
            "SCMP_ACT_TRAP" => SeccompAction.Trap,
            "SCMP_ACT_LOG" => SeccompAction.Log,
            "SCMP_ACT_NOTIFY" => SeccompAction.Notify,
            _ => throw new SeccompException("InvalidProfile", $"{source}: {where}: unknown action '{name}'. Expected one of SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL, SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_LOG, SCMP_ACT_NOTIFY.", name),
        };
    }

    private sealed class Reader
    {
        private readonly string _source;

        public Reader(string source)
        {
            _source = source;
        }

        private SeccompException Invalid(string where, string message) => new("InvalidProfile", $"{_source}: {where}: {message}", _source);

        private static readonly HashSet<string> TopFields = new(StringComparer.Ordinal)
        { "defaultAction", "defaultErrnoRet", "architectures", "archMap", "flags", "listenerPath", "listenerMetadata", "syscalls" };

        private static readonly HashSet<string> RuleFields = new(StringComparer.Ordinal)
        { "names", "name", "action", "errnoRet", "args", "comment", "includes", "excludes" };

        public SeccompFilter Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
                throw Invalid("top level", "a seccomp profile is a JSON object with defaultAction and syscalls.");
            // An OCI config.json: the profile is linux.seccomp.
            if (root.TryGetProperty("linux", out JsonElement linux) && linux.ValueKind == JsonValueKind.Object && linux.TryGetProperty("seccomp", out JsonElement seccomp))
                root = seccomp;

            var layout = new ProfileLayout();
            var filter = new SeccompFilter { IgnoreUnknownSyscalls = true, Architectures = new(), Layout = layout };
            foreach (JsonProperty p in root.EnumerateObject())
                if (!TopFields.Contains(p.Name))
                    layout.Extra.Add(new(p.Name, JsonSerializer.Serialize(p.Value)));   // normalised: no comments or trailing commas

            string defaultAction = String(root, "defaultAction", "defaultAction", required: true)!;
            int? defaultErrno = Int(root, "defaultErrnoRet", "defaultErrnoRet");
            filter.DefaultAction = ParseAction(defaultAction, defaultErrno, "defaultAction", _source);
            RecordErrnoRet(layout, filter.DefaultAction, defaultErrno, root.TryGetProperty("defaultErrnoRet", out _));

            bool hasArchitectures = root.TryGetProperty("architectures", out JsonElement architectures) && architectures.ValueKind == JsonValueKind.Array && architectures.GetArrayLength() > 0;
            bool hasArchMap = root.TryGetProperty("archMap", out JsonElement archMap) && archMap.ValueKind == JsonValueKind.Array && archMap.GetArrayLength() > 0;
            if (hasArchitectures && hasArchMap)
                throw Invalid("architectures", "use either 'architectures' or 'archMap', not both.");
            Spell(layout, root, "architectures");
            Spell(layout, root, "archMap");
            if (hasArchitectures)
            {
                foreach (JsonElement a in architectures.EnumerateArray())
                {
                    if (a.ValueKind != JsonValueKind.String)
                        throw Invalid("architectures", "architectures are strings (SCMP_ARCH_X86_64 ...).");
                    string name = a.GetString()!;
                    if (ArchitectureOf(name, "architectures") is SyscallArchitecture arch)
                    {
                        if (!filter.Architectures.Contains(arch))
                            filter.Architectures.Add(arch);
                    }
                    else
                    {
                        layout.OtherArchitectures.Add(name);
                    }
                }
                layout.Spelling.Remove("architectures");
            }
            else if (hasArchMap)
            {
                filter.ArchitectureMap = new();
                int index = 0;
                foreach (JsonElement entry in archMap.EnumerateArray())
                {
                    string where = $"archMap[{index++}]";
                    if (entry.ValueKind != JsonValueKind.Object)
                        throw Invalid(where, "an archMap entry is an object with architecture and subArchitectures.");
                    string arch = String(entry, "architecture", where, required: true)!;
                    var mapped = new SeccompArchitectureMapEntry { Architecture = arch };
                    if (ArchitectureOf(arch, where + ".architecture") is SyscallArchitecture a && !filter.Architectures.Contains(a))
                        filter.Architectures.Add(a);
                    if (entry.TryGetProperty("subArchitectures", out JsonElement subs))
                    {
                        if (subs.ValueKind == JsonValueKind.Null)
                            mapped.SubArchitecturesNull = true;
                        else if (subs.ValueKind != JsonValueKind.Array)
                            throw Invalid(where + ".subArchitectures", "must be an array of architecture names.");
                        else
                        {
                            mapped.SubArchitectures = new();
                            foreach (JsonElement sub in subs.EnumerateArray())
                            {
                                string name = sub.ValueKind == JsonValueKind.String ? sub.GetString()! : throw Invalid(where + ".subArchitectures", "architectures are strings.");
                                mapped.SubArchitectures.Add(name);
                                if (ArchitectureOf(name, where + ".subArchitectures") is SyscallArchitecture s && !filter.Architectures.Contains(s))
                                    filter.Architectures.Add(s);
                            }
                        }
                    }
                    filter.ArchitectureMap.Add(mapped);
                }
                layout.Spelling.Remove("archMap");
            }
            if (filter.Architectures.Count == 0)
                filter.Architectures.Add(SyscallArchitecture.X86_64);

            Spell(layout, root, "flags");
            if (root.TryGetProperty("flags", out JsonElement flags) && flags.ValueKind == JsonValueKind.Array)
            {
                layout.FlagOrder = new();
                foreach (JsonElement f in flags.EnumerateArray())
                {
                    string name = f.ValueKind == JsonValueKind.String ? f.GetString()! : throw Invalid("flags", "flags are strings (SECCOMP_FILTER_FLAG_LOG ...).");
                    filter.Flags |= FlagOf(name) ?? throw Invalid("flags", $"unknown flag '{name}'.");
                    layout.FlagOrder.Add(name);
                }
            }
            filter.ListenerPath = String(root, "listenerPath", "listenerPath");
            filter.ListenerMetadata = String(root, "listenerMetadata", "listenerMetadata");

            Spell(layout, root, "syscalls");
            if (root.TryGetProperty("syscalls", out JsonElement syscalls) && syscalls.ValueKind != JsonValueKind.Null)
            {
                if (syscalls.ValueKind != JsonValueKind.Array)
                    throw Invalid("syscalls", "must be an array.");
                int index = 0;
                foreach (JsonElement entry in syscalls.EnumerateArray())
                    filter.Rules.Add(ReadRule(entry, $"syscalls[{index++}]"));
            }
            return filter;
        }

        /// <summary>Records how an empty-valued field was spelled: left out, null, [] or {}.</summary>
        private static void Spell(ProfileLayout layout, JsonElement parent, string name)
        {
            if (!parent.TryGetProperty(name, out JsonElement value))
                layout.Spelling[name] = "absent";
            else if (value.ValueKind == JsonValueKind.Null)
                layout.Spelling[name] = "null";
            else if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0)
                layout.Spelling[name] = "[]";
            else if (value.ValueKind == JsonValueKind.Object && !value.EnumerateObject().Any())
                layout.Spelling[name] = "{}";
        }

        private static void RecordErrnoRet(ProfileLayout layout, SeccompAction action, int? errnoRet, bool present)
        {
            layout.ErrnoRetPresent = present && errnoRet is not null;
            layout.ErrnoRetWritten = errnoRet;
            layout.ActionWritten = action;
            if (present && errnoRet is null)
                layout.Spelling["errnoRet"] = "null";
        }

        internal static SeccompFilterFlags? FlagOf(string name) => name.ToUpperInvariant() switch
        {
            "SECCOMP_FILTER_FLAG_TSYNC" => SeccompFilterFlags.ThreadSync,
            "SECCOMP_FILTER_FLAG_LOG" => SeccompFilterFlags.Log,
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW" => SeccompFilterFlags.SpecAllow,
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" => SeccompFilterFlags.WaitKillableRecv,
            _ => null,
        };

        /// <summary>The ABI a SCMP_ARCH_ name means; null for libseccomp names without a table here
        /// (kept as written); an error for anything else.</summary>
        private SyscallArchitecture? ArchitectureOf(string name, string where)
        {
            if (Syscalls.ArchitectureInfo.TryGet(name, out var info))
                return info.Architecture;
            if (Syscalls.ArchitectureInfo.OtherScmpNames.Contains(name))
                return null;
            throw Invalid(where,
                $"'{name}' is not an architecture libseccomp knows. Known: {string.Join(", ", Syscalls.ArchitectureInfo.All.Select(a => a.ScmpName).Concat(Syscalls.ArchitectureInfo.OtherScmpNames.Order()))}.");
        }

        private SeccompRule ReadRule(JsonElement entry, string where)
        {
            if (entry.ValueKind != JsonValueKind.Object)
                throw Invalid(where, "each syscalls entry is an object with names and action.");
            var layout = new ProfileLayout();
            foreach (JsonProperty p in entry.EnumerateObject())
                if (!RuleFields.Contains(p.Name))
                    layout.Extra.Add(new(p.Name, JsonSerializer.Serialize(p.Value)));   // normalised: no comments or trailing commas
            var names = new List<string>();
            Spell(layout, entry, "names");
            if (entry.TryGetProperty("names", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
                foreach (JsonElement n in list.EnumerateArray())
                    names.Add(n.ValueKind == JsonValueKind.String ? n.GetString()! : throw Invalid(where + ".names", "names are strings."));
            string? single = String(entry, "name", where + ".name");
            if (!string.IsNullOrEmpty(single))
            {
                if (names.Count > 0)
                    throw Invalid(where, "use either 'name' or 'names', not both.");
                names.Add(single);
                layout.SingleName = true;
            }
            if (names.Count == 0)
                throw Invalid(where, "the entry names no syscall ('names' is empty).");

            string action = String(entry, "action", where + ".action", required: true)!;
            int? errnoRet = Int(entry, "errnoRet", where + ".errnoRet");
            var rule = new SeccompRule
            {
                Names = names,
                Action = ParseAction(action, errnoRet, where + ".action", _source),
                Comment = String(entry, "comment", where + ".comment"),
                Layout = layout,
            };
            RecordErrnoRet(layout, rule.Action, errnoRet, entry.TryGetProperty("errnoRet", out _));
            Spell(layout, entry, "comment");

            Spell(layout, entry, "args");
            if (entry.TryGetProperty("args", out JsonElement args) && args.ValueKind != JsonValueKind.Null)
            {
                if (args.ValueKind != JsonValueKind.Array)
                    throw Invalid(where + ".args", "must be an array of conditions.");
                int i = 0;
                foreach (JsonElement arg in args.EnumerateArray())
                {
                    if (arg.ValueKind != JsonValueKind.Object)
                        throw Invalid($"{where}.args[{i}]", "a condition is an object with index, value and op.");
                    if (!arg.TryGetProperty("valueTwo", out _))
                        layout.ValueTwoAbsent.Add(i);
                    rule.Conditions.Add(ReadCondition(arg, $"{where}.args[{i++}]"));
                }
            }

            rule.Includes = ReadHostCondition(entry, "includes", where);
            rule.Excludes = ReadHostCondition(entry, "excludes", where);
            return rule;
        }

        private SeccompProfileCondition? ReadHostCondition(JsonElement entry, string name, string where)
        {
            if (!entry.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
                return null;
            where = $"{where}.{name}";
            if (value.ValueKind != JsonValueKind.Object)
                throw Invalid(where, "must be an object with caps, arches or minKernel.");
            var condition = new SeccompProfileCondition
            {
                Capabilities = value.TryGetProperty("caps", out _) ? Strings(value, "caps", where) : null,
                Architectures = value.TryGetProperty("arches", out _) ? Strings(value, "arches", where) : null,
                MinKernel = String(value, "minKernel", where + ".minKernel"),
            };
            if (condition.MinKernel is string min)
                KernelVersion(min, where);
            return condition;
        }

        private SeccompCondition ReadCondition(JsonElement arg, string where)
        {
            int index = Int(arg, "index", where + ".index") ?? throw Invalid(where, "a condition needs 'index'.");
            if (index < 0 || index > SeccompCondition.MaxIndex)
                throw new SeccompException("ArgumentIndexOutOfRange", $"{_source}: {where}.index: a syscall has arguments 0 to {SeccompCondition.MaxIndex}, not {index}.", index);
            ulong value = ULong(arg, "value", where + ".value");
            ulong valueTwo = ULong(arg, "valueTwo", where + ".valueTwo");
            string op = String(arg, "op", where + ".op", required: true)!;
            return op.ToUpperInvariant() switch
            {
                "SCMP_CMP_EQ" => new SeccompCondition(index, SeccompOperator.Equal, value),
                "SCMP_CMP_NE" => new SeccompCondition(index, SeccompOperator.NotEqual, value),
                "SCMP_CMP_LT" => new SeccompCondition(index, SeccompOperator.Less, value),
                "SCMP_CMP_LE" => new SeccompCondition(index, SeccompOperator.LessOrEqual, value),
                "SCMP_CMP_GT" => new SeccompCondition(index, SeccompOperator.Greater, value),
                "SCMP_CMP_GE" => new SeccompCondition(index, SeccompOperator.GreaterOrEqual, value),
                // OCI: value is the mask, valueTwo the value the masked argument must equal.
                "SCMP_CMP_MASKED_EQ" => new SeccompCondition(index, SeccompOperator.MaskedEqual, valueTwo, value),
                _ => throw Invalid(where + ".op", $"unknown operator '{op}'. Expected SCMP_CMP_EQ, NE, LT, LE, GT, GE or MASKED_EQ."),
            };
        }

        private Version KernelVersion(string text, string where)
            => ParseKernelVersion(text) ?? throw Invalid(where + ".minKernel", $"'{text}' is not a kernel version (like 4.8).");

        private List<string>? Strings(JsonElement parent, string name, string where)
        {
            if (!parent.TryGetProperty(name, out JsonElement list) || list.ValueKind == JsonValueKind.Null)
                return null;
            if (list.ValueKind != JsonValueKind.Array)
                throw Invalid($"{where}.{name}", "must be an array of strings.");
            var result = new List<string>();
            foreach (JsonElement e in list.EnumerateArray())
                result.Add(e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Invalid($"{where}.{name}", "must be an array of strings."));
            return result;
        }

        private string? String(JsonElement parent, string name, string where, bool required = false)
        {
            if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
                return required ? throw Invalid(where, $"'{name}' is required.") : null;
            if (value.ValueKind != JsonValueKind.String)
                throw Invalid(where, $"'{name}' must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}.");
            return value.GetString();
        }

        private int? Int(JsonElement parent, string name, string where)
        {
            if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
                return null;
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int n))
                throw Invalid(where, $"'{name}' must be a whole number.");
            return n;
        }

        private ulong ULong(JsonElement parent, string name, string where)
        {
            if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
                return 0;
            if (value.ValueKind == JsonValueKind.Number)
            {
                if (value.TryGetUInt64(out ulong u)) return u;
                if (value.TryGetInt64(out long l)) return unchecked((ulong)l);
            }
            throw Invalid(where, $"'{name}' must be a 64-bit unsigned number.");
        }
    }
}
