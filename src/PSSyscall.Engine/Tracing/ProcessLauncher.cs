using System.Runtime.InteropServices;
using System.Text;
using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Tracing;

/// <summary>A child started by <see cref="ProcessLauncher"/>: its pid and the socket on which the
/// shim reports a set-up failure (EOF without a report means execve succeeded).</summary>
public sealed class SpawnedProcess : IDisposable
{
    internal SpawnedProcess(int pid, int reportFd, IDisposable? sharedMemory = null)
    {
        ProcessId = pid;
        ReportFd = reportFd;
        _sharedMemory = sharedMemory;
    }

    // With LaunchOptions.ShareMemory the child reads the request (and runs on a stack) in our
    // memory until it has exec'd: freed only when this is disposed, after the exec or the exit.
    private IDisposable? _sharedMemory;

    public int ProcessId { get; }
    internal int ReportFd { get; private set; }

    public void Dispose()
    {
        if (ReportFd >= 0)
        {
            Libc.close(ReportFd);
            ReportFd = -1;
        }
        _sharedMemory?.Dispose();
        _sharedMemory = null;
    }
}

/// <summary>What the child's report socket said.</summary>
public readonly record struct LaunchReport(LaunchStage FailedStage, int Errno, int ListenerFd)
{
    public bool Succeeded => FailedStage == LaunchStage.None;
}

/// <summary>
/// The one spawn path: marshals <see cref="LaunchOptions"/> for the C shim, which forks and sets the
/// child up. Call <see cref="Spawn"/> on the thread that will wait for (and trace) the child:
/// waitpid(__WNOTHREAD) and PR_SET_PDEATHSIG both belong to the forking thread.
/// </summary>
public static unsafe class ProcessLauncher
{
    private static readonly Lazy<int> ShimVersion = new(Shim.GetAbiVersion);

    public static SpawnedProcess Spawn(LaunchOptions options)
    {
        if (ShimVersion.Value != Shim.AbiVersion)
            throw new TraceException(TraceFailure.TracerFailed, options.FilePath,
                $"The native shim has ABI version {ShimVersion.Value}, this engine needs {Shim.AbiVersion}. Rebuild the module.");

        var arena = new NativeArena();
        bool shareMemory = options.ShareMemory && !options.StopForTracer;
        try
        {
            return Spawn(options, arena, shareMemory);
        }
        finally
        {
            if (!shareMemory)
                arena.Dispose();
        }
    }

    private const int ChildStackSize = 256 * 1024;

    private static SpawnedProcess Spawn(LaunchOptions options, NativeArena arena, bool shareMemory)
    {
        var request = new Shim.SpawnRequest
        {
            Size = (uint)sizeof(Shim.SpawnRequest),
            Path = arena.String(options.FilePath),
            Argv = arena.StringArray(Enumerable.Prepend(options.Arguments, options.ArgumentZero ?? options.FilePath)),
            Envp = arena.StringArray(EnvironmentBlock(options.Environment)),
            Cwd = options.WorkingDirectory is null ? null : arena.String(options.WorkingDirectory),
            UnshareFlags = options.UnshareFlags,
            UidMap = options.UidMap is null ? null : arena.String(options.UidMap),
            GidMap = options.GidMap is null ? null : arena.String(options.GidMap),
            Hostname = options.Hostname is null ? null : arena.String(options.Hostname),
            LandlockRulesetFd = options.LandlockRulesetFd,
            SeccompFlags = options.SeccompFlags,
            Uid = options.UserId ?? -1,
            Gid = options.GroupId ?? -1,
            KeepCapabilities = options.KeepCapabilities,
        };
        if (options.Mounts.Count > 0)
        {
            var mounts = (Shim.Mount*)arena.Allocate(sizeof(Shim.Mount) * options.Mounts.Count);
            for (int i = 0; i < options.Mounts.Count; i++)
            {
                MountStep step = options.Mounts[i];
                uint flags = (step.ReadOnly ? Shim.MountFlagReadOnly : 0) | (step.Writable ? Shim.MountFlagWritable : 0)
                    | (step.Create ? Shim.MountFlagCreate : 0) | (step.Directory ? Shim.MountFlagDirectory : 0);
                mounts[i] = new Shim.Mount
                {
                    Kind = (int)step.Kind,
                    Flags = flags,
                    Source = step.Source is null ? null : arena.String(step.Source),
                    Target = arena.String(step.Target),
                    Data = step.Data is null ? null : arena.String(step.Data),
                };
            }
            request.Mounts = mounts;
            request.MountCount = options.Mounts.Count;
        }
        request.Stdio[0] = options.StandardInput;
        request.Stdio[1] = options.StandardOutput;
        request.Stdio[2] = options.StandardError;
        if (options.StopForTracer) request.Flags |= Shim.SpawnStop;
        if (options.NoNewPrivileges) request.Flags |= Shim.SpawnNoNewPrivs;
        if (options.NewSession) request.Flags |= Shim.SpawnNewSession;
        if (options.LoopbackUp) request.Flags |= Shim.SpawnLoopbackUp;
        if (options.KillWithParent) request.Flags |= Shim.SpawnParentDeathKill;
        if (options.MountProc) request.Flags |= Shim.SpawnMountProc;
        if (options.DropCapabilities) request.Flags |= Shim.SpawnDropCapabilities;
        if (options.CgroupBestEffort) request.Flags |= Shim.SpawnCgroupBestEffort;
        if (options.InheritDescriptors) request.Flags |= Shim.SpawnInheritDescriptors;
        if (options.Orphan) request.Flags |= Shim.SpawnOrphan;
        if (options.NewProcessGroup) request.Flags |= Shim.SpawnNewProcessGroup;
        if (options.SupplementaryGroups.Count > 0)
        {
            uint* groups = (uint*)arena.Allocate(sizeof(uint) * options.SupplementaryGroups.Count);
            for (int i = 0; i < options.SupplementaryGroups.Count; i++)
                groups[i] = (uint)options.SupplementaryGroups[i];
            request.Groups = groups;
            request.GroupCount = options.SupplementaryGroups.Count;
        }
        if (shareMemory)
        {
            request.Flags |= Shim.SpawnSharedMemory;
            request.ChildStack = arena.Allocate(ChildStackSize);
            request.ChildStackSize = ChildStackSize;
        }

        var cgroupFds = new List<int>(options.CgroupProcsFds);
        if (options.CgroupProcsFd >= 0)
            cgroupFds.Add(options.CgroupProcsFd);
        if (cgroupFds.Count > 0)
        {
            int* fds = (int*)arena.Allocate(sizeof(int) * cgroupFds.Count);
            for (int i = 0; i < cgroupFds.Count; i++)
                fds[i] = cgroupFds[i];
            request.CgroupProcsFds = fds;
            request.CgroupProcsCount = cgroupFds.Count;
        }

        if (options.ResourceLimits.Count > 0)
        {
            var limits = (Shim.RLimit*)arena.Allocate(sizeof(Shim.RLimit) * options.ResourceLimits.Count);
            for (int i = 0; i < options.ResourceLimits.Count; i++)
                limits[i] = new Shim.RLimit { Resource = options.ResourceLimits[i].Resource, Soft = options.ResourceLimits[i].Soft, Hard = options.ResourceLimits[i].Hard };
            request.RLimits = limits;
            request.RLimitCount = options.ResourceLimits.Count;
        }

        if (options.SeccompProgram is { } program)
        {
            if (program.Length == 0 || program.Length % 8 != 0 || program.Length / 8 > ushort.MaxValue)
                throw new ArgumentException("A seccomp program is a non-empty array of 8-byte instructions.", nameof(options));
            byte* code = (byte*)arena.Allocate(program.Length);
            program.CopyTo(new Span<byte>(code, program.Length));
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
            byte* fprog = (byte*)arena.Allocate(16);
            *(ushort*)fprog = (ushort)(program.Length / 8);
            *(byte**)(fprog + 8) = code;
            request.SeccompProgram = fprog;
        }

        // With shared memory the request itself must outlive this call: copy it into the arena.
        var stored = (Shim.SpawnRequest*)arena.Allocate(sizeof(Shim.SpawnRequest));
        *stored = request;
        Shim.SpawnResult result;
        int rc = Shim.Spawn(stored, &result);
        if (rc < 0)
        {
            if (shareMemory)
                arena.Dispose();
            throw new TraceException(TraceFailure.TracerFailed, options.FilePath, $"fork failed: {Libc.ErrorText(-rc)}", -rc);
        }
        return new SpawnedProcess(result.Pid, result.ReportFd, shareMemory ? arena : null);
    }

    /// <summary>Reads the child's report. Blocks until the child reports or execs (EOF). A
    /// seccomp listener fd, if the child sends one, is returned and reading continues.</summary>
    /// <summary>What a launch that ended before the command ran means, for either backend: the
    /// command not found or not executable when exec failed, else a setup failure.</summary>
    public static TraceException FailureOf(LaunchReport report, string file, int status)
    {
        if (report.Succeeded)
            return new TraceException(TraceFailure.SetupFailed, file, $"The process ended before it could run (status 0x{status:x}).");
        TraceFailure failure = report.FailedStage == LaunchStage.Exec
            ? report.Errno switch
            {
                Libc.ENOENT => TraceFailure.CommandNotFound,
                Libc.EACCES or Libc.EPERM or 8 /* ENOEXEC */ => TraceFailure.PermissionDenied,
                _ => TraceFailure.SetupFailed,
            }
            : TraceFailure.SetupFailed;
        return new TraceException(failure, file, DescribeFailure(report, file), report.Errno, report.FailedStage);
    }

    public static LaunchReport ReadReport(SpawnedProcess process)
    {
        int listener = -1;
        while (true)
        {
            Shim.Report report;
            byte* control = stackalloc byte[64];
            var iov = new Libc.IoVec { Base = &report, Length = (nuint)sizeof(Shim.Report) };
            var msg = new Libc.MsgHdr { Iov = &iov, IovLen = 1, Control = control, ControlLen = 64 };
            nint n = Libc.recvmsg(process.ReportFd, &msg, 0x40000000 /* MSG_CMSG_CLOEXEC */);
            if (n < 0 && Libc.LastError == Libc.EINTR)
                continue;
            if (n <= 0)
                return new LaunchReport(LaunchStage.None, 0, listener);
            if (report.Stage is Shim.StagePidNamespaceInit or Shim.StageOrphaned)
                continue;
            if (report.Stage == Shim.StageListener)
            {
                listener = ReceivedFd(&msg);
                continue;
            }
            if (listener >= 0)
                Libc.close(listener);
            return new LaunchReport((LaunchStage)report.Stage, report.Error, -1);
        }
    }

    /// <summary>With <see cref="LaunchOptions.Orphan"/>: reaps the first child and returns the
    /// command's pid as the grandchild announced it, or the failure report (pid 0).</summary>
    public static (int Pid, LaunchReport Failure) AwaitOrphan(SpawnedProcess process)
    {
        while (true)
        {
            Shim.Report report;
            var iov = new Libc.IoVec { Base = &report, Length = (nuint)sizeof(Shim.Report) };
            var msg = new Libc.MsgHdr { Iov = &iov, IovLen = 1 };
            nint n = Libc.recvmsg(process.ReportFd, &msg, 0);
            if (n < 0 && Libc.LastError == Libc.EINTR)
                continue;
            if (n <= 0)
                return (0, new LaunchReport(LaunchStage.Orphan, Libc.ECHILD, -1));
            if (report.Stage == Shim.StageOrphaned)
                return (report.Error, default);
            if (report.Stage is Shim.StagePidNamespaceInit or Shim.StageListener)
                continue;
            return (0, new LaunchReport((LaunchStage)report.Stage, report.Error, -1));
        }
    }

    private static int ReceivedFd(Libc.MsgHdr* msg)
    {
        // struct cmsghdr { size_t len; int level; int type; } followed by the data.
        if (msg->ControlLen < 20)
            return -1;
        byte* cm = (byte*)msg->Control;
        int level = *(int*)(cm + 8), type = *(int*)(cm + 12);
        return level == 1 /* SOL_SOCKET */ && type == 1 /* SCM_RIGHTS */ ? *(int*)(cm + 16) : -1;
    }

    public static string DescribeFailure(LaunchReport report, string file)
    {
        string reason = Libc.ErrorText(report.Errno);
        return report.FailedStage switch
        {
            LaunchStage.Exec => $"Could not execute '{file}': {reason}.",
            LaunchStage.WorkingDirectory => $"Could not change to the working directory: {reason}.",
            _ => $"Setting up the child failed at stage '{report.FailedStage}': {reason}.",
        };
    }

    private static IEnumerable<string> EnvironmentBlock(IReadOnlyDictionary<string, string>? environment)
    {
        if (environment is not null)
            return environment.Select(kv => kv.Key + "=" + kv.Value);
        var current = System.Environment.GetEnvironmentVariables();
        var list = new List<string>(current.Count);
        foreach (System.Collections.DictionaryEntry entry in current)
            list.Add(entry.Key + "=" + entry.Value);
        return list;
    }

    /// <summary>Unmanaged memory for one request, freed together.</summary>
    private sealed class NativeArena : IDisposable
    {
        private readonly List<nint> _blocks = new();

        public void* Allocate(int bytes)
        {
            nint block = (nint)NativeMemory.AllocZeroed((nuint)Math.Max(bytes, 1));
            _blocks.Add(block);
            return (void*)block;
        }

        public byte* String(string value)
        {
            if (value.Contains('\0'))
                throw new ArgumentException($"An argument or environment string contains a NUL character: '{value.Replace("\0", "\\0")}'.");
            int length = Encoding.UTF8.GetByteCount(value);
            byte* p = (byte*)Allocate(length + 1);
            Encoding.UTF8.GetBytes(value, new Span<byte>(p, length));
            return p;
        }

        public byte** StringArray(IEnumerable<string> values)
        {
            var list = values as IList<string> ?? values.ToList();
            byte** array = (byte**)Allocate(sizeof(byte*) * (list.Count + 1));
            for (int i = 0; i < list.Count; i++)
                array[i] = String(list[i]);
            return array;
        }

        public void Dispose()
        {
            foreach (nint block in _blocks)
                NativeMemory.Free((void*)block);
        }
    }
}
