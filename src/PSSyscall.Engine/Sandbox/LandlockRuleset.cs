using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Sandbox;

/// <summary>
/// A Landlock ruleset built in the parent from the sandbox's path lists; the child restricts
/// itself with its fd. Every filesystem right the kernel's Landlock ABI knows is handled (denied
/// unless a rule grants it), so everything outside the listed paths is denied. Rights that a
/// right set asks for but the running kernel's ABI cannot enforce are listed in
/// <see cref="Unenforced"/>, for the caller to say so. Signals to processes outside the sandbox and
/// abstract unix sockets outside it are scoped away too where the ABI allows (6 and later).
/// </summary>
internal sealed unsafe class LandlockRuleset : IDisposable
{
    private const ulong ReadRights = Landlock.ReadFile | Landlock.ReadDir;
    private const ulong ExecuteRights = ReadRights | Landlock.Execute;
    private const ulong WriteRights = ReadRights | Landlock.WriteFile | Landlock.RemoveDir | Landlock.RemoveFile
        | Landlock.MakeChar | Landlock.MakeDir | Landlock.MakeReg | Landlock.MakeSock | Landlock.MakeFifo
        | Landlock.MakeBlock | Landlock.MakeSym | Landlock.Refer | Landlock.Truncate | Landlock.IoctlDev;

    /// <summary>Rights that apply to a file (not only to a directory's contents).</summary>
    private const ulong FileRights = Landlock.Execute | Landlock.WriteFile | Landlock.ReadFile | Landlock.Truncate | Landlock.IoctlDev;

    private int _fd;

    private LandlockRuleset(int fd, int abi, IReadOnlyList<string> unenforced)
    {
        _fd = fd;
        Abi = abi;
        Unenforced = unenforced;
    }

    public int Fd => _fd;

    /// <summary>The kernel's Landlock ABI version.</summary>
    public int Abi { get; }

    /// <summary>Sentences naming the rights this kernel could not enforce.</summary>
    public IReadOnlyList<string> Unenforced { get; }

    /// <summary>The rights each ABI version handles (index = version).</summary>
    private static ulong HandledFor(int abi) => abi switch
    {
        <= 0 => 0,
        1 => (1UL << 13) - 1,
        2 => (1UL << 14) - 1,
        3 or 4 => (1UL << 15) - 1,
        _ => (1UL << 16) - 1,
    };

    private static readonly (ulong Right, string Name, int Abi)[] LaterRights =
    [
        (Landlock.Refer, "moving and linking files between directories (REFER)", 2),
        (Landlock.Truncate, "truncating files (TRUNCATE)", 3),
        (Landlock.IoctlDev, "ioctl on devices (IOCTL_DEV)", 5),
    ];

    /// <summary>Builds the ruleset. Throws <see cref="SandboxException"/> (stage Landlock) when
    /// Landlock is unavailable or a path cannot be opened.</summary>
    public static LandlockRuleset Create(IReadOnlyList<string> readOnly, IReadOnlyList<string> readWrite, IReadOnlyList<string> executable)
    {
        int abi = Landlock.AbiVersion();
        if (abi <= 0)
            throw new SandboxException(SandboxFailure.LandlockUnavailable, "Landlock",
                $"Landlock is not available on this kernel ({Libc.ErrorText(-abi)}); the paths cannot be enforced. Enable it (lsm=landlock) or drop -ReadOnlyPath/-ReadWritePath/-ExecutablePath.",
                -abi, Tracing.LaunchStage.Landlock);

        ulong handled = HandledFor(abi);
        var unenforced = new List<string>();
        foreach (var (right, name, since) in LaterRights)
        {
            if ((handled & right) == 0)
                unenforced.Add($"Landlock ABI {abi} cannot restrict {name} (needs ABI {since}).");
        }

        var attr = new Landlock.RulesetAttr { HandledAccessFs = handled };
        int size = sizeof(ulong); // handled_access_fs only, unless scoping is available
        if (abi >= 6)
        {
            attr.Scoped = Landlock.ScopeSignal | Landlock.ScopeAbstractUnixSocket;
            size = sizeof(Landlock.RulesetAttr);
        }
        int fd = Landlock.CreateRuleset(&attr, size);
        if (fd < 0)
            throw new SandboxException(SandboxFailure.LandlockUnavailable, "Landlock",
                "landlock_create_ruleset failed: " + Libc.ErrorText(Libc.LastError), Libc.LastError, Tracing.LaunchStage.Landlock);

        var ruleset = new LandlockRuleset(fd, abi, unenforced);
        try
        {
            // Read-only paths may execute what is beneath them, as the kernel's Landlock sample
            // and bwrap's read-only binds allow: executing writes nothing.
            foreach (string path in readOnly)
                ruleset.Allow(path, ExecuteRights & handled);
            foreach (string path in executable)
                ruleset.Allow(path, ExecuteRights & handled);
            foreach (string path in readWrite)
                ruleset.Allow(path, WriteRights & handled);
        }
        catch
        {
            ruleset.Dispose();
            throw;
        }
        return ruleset;
    }

    /// <summary>A ruleset that handles no filesystem right and only scopes signals: the command
    /// may not signal processes outside the sandbox (the caller's shell, its own launcher), even
    /// with the same uid. Null when the kernel's Landlock is older than ABI 6 or missing.</summary>
    public static LandlockRuleset? TryCreateSignalScope()
    {
        int abi = Landlock.AbiVersion();
        if (abi < 6)
            return null;
        var attr = new Landlock.RulesetAttr { Scoped = Landlock.ScopeSignal };
        int fd = Landlock.CreateRuleset(&attr, sizeof(Landlock.RulesetAttr));
        return fd < 0 ? null : new LandlockRuleset(fd, abi, Array.Empty<string>());
    }

    private void Allow(string path, ulong rights)
    {
        int parent = Libc.open(path, Libc.O_PATH | Libc.O_CLOEXEC);
        if (parent < 0)
        {
            int err = Libc.LastError;
            throw new SandboxException(err == Libc.ENOENT ? SandboxFailure.PathNotFound : SandboxFailure.SetupFailed, path,
                $"Cannot use '{path}' as a Landlock path: {Libc.ErrorText(err)}.", err, Tracing.LaunchStage.Landlock);
        }
        try
        {
            if (!Directory.Exists(path))
                rights &= FileRights;
            var rule = new Landlock.PathBeneathAttr { AllowedAccess = rights, ParentFd = parent };
            if (Landlock.AddPathRule(_fd, &rule) != 0)
            {
                int err = Libc.LastError;
                throw new SandboxException(SandboxFailure.SetupFailed, path,
                    $"landlock_add_rule for '{path}' failed: {Libc.ErrorText(err)}.", err, Tracing.LaunchStage.Landlock);
            }
        }
        finally
        {
            Libc.close(parent);
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            Libc.close(_fd);
            _fd = -1;
        }
    }
}
