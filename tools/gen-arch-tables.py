#!/usr/bin/env python3
"""Generates src/PSSyscall.Engine/Syscalls/ArchitectureTables.g.cs: the syscall numbers of every
architecture libseccomp knows, from libseccomp's own data (src/syscalls.csv of Debian's source
package), and each architecture's AUDIT_ARCH_* value from the kernel's uapi headers
(linux/audit.h, linux/elf-em.h).

x86_64, i386 and x32 keep their tables from the kernel headers (tools/gen-syscall-numbers.py); this
script writes the others. Numbers are each ABI's own, without its base (MIPS o32 4000, n64 5000,
n32 6000), as SyscallTable keeps x32's without the x32 bit. Syscalls newer than libseccomp's table
(451 on, the kernel's common numbering since 5.1) are added as gen-syscall-numbers.py does.

Run: python3 tools/gen-arch-tables.py [path/to/syscalls.csv] [--out FILE]
(--out writes elsewhere; the tests use it to check the committed file is the generator's output).
Without a path it uses ~/.cache/pssyscall/libseccomp/libseccomp-*/src/syscalls.csv, fetching the
source package with `apt-get source --download-only libseccomp` when missing (needs a deb-src line)
and unpacking it with dpkg-source (dpkg-dev), which applies Debian's patches: Debian 12's
2.5.4-1+deb12u1 updates the table to Linux 6.7, and the tables must match the library installed.
"""
import glob, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src/PSSyscall.Engine/Syscalls/ArchitectureTables.g.cs")
CACHE = os.path.expanduser("~/.cache/pssyscall/libseccomp")

# enum name, libseccomp name (SCMP_ARCH_*), csv column, AUDIT_ARCH_ name, number base,
# Go/Docker names (includes.arches). Word size (libseccomp's ARCH_SIZE_*) is read from its
# src/arch-*.c; the multiplexed calls (socketcall, ipc) from the csv.
ARCHES = [
    ("Aarch64", "AARCH64", "aarch64", "AARCH64", 0, ["arm64", "aarch64"]),
    ("Arm", "ARM", "arm", "ARM", 0, ["arm"]),
    ("Riscv64", "RISCV64", "riscv64", "RISCV64", 0, ["riscv64"]),
    ("Ppc64le", "PPC64LE", "ppc64", "PPC64LE", 0, ["ppc64le"]),
    ("Ppc64", "PPC64", "ppc64", "PPC64", 0, ["ppc64"]),
    ("Ppc", "PPC", "ppc", "PPC", 0, ["ppc"]),
    ("S390x", "S390X", "s390x", "S390X", 0, ["s390x"]),
    ("S390", "S390", "s390", "S390", 0, ["s390"]),
    ("Mips", "MIPS", "mips", "MIPS", 4000, ["mips"]),
    ("Mipsel", "MIPSEL", "mips", "MIPSEL", 4000, ["mipsle", "mipsel"]),
    ("Mips64", "MIPS64", "mips64", "MIPS64", 5000, ["mips64"]),
    ("Mipsel64", "MIPSEL64", "mips64", "MIPSEL64", 5000, ["mips64le", "mipsel64"]),
    ("Mips64n32", "MIPS64N32", "mips64n32", "MIPS64N32", 6000, ["mips64n32"]),
    ("Mipsel64n32", "MIPSEL64N32", "mips64n32", "MIPSEL64N32", 6000, ["mips64len32", "mipsel64n32"]),
    ("Parisc", "PARISC", "parisc", "PARISC", 0, ["parisc"]),
    ("Parisc64", "PARISC64", "parisc64", "PARISC64", 0, ["parisc64"]),
]

# Syscalls newer than libseccomp's table (Debian's 2.5.4-1+deb12u1: Linux 6.7): the kernel's common
# numbers, the same on every architecture above (plus the MIPS bases). The table's own entries win.
NEWER = [
    (451, "cachestat"), (452, "fchmodat2"), (453, "map_shadow_stack"), (454, "futex_wake"),
    (455, "futex_wait"), (456, "futex_requeue"), (457, "statmount"), (458, "listmount"),
    (459, "lsm_get_self_attr"), (460, "lsm_set_self_attr"), (461, "lsm_list_modules"),
    (462, "mseal"), (463, "setxattrat"), (464, "getxattrat"), (465, "listxattrat"),
    (466, "removexattrat"), (467, "open_tree_attr"), (468, "file_getattr"), (469, "file_setattr"),
]


ARGS = sys.argv[1:]
if "--out" in ARGS:
    i = ARGS.index("--out")
    OUT = ARGS[i + 1]
    del ARGS[i:i + 2]


def find_csv():
    if ARGS:
        return ARGS[0]
    found = sorted(glob.glob(os.path.join(CACHE, "libseccomp-*/src/syscalls.csv")))
    if found:
        return found[-1]
    os.makedirs(CACHE, exist_ok=True)
    subprocess.run(["apt-get", "source", "--download-only", "libseccomp"], cwd=CACHE, check=True)
    dsc = sorted(glob.glob(os.path.join(CACHE, "libseccomp_*.dsc")))[-1]
    subprocess.run(["dpkg-source", "-x", dsc], cwd=CACHE, check=True)
    return sorted(glob.glob(os.path.join(CACHE, "libseccomp-*/src/syscalls.csv")))[-1]


def header_values():
    """AUDIT_ARCH_* from linux/audit.h with EM_* from linux/elf-em.h, evaluated."""
    names = {}
    for header in ("/usr/include/linux/elf-em.h", "/usr/include/linux/audit.h"):
        text = open(header).read().replace("\\\n", " ")
        for m in re.finditer(r"#define\s+((?:EM|__AUDIT_ARCH|AUDIT_ARCH)_\w+)\s+(.+)", text):
            names[m.group(1)] = re.sub(r"/\*.*?\*/", "", m.group(2)).strip()
    def value(n):
        expr = names[n]
        expr = re.sub(r"\b(EM_\w+|__AUDIT_ARCH_\w+|AUDIT_ARCH_\w+)\b", lambda m: str(value(m.group(1))), expr)
        return eval(expr, {})
    return value


def word_sizes(srcdir):
    """SCMP_ARCH_x -> 32/64 from libseccomp's arch definitions (.token = ..., .size = ARCH_SIZE_n)."""
    sizes = {}
    for path in glob.glob(os.path.join(srcdir, "arch-*.c")):
        text = open(path).read()
        for m in re.finditer(r"\.token = (SCMP_ARCH_\w+),.*?\.size = ARCH_SIZE_(\d+)", text, re.S):
            sizes[m.group(1)] = int(m.group(2))
    return sizes


def main():
    csv = find_csv()
    sizes = word_sizes(os.path.dirname(csv))
    value = header_values()
    lines = open(csv).read().splitlines()
    header = lines[0].lstrip("#").split(",")
    version = header[0]
    columns = header[1:]
    rows = [l.split(",") for l in lines[1:] if l and not l.startswith("#")]
    out = [
        "// <auto-generated>",
        f"// Generated by tools/gen-arch-tables.py from libseccomp's src/syscalls.csv ({os.path.basename(os.path.dirname(os.path.dirname(csv)))}, {version.strip()})",
        "// and the kernel's linux/audit.h. Do not edit.",
        "// </auto-generated>",
        "#nullable enable",
        "namespace PSSyscall.Engine.Syscalls;",
        "",
        "internal static class ArchitectureTables",
        "{",
    ]
    mux_of = {}
    for enum, scmp, column, audit, base, goarch in ARCHES:
        col = columns.index(column) + 1
        mux_of[enum] = [r[0] for r in rows if r[0] in ("socketcall", "ipc") and r[col] != "PNR"]
        table = {}
        for r in rows:
            if r[col] != "PNR":
                table[int(r[col])] = r[0]
        for nr, name in NEWER:
            if name not in table.values():
                table.setdefault(nr, name)
        audit_value = value("AUDIT_ARCH_" + audit)
        entries = sorted(table.items())
        out.append(f"    /// <summary>{scmp.lower()}: AUDIT_ARCH_{audit} = 0x{audit_value:08X}; {len(entries)} calls; kernel numbers add {base}.</summary>")
        out.append(f"    internal static readonly (int Number, string Name)[] {enum} =")
        out.append("    {")
        for i in range(0, len(entries), 6):
            out.append("        " + " ".join(f'({n}, "{s}"),' for n, s in entries[i:i + 6]))
        out.append("    };")
        out.append("")
    out.append("    /// <summary>Per architecture: libseccomp name, AUDIT_ARCH value, word size of its arguments for")
    out.append("    /// libseccomp, number base, Go/Docker names, the multiplexed calls it has (socketcall, ipc).</summary>")
    out.append("    internal static readonly (SyscallArchitecture Architecture, string ScmpName, uint AuditArch, int Bits, int NumberBase, string[] GoNames, string[] Multiplexed, (int Number, string Name)[] Table)[] Foreign =")
    out.append("    {")
    for enum, scmp, column, audit, base, goarch in ARCHES:
        gos = ", ".join(f'"{g}"' for g in goarch)
        mux = ", ".join(f'"{m}"' for m in mux_of[enum])
        out.append(f'        (SyscallArchitecture.{enum}, "SCMP_ARCH_{scmp}", 0x{value("AUDIT_ARCH_" + audit):08X}u, {sizes["SCMP_ARCH_" + scmp]}, {base}, new[] {{ {gos} }}, new string[] {{ {mux} }}, {enum}),')
    out.append("    };")
    out.append("}")
    out.append("")
    with open(OUT, "w") as f:
        f.write("\n".join(out))
    print(f"wrote {OUT} from {csv}")


main()
