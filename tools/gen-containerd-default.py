#!/usr/bin/env python3
"""Writes tests/data/seccomp/containerd-runtime-default.json: the profile containerd (and so the
kubelet's RuntimeDefault on containerd nodes) generates on an amd64 node for a container with
containerd's default capabilities on a kernel >= 4.8.

containerd builds its default profile in Go (contrib/seccomp/seccomp_default.go) rather than
shipping a file. This script reads that Go source and containerd's default capability set
(oci/spec.go, defaultUnixCaps) from Debian's golang-github-containerd-containerd-dev package
(fetched with `apt-get download` when no path is given), follows the code's choices for amd64,
and prints the result as Go's encoding/json writes the runtime-spec's LinuxSeccomp (fields with
omitempty left out when empty: errnoRet, args, valueTwo).

Run: python3 tools/gen-containerd-default.py [containerd-source-dir]
"""
import glob, json, os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests/data/seccomp/containerd-runtime-default.json")
GOARCH = "amd64"
KERNEL = (6, 1)
CLONE_NS = 0x00020000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x02000000  # NEWNS|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWCGROUP
ENOSYS = 38


def source_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    work = tempfile.mkdtemp()
    subprocess.run(["apt-get", "download", "golang-github-containerd-containerd-dev"], cwd=work, check=True)
    deb = glob.glob(os.path.join(work, "*.deb"))[0]
    subprocess.run(["dpkg-deb", "-x", deb, os.path.join(work, "x")], check=True)
    return os.path.join(work, "x/usr/share/gocode/src/github.com/containerd/containerd")


def names_in(block):
    return re.findall(r'"([a-z0-9_]+)"', block)


def rule_names(body):
    """The Names: []string{...} list of the first LinuxSyscall in body."""
    return names_in(block_after(body, body.index("Names:")))


def block_after(text, start):
    """The text of the brace-balanced block that opens at the first { after start."""
    i = text.index("{", start)
    depth = 0
    for j in range(i, len(text)):
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            return text[i:j + 1]
    raise ValueError("unbalanced")


def case_body(switch, label):
    """The statements of `case ... "label" ...:` up to the next case/default at the same level."""
    m = re.search(r'\n(\t+)case [^\n]*"' + re.escape(label) + r'"[^\n]*:\n', switch)
    if not m:
        return None
    indent = m.group(1)
    end = re.search(r"\n" + indent + r"(case |default:|\})", switch[m.end():])
    return switch[m.end():m.end() + end.start()] if end else switch[m.end():]


def rule(names, action="SCMP_ACT_ALLOW", args=None, errno=None):
    r = {"names": names, "action": action}
    if errno is not None:
        r["errnoRet"] = errno
    if args:
        r["args"] = args
    return r


def main():
    src = source_dir()
    go = open(os.path.join(src, "contrib/seccomp/seccomp_default.go")).read()
    spec = open(os.path.join(src, "oci/spec.go")).read()
    caps = re.findall(r'"(CAP_[A-Z_]+)"', block_after(spec, spec.index("func defaultUnixCaps")))

    arches = block_after(go, go.index("func arches()"))
    amd64 = case_body(arches, GOARCH)
    arch_names = {"ArchX86_64": "SCMP_ARCH_X86_64", "ArchX86": "SCMP_ARCH_X86", "ArchX32": "SCMP_ARCH_X32"}
    architectures = [arch_names[a] for a in re.findall(r"specs\.(Arch\w+)", amd64)]

    body = go[go.index("func DefaultProfile"):]
    first = block_after(body, body.index("syscalls := []specs.LinuxSyscall"))
    syscalls = [rule(rule_names(first))]
    for value in re.findall(r'"personality"\},\s*Action: specs.ActAllow,\s*Args: \[\]specs.LinuxSeccompArg\{\s*\{\s*Index: 0,\s*Value: (0x[0-9a-f]+),', first):
        syscalls.append(rule(["personality"], args=[{"index": 0, "value": int(value, 16), "op": "SCMP_CMP_EQ"}]))

    # include by kernel version: ptrace from 4.8
    if KERNEL >= (4, 8) and '"ptrace"' in body[body.index("include by kernel version"):body.index("include by arch")]:
        syscalls.append(rule(["ptrace"]))
    arch_switch = block_after(body, body.index("switch runtime.GOARCH"))
    arch_case = case_body(arch_switch, GOARCH)
    if arch_case:
        syscalls.append(rule(rule_names(arch_case)))
    cap_switch = block_after(body, body.index("switch c {"))
    admin = False
    for cap in caps:
        c = case_body(cap_switch, cap)
        if c:
            syscalls.append(rule(rule_names(c)))
            admin = admin or cap == "CAP_SYS_ADMIN"
    if not admin:
        not_admin = block_after(body, body.index("if !admin"))
        default = not_admin[not_admin.index("default:"):]
        index = int(re.search(r"Index:\s*(\d+)", default).group(1))
        syscalls.append(rule(["clone"], args=[{"index": index, "value": CLONE_NS, "op": "SCMP_CMP_MASKED_EQ"}]))
        if '"clone3"' in not_admin and "ErrnoRet: &nosys" in not_admin:
            syscalls.append(rule(["clone3"], action="SCMP_ACT_ERRNO", errno=ENOSYS))

    profile = {"defaultAction": "SCMP_ACT_ERRNO", "architectures": architectures, "syscalls": syscalls}
    with open(OUT, "w") as f:
        json.dump(profile, f, indent="\t")
        f.write("\n")
    print(f"wrote {OUT}: {len(syscalls)} rules, capabilities {', '.join(caps)}")


main()
