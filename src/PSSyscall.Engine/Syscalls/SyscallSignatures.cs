using System.Collections.Frozen;

namespace PSSyscall.Engine.Syscalls;

/// <summary>Parses the signature data (SyscallSignatures.Data.cs) once, and answers by name.</summary>
internal static partial class SyscallSignatures
{
    // Built on first use: static initialisers across the partial files run in no defined order.
    private static FrozenDictionary<string, SyscallSignature>? _byName;
    private static FrozenDictionary<string, SyscallSignature> ByName => _byName ??= Parse();

    public static SyscallSignature? Get(string name) => ByName.TryGetValue(name, out var s) ? s : null;

    public static IEnumerable<SyscallSignature> All => ByName.Values;

    private static FrozenDictionary<string, SyscallSignature> Parse()
    {
        var result = new Dictionary<string, SyscallSignature>(StringComparer.Ordinal);
        foreach (string line in Data)
        {
            SyscallSignature sig = ParseLine(line, null);
            result[sig.Name] = sig;
        }
        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>One line of the table; <paramref name="adapt"/> (the i386 table) replaces each
    /// codec made from a token by the one that reads that ABI's layout.</summary>
    private static SyscallSignature ParseLine(string line, Func<string, int, string[], PSSyscall.Engine.Decoding.Codecs.ArgCodec?>? adapt)
    {
        {
            string[] f = line.Split('|');
            // name|classes|return|arguments, and a fifth field naming a per-syscall printer.
            if (f.Length is not (4 or 5))
                throw new InvalidOperationException("Bad signature line: " + line);
            SyscallClass classes = SyscallClass.None;
            foreach (string c in f[1].Split(',', StringSplitOptions.RemoveEmptyEntries))
                classes |= ClassOf(c);
            // "d", or "d=token": the result, then a codec's text of it in parentheses (a result
            // codec finds the arguments it reads by their tokens).
            string[] retParts = f[2].Split('=');
            string[] argTokens = int.TryParse(f[3], out _) ? Array.Empty<string>() : f[3].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            PSSyscall.Engine.Decoding.Codecs.ArgCodec? resultCodec = retParts.Length == 1 ? null
                : (adapt is null ? PSSyscall.Engine.Decoding.Codecs.CodecRegistry.Create(retParts[1], -1, argTokens) : adapt(retParts[1], -1, argTokens))
                  ?? throw new InvalidOperationException($"Unknown result codec '{retParts[1]}' in: {line}");
            ReturnKind ret = retParts[0] switch
            {
                "fd" => ReturnKind.Fd,
                "x" => ReturnKind.Hex,
                "o" => ReturnKind.Octal,
                "sig" => ReturnKind.Signal,
                _ => ReturnKind.Decimal,
            };
            ArgKind[]? kinds = null;
            CType[]? types = null;
            PSSyscall.Engine.Decoding.Codecs.ArgCodec?[]? codecs = null;
            int raw = 0;
            if (int.TryParse(f[3], out int n))
            {
                raw = n;
            }
            else
            {
                string[] names = f[3].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                kinds = new ArgKind[names.Length];
                types = new CType[names.Length];
                codecs = new PSSyscall.Engine.Decoding.Codecs.ArgCodec?[names.Length];
                for (int i = 0; i < names.Length; i++)
                {
                    // "token" or "token:ctype" (the C type when it is not the codec's default).
                    string[] parts = names[i].Split(':');
                    CType defaultType;
                    if ((adapt is null ? PSSyscall.Engine.Decoding.Codecs.CodecRegistry.Create(parts[0], i, names) : adapt(parts[0], i, names)) is { } codec)
                    {
                        kinds[i] = codec.Role;
                        codecs[i] = codec;
                        defaultType = codec.DefaultType;
                    }
                    else
                    {
                        throw new InvalidOperationException($"Unknown kind '{parts[0]}' in: {line}");
                    }
                    types[i] = parts.Length == 1 ? defaultType
                        : CTypes.TryParse(parts[1], out CType t) ? t : throw new InvalidOperationException($"Unknown C type '{parts[1]}' in: {line}");
                }
            }
            return new SyscallSignature(f[0], classes, ret, kinds, raw, types) {
                Codecs = codecs,
                ResultCodec = resultCodec,
                Printer = f.Length == 5 ? PSSyscall.Engine.Decoding.Printers.SyscallPrinters.Get(f[4]) ?? throw new InvalidOperationException($"Unknown printer '{f[4]}' in: {line}") : null,
                Compat = adapt is not null,
            };
        }
    }

    private static SyscallClass ClassOf(string code) => code switch
    {
        "TD" => SyscallClass.Desc,
        "TF" => SyscallClass.File,
        "TN" => SyscallClass.Network,
        "TP" => SyscallClass.Process,
        "TS" => SyscallClass.Signal,
        "TM" => SyscallClass.Memory,
        "TI" => SyscallClass.Ipc,
        "TC" => SyscallClass.Creds,
        "TCL" => SyscallClass.Clock,
        "TST" => SyscallClass.Stat,
        "TLST" => SyscallClass.LStat,
        "TFST" => SyscallClass.FStat,
        "TSF" or "TFSF" or "TSFA" => SyscallClass.StatFs,
        "PU" => SyscallClass.Pure,
        _ => throw new InvalidOperationException("Unknown class code " + code),
    };
}
