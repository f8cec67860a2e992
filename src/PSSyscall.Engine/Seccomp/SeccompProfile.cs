using System.Globalization;
using System.Text.Json;
using PSSyscall.Engine.Decoding;

namespace PSSyscall.Engine.Seccomp;

/// <summary>
/// Reads seccomp profiles in the OCI runtime-spec form (linux.seccomp: defaultAction,
/// defaultErrnoRet, architectures, flags, syscalls with names/action/errnoRet/args) and Docker's
/// extended form (archMap, the older single "name", and includes/excludes by caps, arches and
/// minKernel), resolving Docker's conditions the way Docker does for this machine (amd64) and a
/// set of capabilities. The result is a plain <see cref="SeccompFilter"/>.
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

    /// <summary>libseccomp's names of other machines' ABIs: a profile for several machines lists them,
    /// and they filter nothing here. Any other SCMP_ARCH_ name is a mistake.</summary>
    private static readonly HashSet<string> ForeignArchitectures = new(StringComparer.OrdinalIgnoreCase)
    {
        "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
        "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
        "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
        "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
    };

    /// <summary>Docker's and Go's names for this machine's architecture, as includes/excludes "arches" use them.</summary>
    private static readonly string[] NativeArchNames = { "amd64", "x86_64" };

    /// <summary>The largest profile read. Docker's default profile is about 20 KB; the largest real
    /// ones are a few hundred: a file past this is a mistake (a log, a disk image), refused unread.</summary>
    public const int MaxProfileBytes = 4 * 1024 * 1024;

    /// <summary>Reads and parses a profile file. A FIFO, pipe or device is read as it comes, up to
    /// <see cref="MaxProfileBytes"/>; <paramref name="cancel"/> ends a read that waits on one.</summary>
    public static SeccompFilter Load(string path, IEnumerable<string>? capabilities = null, CancellationToken cancel = default)
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
        return Parse(System.Text.Encoding.UTF8.GetString(utf8), path, capabilities);
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

    /// <summary>Parses profile JSON. <paramref name="source"/> names it in messages.</summary>
    public static SeccompFilter Parse(string json, string source = "profile", IEnumerable<string>? capabilities = null, Version? kernel = null)
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
        {
            var caps = NormalizeCapabilities(capabilities ?? DockerDefaultCapabilities);
            return new Reader(source, caps, kernel ?? RunningKernel()).Read(document.RootElement);
        }
    }

    private static HashSet<string> NormalizeCapabilities(IEnumerable<string> capabilities)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string c in capabilities)
        {
            string cap = c.Trim().ToUpperInvariant();
            if (cap.Length == 0) continue;
            set.Add(cap.StartsWith("CAP_", StringComparison.Ordinal) || cap == "ALL" ? cap : "CAP_" + cap);
        }
        return set;
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

    private static Version? ParseKernelVersion(string text)
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
        private readonly HashSet<string> _caps;
        private readonly Version _kernel;

        public Reader(string source, HashSet<string> caps, Version kernel)
        {
            _source = source;
            _caps = caps;
            _kernel = kernel;
        }

        private SeccompException Invalid(string where, string message) => new("InvalidProfile", $"{_source}: {where}: {message}", _source);

        public SeccompFilter Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
                throw Invalid("top level", "a seccomp profile is a JSON object with defaultAction and syscalls.");
            // An OCI config.json: the profile is linux.seccomp.
            if (root.TryGetProperty("linux", out JsonElement linux) && linux.ValueKind == JsonValueKind.Object && linux.TryGetProperty("seccomp", out JsonElement seccomp))
                root = seccomp;

            var filter = new SeccompFilter { IgnoreUnknownSyscalls = true, Architectures = new() };
            string defaultAction = String(root, "defaultAction", "defaultAction", required: true)!;
            int? defaultErrno = Int(root, "defaultErrnoRet", "defaultErrnoRet");
            filter.DefaultAction = ParseAction(defaultAction, defaultErrno, "defaultAction", _source);

            bool hasArchitectures = root.TryGetProperty("architectures", out JsonElement architectures) && architectures.ValueKind == JsonValueKind.Array && architectures.GetArrayLength() > 0;
            bool hasArchMap = root.TryGetProperty("archMap", out JsonElement archMap) && archMap.ValueKind == JsonValueKind.Array && archMap.GetArrayLength() > 0;
            if (hasArchitectures && hasArchMap)
                throw Invalid("architectures", "use either 'architectures' or 'archMap', not both.");
            if (hasArchitectures)
            {
                foreach (JsonElement a in architectures.EnumerateArray())
                    AddArchitecture(filter, a.GetString() ?? "");
            }
            else if (hasArchMap)
            {
                int index = 0;
                foreach (JsonElement entry in archMap.EnumerateArray())
                {
                    string where = $"archMap[{index++}]";
                    string arch = String(entry, "architecture", where, required: true)!;
                    if (!string.Equals(arch, "SCMP_ARCH_X86_64", StringComparison.OrdinalIgnoreCase))
                    {
                        // Another machine's entry: its names must still be architectures.
                        if (!ForeignArchitectures.Contains(arch) && !arch.Equals("SCMP_ARCH_X86", StringComparison.OrdinalIgnoreCase)
                            && !arch.Equals("SCMP_ARCH_X32", StringComparison.OrdinalIgnoreCase))
                            AddArchitecture(filter, arch);
                        continue;
                    }
                    AddArchitecture(filter, arch);
                    if (entry.TryGetProperty("subArchitectures", out JsonElement subs) && subs.ValueKind == JsonValueKind.Array)
                        foreach (JsonElement s in subs.EnumerateArray())
                            AddArchitecture(filter, s.GetString() ?? "");
                }
            }
            if (filter.Architectures.Count == 0)
                filter.Architectures.Add(SyscallArchitecture.X86_64);

            if (root.TryGetProperty("flags", out JsonElement flags) && flags.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement f in flags.EnumerateArray())
                {
                    filter.Flags |= (f.GetString() ?? "").ToUpperInvariant() switch
                    {
                        "SECCOMP_FILTER_FLAG_TSYNC" => SeccompFilterFlags.ThreadSync,
                        "SECCOMP_FILTER_FLAG_LOG" => SeccompFilterFlags.Log,
                        "SECCOMP_FILTER_FLAG_SPEC_ALLOW" => SeccompFilterFlags.SpecAllow,
                        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" => SeccompFilterFlags.WaitKillableRecv,
                        _ => throw Invalid("flags", $"unknown flag '{f.GetString()}'."),
                    };
                }
            }

            if (root.TryGetProperty("syscalls", out JsonElement syscalls) && syscalls.ValueKind != JsonValueKind.Null)
            {
                if (syscalls.ValueKind != JsonValueKind.Array)
                    throw Invalid("syscalls", "must be an array.");
                int index = 0;
                foreach (JsonElement entry in syscalls.EnumerateArray())
                {
                    string where = $"syscalls[{index++}]";
                    if (ReadRule(entry, where) is SeccompRule rule)
                        filter.Rules.Add(rule);
                }
            }
            return filter;
        }

        private void AddArchitecture(SeccompFilter filter, string name)
        {
            SyscallArchitecture? arch = name.ToUpperInvariant() switch
            {
                "SCMP_ARCH_X86_64" => SyscallArchitecture.X86_64,
                "SCMP_ARCH_X86" => SyscallArchitecture.I386,
                "SCMP_ARCH_X32" => SyscallArchitecture.X32,
                _ => null,   // another machine's ABI (aarch64, s390x ...): nothing to filter here
            };
            if (arch is null && !ForeignArchitectures.Contains(name))
                throw Invalid("architectures",
                    $"'{name}' is not an architecture libseccomp knows. This machine's are SCMP_ARCH_X86_64, SCMP_ARCH_X86 and SCMP_ARCH_X32; other machines' ({string.Join(", ", ForeignArchitectures.Order())}) are accepted and skipped.");
            if (arch is SyscallArchitecture a && !filter.Architectures.Contains(a))
                filter.Architectures.Add(a);
        }

        private SeccompRule? ReadRule(JsonElement entry, string where)
        {
            if (entry.ValueKind != JsonValueKind.Object)
                throw Invalid(where, "each syscalls entry is an object with names and action.");
            var names = new List<string>();
            if (entry.TryGetProperty("names", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
                foreach (JsonElement n in list.EnumerateArray())
                    names.Add(n.GetString() ?? throw Invalid(where + ".names", "names are strings."));
            string? single = String(entry, "name", where + ".name");
            if (!string.IsNullOrEmpty(single))
            {
                if (names.Count > 0)
                    throw Invalid(where, "use either 'name' or 'names', not both.");
                names.Add(single);
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
            };

            if (entry.TryGetProperty("args", out JsonElement args) && args.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (JsonElement arg in args.EnumerateArray())
                    rule.Conditions.Add(ReadCondition(arg, $"{where}.args[{i++}]"));
            }

            if (entry.TryGetProperty("includes", out JsonElement includes) && includes.ValueKind == JsonValueKind.Object && !Included(includes, where + ".includes"))
                return null;
            if (entry.TryGetProperty("excludes", out JsonElement excludes) && excludes.ValueKind == JsonValueKind.Object && Excluded(excludes, where + ".excludes"))
                return null;
            return rule;
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

        private bool Included(JsonElement includes, string where)
        {
            foreach (string cap in Strings(includes, "caps", where))
                if (!HasCapability(cap))
                    return false;
            var arches = Strings(includes, "arches", where);
            if (arches.Count > 0 && !arches.Any(IsNativeArch))
                return false;
            if (String(includes, "minKernel", where + ".minKernel") is string min && _kernel < KernelVersion(min, where))
                return false;
            return true;
        }

        private bool Excluded(JsonElement excludes, string where)
        {
            foreach (string cap in Strings(excludes, "caps", where))
                if (HasCapability(cap))
                    return true;
            if (Strings(excludes, "arches", where).Any(IsNativeArch))
                return true;
            if (String(excludes, "minKernel", where + ".minKernel") is string min && _kernel >= KernelVersion(min, where))
                return true;
            return false;
        }

        private bool HasCapability(string cap)
        {
            string c = cap.Trim().ToUpperInvariant();
            if (!c.StartsWith("CAP_", StringComparison.Ordinal)) c = "CAP_" + c;
            return _caps.Contains("ALL") || _caps.Contains(c);
        }

        private static bool IsNativeArch(string arch) => NativeArchNames.Contains(arch, StringComparer.OrdinalIgnoreCase);

        private Version KernelVersion(string text, string where)
            => ParseKernelVersion(text) ?? throw Invalid(where + ".minKernel", $"'{text}' is not a kernel version (like 4.8).");

        private List<string> Strings(JsonElement parent, string name, string where)
        {
            var result = new List<string>();
            if (!parent.TryGetProperty(name, out JsonElement list) || list.ValueKind == JsonValueKind.Null)
                return result;
            if (list.ValueKind != JsonValueKind.Array)
                throw Invalid($"{where}.{name}", "must be an array of strings.");
            foreach (JsonElement e in list.EnumerateArray())
                result.Add(e.GetString() ?? "");
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
