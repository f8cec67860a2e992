using System.Runtime.InteropServices;
using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Tracing;

/// <summary>
/// strace -k: the stack of a thread stopped in a syscall, unwound with libdw and written as strace
/// prints each frame: "FILE(SYMBOL+0xOFF) [0xADDR]", or "FILE() [0xADDR]" without a symbol, ADDR
/// the address's offset from the module's start. SYMBOL is the closest function symbol at or below
/// the address, whatever its size, as Debian's strace 6.1 (built with libunwind) names frames: in a
/// stripped library that is the nearest exported function ("_dl_catch_error+0x26f0"). One
/// Dwfl per process (its modules from /proc/PID/maps, attached to its ptrace-stopped threads),
/// dropped when the process execs or its mappings change (mmap, munmap, mremap, shmat, shmdt,
/// remap_file_pages), as strace's cache is. Tracer thread only; frames are written straight into
/// the capture buffer (no allocation per call once a process's Dwfl exists).
/// </summary>
internal sealed unsafe class StackUnwinder : IDisposable
{
    private const int MaxFrames = 256;
    private readonly Dictionary<int, nint> _sessions = new();
    private readonly Dictionary<nint, Symbols> _symbols = new(); // per module of the live Dwfls

    /// <summary>A module's function symbols by address (ties keep the table's first name).</summary>
    private sealed class Symbols
    {
        public ulong[] Addresses = [];
        public nint[] Names = [];
        /// <summary>For each entry, the entry of the same address that comes first in the ELF
        /// file's own table (libunwind keeps the first name it meets).</summary>
        public int[] First = [];
    }
    private readonly byte[] _text = new byte[64 * 1024];
    private int _length;
    private int _frames;
    private nint _dwfl;

    [ThreadStatic] private static StackUnwinder? t_current;

    private StackUnwinder() { }

    /// <summary>Null when -StackTrace is off; throws when libdw is missing.</summary>
    public static StackUnwinder? Create(bool enabled)
    {
        if (!enabled)
            return null;
        if (!LibDw.Available)
            throw new TraceException(TraceFailure.SetupFailed, "libdw.so.1",
                "Stack traces need elfutils' libdw (libdw.so.1): install the package libdw1 (apt-get install libdw1).");
        return new StackUnwinder();
    }

    /// <summary>Unwinds are counted, for tests and the performance notes.</summary>
    public long Unwinds { get; private set; }

    /// <summary>Writes the stack of thread <paramref name="tid"/> of process <paramref name="pid"/> as slot <paramref name="slot"/>.</summary>
    public void Capture(int pid, int tid, int slot, CaptureBuffer into)
    {
        if (!_sessions.TryGetValue(pid, out nint dwfl))
        {
            dwfl = LibDw.Open(pid);
            if (dwfl == 0)
                return;
            _sessions[pid] = dwfl;
        }
        Unwinds++;
        _dwfl = dwfl;
        _length = 0;
        _frames = 0;
        t_current = this;
        try
        {
            LibDw.GetThreadFrames(dwfl, tid, &OnFrame, null);
        }
        finally
        {
            t_current = null;
        }
        if (_length > 0)
            into.Add(slot, CaptureStatus.Ok, _text.AsSpan(0, _length - 1)); // without the last newline
    }

    /// <summary>The process's modules changed (exec, a mapping call): forget its Dwfl.</summary>
    public void Invalidate(int pid)
    {
        if (_sessions.Remove(pid, out nint dwfl))
        {
            LibDw.Close(dwfl);
            _symbols.Clear(); // module handles die with their Dwfl; the others' are rebuilt on use
        }
    }

    /// <summary>On the seccomp fast path the mapping calls must stop too (unreported), or a library
    /// loaded later (dlopen) would be missing from a process's cached modules.</summary>
    public static SyscallFilter WidenForFastPath(SyscallFilter filter, bool stackTraces)
        => !stackTraces || filter.SelectsAll ? filter
            : SyscallFilter.Create(filter.Names.Concat(["mmap", "munmap", "mremap", "shmat", "shmdt", "remap_file_pages"]).Distinct(StringComparer.Ordinal));

    /// <summary>Calls after which strace refreshes its module cache (x86_64 numbers).</summary>
    public static bool ChangesMappings(int number) => number is 9 or 11 or 25 or 30 or 67 or 216;

    [UnmanagedCallersOnly]
    private static int OnFrame(nint frame, void* arg)
    {
        StackUnwinder? self = t_current;
        if (self is null)
            return 1; // DWARF_CB_ABORT
        try
        {
            return self.Frame(frame) ? 0 : 1;
        }
        catch
        {
            return 1; // never let an exception cross into libdw
        }
    }

    private bool Frame(nint frame)
    {
        if (!LibDw.FramePc(frame, out ulong pc, out bool activation))
            return false;
        // A return address points after its call: its module is looked up one byte before (a
        // noreturn call may end a mapping); the symbol at the address itself, as libunwind does.
        ulong lookup = activation ? pc : pc - 1;
        nint module = LibDw.AddrModule(_dwfl, lookup);
        if (module == 0)
        {
            Append("unexpected_backtracing_error [0x"u8);
            AppendHex(pc);
            Append("]\n"u8);
            return ++_frames < MaxFrames && _length < _text.Length - 8192;
        }
        byte* name = LibDw.ModuleInfo(module, out ulong start);
        AppendCString(name);
        Append("("u8);
        Symbols symbols = SymbolsOf(module);
        int i = Array.BinarySearch(symbols.Addresses, pc);
        if (i < 0)
            i = ~i - 1;
        if (i >= 0)
            i = symbols.First[i];
        if (i >= 0)
        {
            AppendCString((byte*)symbols.Names[i]);
            Append("+0x"u8);
            AppendHex(pc - symbols.Addresses[i]);
        }
        Append(") [0x"u8);
        AppendHex(pc - start);
        Append("]\n"u8);
        return ++_frames < MaxFrames && _length < _text.Length - 8192;
    }

    private Symbols SymbolsOf(nint module)
    {
        if (_symbols.TryGetValue(module, out Symbols? s))
            return s;
        var list = new List<(ulong Address, int Index, nint Name)>();
        int count = LibDw.ModuleSymbolCount(module);
        for (int k = 1; k < count; k++)
        {
            byte* name = LibDw.ModuleSymbol(module, k, out ulong address, out bool function);
            if (function && address != 0 && name is not null && name[0] != 0)
                list.Add((address, k, (nint)name));
        }
        list.Sort((a, b) => a.Address != b.Address ? a.Address.CompareTo(b.Address) : a.Index.CompareTo(b.Index));
        s = new Symbols { Addresses = list.Select(x => x.Address).ToArray(), Names = list.Select(x => x.Name).ToArray(), First = new int[list.Count] };
        for (int k = 0; k < list.Count; k++)
            s.First[k] = k > 0 && list[k - 1].Address == list[k].Address ? s.First[k - 1] : k;
        _symbols[module] = s;
        return s;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_text.AsSpan(_length));
        _length += bytes.Length;
    }

    private void AppendCString(byte* s)
    {
        if (s is null)
            return;
        int n = 0;
        while (s[n] != 0 && n < 2048)
            n++;
        Append(new ReadOnlySpan<byte>(s, n));
    }

    private void AppendHex(ulong v)
    {
        v.TryFormat(_text.AsSpan(_length), out int written, "x", System.Globalization.CultureInfo.InvariantCulture);
        _length += written;
    }

    public void Dispose()
    {
        foreach (nint dwfl in _sessions.Values)
            LibDw.Close(dwfl);
        _sessions.Clear();
    }
}
