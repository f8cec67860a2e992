using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Native;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Sandbox;

/// <summary>
/// Answers the sandbox's seccomp user notifications. The installed filter notifies instead of
/// stopping a call (see <see cref="SeccompProgram.ToSupervisedProgram"/>); for each notification
/// the supervisor runs the policy's own program on the call to learn its action, records a
/// <see cref="SeccompViolation"/> when that action stops the call, and then does what the kernel
/// would have done: fail the call with the policy's errno, SIGSYS the thread (Trap), ENOSYS (Trace
/// without a tracer), or kill the process (KillProcess, KillThread). Under audit it lets the call
/// run instead. Calls the policy allows (the shim's execve, which the filter always notifies) run.
/// Calls the policy itself sends to user space (Notify) go to the notify rules, then to the
/// consumer's handler (answered later through <see cref="Respond(SeccompNotification, SeccompNotifyResponse)"/>,
/// from any thread), else run as before; with rules or a handler, an undecided call fails with EPERM.
/// </summary>
internal sealed unsafe class SeccompSupervisor : IDisposable
{
    private const uint RetActionFull = 0xffff0000, RetKillProcess = 0x80000000, RetKillThread = 0,
        RetTrap = 0x00030000, RetErrno = 0x00050000, RetTrace = 0x7ff00000;

    private readonly SeccompProgram _policy;
    private readonly bool _audit;
    private readonly Action<SeccompViolation> _report;
    private readonly HashSet<int> _killed = new();
    private readonly StringBuilder _text = new(96);

    // Decoding a violation's arguments as the tracer does: the notified thread waits in the
    // kernel until we answer, so its memory (paths, structs) can be read now, as at an entry stop.
    private readonly Tracing.ArgumentCapture _capture = new(stringLimit: 32);
    private readonly Tracing.CaptureBuffer _captured = new(4096);
    private readonly Tracing.FdLinkCache _fds = new(enabled: false);
    private int _listener;
    private readonly object _listenerLock = new();
    private readonly IReadOnlyList<SeccompNotifyRule> _notifyRules;
    private readonly bool _notifyHandler;
    private readonly Action<SeccompNotification>? _notified;

    public SeccompSupervisor(int listenerFd, SeccompProgram policy, bool audit, Action<SeccompViolation> report,
        IReadOnlyList<SeccompNotifyRule>? notifyRules = null, bool notifyHandler = false, Action<SeccompNotification>? notified = null)
    {
        _listener = listenerFd;
        _policy = policy;
        _audit = audit;
        _report = report;
        _notifyRules = notifyRules ?? Array.Empty<SeccompNotifyRule>();
        _notifyHandler = notifyHandler;
        _notified = notified;
    }

    private static ulong s_shimExecveAddress;

    /// <summary>Where the shim's execve is made from (the instruction pointer its notification
    /// reports: inside this process's C library, so the same for every spawn), once some
    /// supervised spawn has shown it; 0 before.</summary>
    public static ulong ShimExecveAddress => Volatile.Read(ref s_shimExecveAddress);

    /// <summary>Set once the command has been executed: before, an x86_64 execve is the shim's own,
    /// which runs when the policy notifies execve (nobody could answer it yet).</summary>
    public bool Started { get; set; }

    private bool HandlesNotify => _notifyRules.Count > 0 || _notifyHandler;

    public int ListenerFd => _listener;

    /// <summary>Processes (thread group ids) the supervisor killed for the policy.</summary>
    public IReadOnlyCollection<int> KilledProcesses => _killed;

    /// <summary>Receives and answers one notification. False when the listener is finished
    /// (no process uses the filter any more).</summary>
    public bool HandleOne()
    {
        SeccompNotify.Notification n = default;
        if (SeccompNotify.Ioctl(_listener, SeccompNotify.IoctlRecv, &n) != 0)
        {
            int err = Libc.LastError;
            // ENOENT: the caller was killed or interrupted before we took it; EINTR: retry later.
            return err is Libc.ENOENT or Libc.EINTR or Libc.EAGAIN;
        }

        // Before the command has been executed, the only execve is the shim's own.
        bool shimExecve = !Started && n.Data.Nr == 59 && n.Data.Arch == AuditArch.X86_64;
        if (shimExecve)
            Volatile.Write(ref s_shimExecveAddress, n.Data.InstructionPointer);
        uint action = _policy.Evaluate(in n.Data);
        bool notify = (action & RetActionFull) == SeccompNotify.RetUserNotif;
        // The shim's execve runs when the policy notifies execve: nobody could answer it yet. The
        // command's first calls may come before its exec's report is read: they are answered as
        // any other (only execve is told apart), so none gets past the rules or the handler.
        if (SeccompProgram.Allows(action) || (notify && (!HandlesNotify || shimExecve)))
        {
            Respond(n.Id, 0, SeccompNotify.FlagContinue);
            return true;
        }
        if (notify)
        {
            Notified(ref n, action);
            return true;
        }

        int tid = (int)n.Pid;
        SeccompViolation violation = Describe(ref n, tid, action);
        // The thread could have died and its id been reused while we read /proc: only trust what
        // we read if the notification is still pending.
        ulong id = n.Id;
        bool valid = SeccompNotify.Ioctl(_listener, SeccompNotify.IoctlIdValid, &id) == 0;
        _report(violation);
        if (!valid)
            return true;

        if (_audit)
        {
            Respond(n.Id, 0, SeccompNotify.FlagContinue);
            return true;
        }
        switch (action & RetActionFull)
        {
            case RetErrno:
                Respond(n.Id, -(int)(action & 0xffff), 0);
                break;
            case RetTrap when SigsysBlockedOrIgnored(tid):
                // The kernel forces a trap's SIGSYS: blocked or ignored, it is unblocked and reset
                // to its default action, which kills. tgkill cannot force, so kill as it would.
                _killed.Add(violation.ProcessId);
                Libc.kill(violation.ProcessId, Libc.SIGKILL);
                break;
            case RetTrap:
                Libc.tgkill(violation.ProcessId, tid, Libc.SIGSYS);
                Respond(n.Id, -Libc.ENOSYS, 0);
                break;
            case RetTrace:
                Respond(n.Id, -Libc.ENOSYS, 0);
                break;
            default: // KillProcess, KillThread and unknown actions, which the kernel treats as KillProcess
                _killed.Add(violation.ProcessId);
                Libc.kill(violation.ProcessId, Libc.SIGKILL);
                break;
        }
        return true;
    }

    /// <summary>A call the policy notifies: decoded, checked still pending (the thread could have
    /// died and its id been reused while its memory was read), then answered by the first rule
    /// that matches, or handed to the consumer's handler, or failed with EPERM.</summary>
    private void Notified(ref SeccompNotify.Notification n, uint action)
    {
        int tid = (int)n.Pid;
        SeccompViolation d = Describe(ref n, tid, action);
        ulong id = n.Id;
        if (SeccompNotify.Ioctl(_listener, SeccompNotify.IoctlIdValid, &id) != 0)
            return; // the caller is gone: nothing to answer
        var call = new SeccompNotification
        {
            Timestamp = d.Timestamp, ProcessId = d.ProcessId, ThreadId = d.ThreadId, ProcessName = d.ProcessName,
            Name = d.Name, Number = d.Number, Architecture = d.Architecture, Arguments = d.Arguments,
            Argument0 = d.Argument0, Argument1 = d.Argument1, Argument2 = d.Argument2,
            Argument3 = d.Argument3, Argument4 = d.Argument4, Argument5 = d.Argument5,
            InstructionPointer = d.InstructionPointer, NotificationId = n.Id,
        };
        for (int i = 0; i < _notifyRules.Count; i++)
        {
            SeccompNotifyRule rule = _notifyRules[i];
            bool matches;
            try
            {
                matches = rule.Matches(call);
            }
            catch (Seccomp.SeccompException)
            {
                matches = false; // validated before the start; a rule changed since is skipped
            }
            if (!matches)
                continue;
            SeccompNotifyResponse response;
            try
            {
                response = rule.Response;
            }
            catch (Seccomp.SeccompException)
            {
                response = SeccompNotifyResponse.Errno(Libc.EPERM);
            }
            call.DecidedBy = "rule " + (i + 1).ToString(CultureInfo.InvariantCulture);
            Answer(call, response);
            return;
        }
        if (_notifyHandler)
        {
            _notified?.Invoke(call); // the consumer answers through Respond
            return;
        }
        call.DecidedBy = "default";
        Answer(call, SeccompNotifyResponse.Errno(Libc.EPERM));
    }

    private void Answer(SeccompNotification call, SeccompNotifyResponse response)
    {
        Respond(call, response);
        _notified?.Invoke(call);
    }

    /// <summary>Answers a notified call (from any thread; once the listener is closed, nothing
    /// happens). Sets the call's Response and Logged.</summary>
    public void Respond(SeccompNotification call, SeccompNotifyResponse response)
    {
        call.Response = response.ToString();
        call.Logged = response.Log;
        var r = response.Kind switch
        {
            SeccompNotifyResponseKind.Errno => new SeccompNotify.Response { Id = call.NotificationId, Error = -response.Error },
            SeccompNotifyResponseKind.Return => new SeccompNotify.Response { Id = call.NotificationId, Val = response.Value },
            _ => new SeccompNotify.Response { Id = call.NotificationId, Flags = SeccompNotify.FlagContinue },
        };
        lock (_listenerLock)
        {
            if (_listener >= 0)
                SeccompNotify.Ioctl(_listener, SeccompNotify.IoctlSend, &r); // ENOENT: the caller is gone
        }
    }

    private void Respond(ulong id, int error, uint flags)
    {
        var response = new SeccompNotify.Response { Id = id, Val = 0, Error = error, Flags = flags };
        // ENOENT: the caller is gone (killed, or its wait interrupted); nothing to answer.
        SeccompNotify.Ioctl(_listener, SeccompNotify.IoctlSend, &response);
    }

    private SeccompViolation Describe(ref SeccompNotify.Notification n, int tid, uint action)
    {
        SyscallArchitecture arch = AuditArch.Classify(n.Data.Arch, n.Data.Nr, out int number);
        var (tgid, comm) = ReadTask(tid);
        var v = new SeccompViolation
        {
            Timestamp = DateTime.Now,
            ProcessId = tgid,
            ThreadId = tid,
            ProcessName = comm,
            Name = SyscallTable.For(arch).GetDisplayName(number),
            Number = number,
            Architecture = arch,
            Action = ActionName(action),
            Errno = (action & RetActionFull) == RetErrno ? ErrnoNames.GetName((int)(action & 0xffff)) ?? (action & 0xffff).ToString(CultureInfo.InvariantCulture) : null,
            Enforced = !_audit,
            InstructionPointer = n.Data.InstructionPointer,
            Argument0 = n.Data.Args[0], Argument1 = n.Data.Args[1], Argument2 = n.Data.Args[2],
            Argument3 = n.Data.Args[3], Argument4 = n.Data.Args[4], Argument5 = n.Data.Args[5],
        };
        if (TryDecodeArguments(tid, arch, v.Name, ref n) is string decoded)
        {
            v.Arguments = decoded;
            return v;
        }
        _text.Clear();
        for (int i = 0; i < 6; i++)
        {
            if (i > 0)
                _text.Append(", ");
            ulong value = n.Data.Args[i];
            // An i386 or x32 call passes 32-bit registers.
            if (arch != SyscallArchitecture.X86_64)
                value &= 0xffffffff;
            _text.Append("0x").Append(value.ToString("x", CultureInfo.InvariantCulture));
        }
        v.Arguments = _text.ToString();
        return v;
    }

    /// <summary>The arguments as Start-TracedProcess shows them (paths, flags, fds), for the x86_64
    /// calls the decoder knows; null where it cannot (other ABIs, memory unreadable), and the raw
    /// registers are shown instead.</summary>
    private string? TryDecodeArguments(int tid, SyscallArchitecture arch, string name, ref SeccompNotify.Notification n)
    {
        if (arch != SyscallArchitecture.X86_64 || SyscallSignatures.Get(name) is not { Arguments: not null } signature)
            return null;
        Span<ulong> args = [n.Data.Args[0], n.Data.Args[1], n.Data.Args[2], n.Data.Args[3], n.Data.Args[4], n.Data.Args[5]];
        signature.Normalize(args);
        try
        {
            _captured.Clear();
            _capture.Entry(tid, _fds, signature, args, 0, _captured);
            var context = new DecodeContext
            {
                Signature = signature,
                Args = args,
                Unfinished = true, // the call has not run (and, denied, never will): no outputs
                StringLimit = _capture.StringLimit,
                Data = new CapturedData(_captured.Data.AsSpan(0, _captured.Length)),
            };
            _text.Clear();
            SyscallDecoder.FormatArguments(ref context, _text);
            return _text.ToString();
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    /// <summary>The kernel's action as the policy model names it: Errno(EPERM), KillProcess...</summary>
    internal static string ActionName(uint action)
    {
        uint data = action & 0xffff;
        return (action & RetActionFull) switch
        {
            RetErrno => $"Errno({ErrnoNames.GetName((int)data) ?? data.ToString(CultureInfo.InvariantCulture)})",
            RetKillThread => "KillThread",
            RetTrap => "Trap",
            RetTrace => $"Trace({data.ToString(CultureInfo.InvariantCulture)})",
            _ => "KillProcess",
        };
    }

    /// <summary>True when the thread blocks SIGSYS or its process ignores it (/proc/TID/status
    /// SigBlk and SigIgn, bit 30). The thread waits in the kernel for our answer, so its mask
    /// cannot change meanwhile; another thread could change the disposition, which is a race the
    /// documentation names.</summary>
    private static bool SigsysBlockedOrIgnored(int tid)
    {
        const ulong Sigsys = 1UL << (31 - 1);
        try
        {
            foreach (string line in File.ReadLines($"/proc/{tid}/status"))
            {
                if ((line.StartsWith("SigBlk:", StringComparison.Ordinal) || line.StartsWith("SigIgn:", StringComparison.Ordinal))
                    && ulong.TryParse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong mask)
                    && (mask & Sigsys) != 0)
                    return true;
            }
        }
        catch (IOException)
        {
        }
        return false;
    }

    private static (int Tgid, string Comm) ReadTask(int tid)
    {
        int tgid = tid;
        string comm = "";
        try
        {
            foreach (string line in File.ReadLines($"/proc/{tid}/status"))
            {
                if (line.StartsWith("Name:", StringComparison.Ordinal))
                    comm = line[5..].Trim();
                else if (line.StartsWith("Tgid:", StringComparison.Ordinal))
                {
                    int.TryParse(line.AsSpan(5).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out tgid);
                    break;
                }
            }
        }
        catch (IOException)
        {
        }
        return (tgid, comm);
    }

    public void Dispose()
    {
        lock (_listenerLock)
        {
            if (_listener >= 0)
            {
                Libc.close(_listener);
                _listener = -1;
            }
        }
    }
}
