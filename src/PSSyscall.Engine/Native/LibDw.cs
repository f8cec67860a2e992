using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Native;

/// <summary>
/// elfutils' libdw (libdw.so.1, Debian's libdw1): the unwinder strace -k uses. Loaded on first use
/// only (a trace without -StackTrace never touches it). Every call from the tracer thread.
/// </summary>
internal static unsafe class LibDw
{
    private static readonly Lazy<nint> Handle = new(() => NativeLibrary.TryLoad("libdw.so.1", out nint h) ? h : 0);

    /// <summary>True when the system has libdw.</summary>
    public static bool Available => Handle.Value != 0 && Functions.Value is not null;

    private sealed class Table
    {
        public delegate* unmanaged<void*, nint> Begin;
        public delegate* unmanaged<nint, int, int> LinuxProcReport;
        public delegate* unmanaged<nint, void*, void*, int> ReportEnd;
        public delegate* unmanaged<nint, int, byte, int> LinuxProcAttach;
        public delegate* unmanaged<nint, int, delegate* unmanaged<nint, void*, int>, void*, int> GetThreadFrames;
        public delegate* unmanaged<nint, ulong*, byte*, byte> FramePc;
        public delegate* unmanaged<nint, ulong, nint> AddrModule;
        public delegate* unmanaged<nint, void***, ulong*, ulong*, ulong*, ulong*, byte**, byte**, byte*> ModuleInfo;
        public delegate* unmanaged<nint, ulong, ulong*, void*, uint*, void**, ulong*, byte*> ModuleAddrInfo;
        public delegate* unmanaged<nint, void> End;
        public delegate* unmanaged<nint, int> ModuleGetSymtab;
        public delegate* unmanaged<nint, int, byte*, ulong*, uint*, void**, ulong*, byte*> ModuleGetSymInfo;
        public void* Callbacks; // Dwfl_Callbacks, kept for the process's life (libdw keeps the pointer)
    }

    private static readonly Lazy<Table?> Functions = new(Load);

    private static Table? Load()
    {
        nint h = Handle.Value;
        if (h == 0)
            return null;
        try
        {
            var t = new Table
            {
                Begin = (delegate* unmanaged<void*, nint>)NativeLibrary.GetExport(h, "dwfl_begin"),
                LinuxProcReport = (delegate* unmanaged<nint, int, int>)NativeLibrary.GetExport(h, "dwfl_linux_proc_report"),
                ReportEnd = (delegate* unmanaged<nint, void*, void*, int>)NativeLibrary.GetExport(h, "dwfl_report_end"),
                LinuxProcAttach = (delegate* unmanaged<nint, int, byte, int>)NativeLibrary.GetExport(h, "dwfl_linux_proc_attach"),
                GetThreadFrames = (delegate* unmanaged<nint, int, delegate* unmanaged<nint, void*, int>, void*, int>)NativeLibrary.GetExport(h, "dwfl_getthread_frames"),
                FramePc = (delegate* unmanaged<nint, ulong*, byte*, byte>)NativeLibrary.GetExport(h, "dwfl_frame_pc"),
                AddrModule = (delegate* unmanaged<nint, ulong, nint>)NativeLibrary.GetExport(h, "dwfl_addrmodule"),
                ModuleInfo = (delegate* unmanaged<nint, void***, ulong*, ulong*, ulong*, ulong*, byte**, byte**, byte*>)NativeLibrary.GetExport(h, "dwfl_module_info"),
                ModuleAddrInfo = (delegate* unmanaged<nint, ulong, ulong*, void*, uint*, void**, ulong*, byte*>)NativeLibrary.GetExport(h, "dwfl_module_addrinfo"),
                End = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(h, "dwfl_end"),
                ModuleGetSymtab = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(h, "dwfl_module_getsymtab"),
                ModuleGetSymInfo = (delegate* unmanaged<nint, int, byte*, ulong*, uint*, void**, ulong*, byte*>)NativeLibrary.GetExport(h, "dwfl_module_getsym_info"),
            };
            // Dwfl_Callbacks { find_elf, find_debuginfo, section_address, debuginfo_path }: the
            // modules' own files from /proc, and no separate debug files: strace 6.1 (Debian) names
            // frames from the files' own symbols (with libc6-dbg installed it still prints
            // "__libc_init_first+0x8a", not the debug file's "__libc_start_call_main"), and no lookup
            // can reach for debuginfod over the network.
            nint* callbacks = (nint*)NativeMemory.AllocZeroed(4, (nuint)sizeof(nint));
            callbacks[0] = NativeLibrary.GetExport(h, "dwfl_linux_proc_find_elf");
            callbacks[1] = (nint)(delegate* unmanaged<nint, void**, byte*, ulong, byte*, byte*, uint, byte**, int>)&NoDebugInfo;
            callbacks[2] = 0;
            callbacks[3] = (nint)NativeMemory.AllocZeroed((nuint)sizeof(nint)); // char *debuginfo_path = NULL
            t.Callbacks = callbacks;
            return t;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    [UnmanagedCallersOnly]
    private static int NoDebugInfo(nint module, void** userdata, byte* moduleName, ulong baseAddress, byte* fileName, byte* debugLink, uint crc, byte** debugFileName)
        => -1;

    private static Table F => Functions.Value ?? throw new DllNotFoundException("libdw.so.1 (Debian package libdw1) is not installed.");

    /// <summary>A Dwfl for process <paramref name="pid"/>, its modules reported from /proc/PID/maps and
    /// attached to its (ptrace-stopped) threads; 0 on failure.</summary>
    public static nint Open(int pid)
    {
        Table f = F;
        nint dwfl = f.Begin(f.Callbacks);
        if (dwfl == 0)
            return 0;
        if (f.LinuxProcReport(dwfl, pid) != 0 || f.ReportEnd(dwfl, null, null) != 0 || f.LinuxProcAttach(dwfl, pid, 1) != 0)
        {
            f.End(dwfl);
            return 0;
        }
        return dwfl;
    }

    public static void Close(nint dwfl)
    {
        if (dwfl != 0)
            F.End(dwfl);
    }

    public static int GetThreadFrames(nint dwfl, int tid, delegate* unmanaged<nint, void*, int> callback, void* arg)
        => F.GetThreadFrames(dwfl, tid, callback, arg);

    public static bool FramePc(nint frame, out ulong pc, out bool isActivation)
    {
        ulong p;
        byte activation;
        bool ok = F.FramePc(frame, &p, &activation) != 0;
        pc = p;
        isActivation = activation != 0;
        return ok;
    }

    public static nint AddrModule(nint dwfl, ulong address) => F.AddrModule(dwfl, address);

    /// <summary>The module's name (its file) and the lowest address it is mapped at.</summary>
    public static byte* ModuleInfo(nint module, out ulong start)
    {
        ulong s;
        byte* name = F.ModuleInfo(module, null, &s, null, null, null, null, null);
        start = s;
        return name;
    }

    /// <summary>Symbols in the module's table (its .symtab, else .dynsym); -1 on failure.</summary>
    public static int ModuleSymbolCount(nint module) => F.ModuleGetSymtab(module);

    /// <summary>Symbol <paramref name="index"/>: its name, run-time address and whether it is a function.</summary>
    public static byte* ModuleSymbol(nint module, int index, out ulong address, out bool function)
    {
        byte* sym = stackalloc byte[24]; // GElf_Sym: st_name, st_info, st_other, st_shndx, st_value, st_size
        ulong a;
        byte* name = F.ModuleGetSymInfo(module, index, sym, &a, null, null, null);
        address = a;
        function = (sym[4] & 0xf) == 2; // STT_FUNC
        return name;
    }

    /// <summary>The symbol containing <paramref name="address"/> and the offset into it; null if none.</summary>
    public static byte* ModuleAddrInfo(nint module, ulong address, out ulong offset)
    {
        ulong o;
        byte* sym = stackalloc byte[24]; // GElf_Sym
        byte* name = F.ModuleAddrInfo(module, address, &o, sym, null, null, null);
        offset = o;
        return name;
    }
}
