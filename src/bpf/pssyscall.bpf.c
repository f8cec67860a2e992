// SPDX-License-Identifier: GPL-2.0
/* PSSyscall's eBPF backend: the kernel side. Built by the engine's build with
 * `clang -target bpf -O2 -g`, shipped in the module inside its loader (bpftool's light skeleton,
 * linux-x64/libpssyscall_bpf.so, src/bpf/pssyscall_loader.c) and read by Tracing/Ebpf/. No stops: the traced tasks run on while
 * tp_btf programs on sys_enter/sys_exit record each call with its arguments, result and the
 * memory its argument kinds need (the same capture plans the ptrace backend interprets,
 * exported per syscall number into the `plans` map), and sched_process_fork/exec/exit follow
 * the traced tree (the `traced` set of thread-group ids). Records go to a ring buffer whose
 * reader is woken only when a quarter of it is pending (it also polls every 10 ms).
 * Nothing is pinned: every program, link and map dies with the process that loaded it. */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "pssyscall_bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define NR_EXECVE 59
#define NR_EXECVEAT 322
#define AT_FDCWD -100
#define SIGKILL_BIT (1UL << 8)
#define SLACK 256

const volatile struct pss_kinds pss_kinds SEC(".rodata.kinds") = { .entry = 0xffffffff, .exit = 0xffffffff };

struct proc {
    u32 visible;   /* 0: the launched child before its execve (the shim's calls are not shown) */
    u32 root;
};

/* Hash maps allocate their entries as they are added (BPF_F_NO_PREALLOC): a trace holds a few
 * processes, and preallocating 65,536 entries cost ~1.5 ms of every trace's start. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, u32);
    __type(value, struct proc);
} traced SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, PSS_PLANS); /* x86_64's calls, then i386's at PSS_MAX_SYSCALLS + nr */
    __type(key, u32);
    __type(value, struct pss_plan);
} plans SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, PSS_LAYOUTS);
    __type(key, u32);
    __type(value, struct pss_layout);
} layouts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct pss_condkey);
    __type(value, struct pss_condops);
} condops SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, struct pss_config);
} config SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, PSS_C_COUNT);
    __type(key, u32);
    __type(value, u64);
} counters SEC(".maps");

/* A fatal signal's siginfo, by thread group: the kernel turns a fatal signal into a group SIGKILL
 * (its "fatal shortcut", which a ptraced process never takes), and the original is delivered to
 * nobody. signal_generate keeps it so that the delivery shows the signal ptrace shows. */
struct siginfo_lite {
    int sig, code, pid, uid;
    u64 value;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, u32);
    __type(value, struct siginfo_lite);
} lastsig SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 22); /* the reader sets the size before loading */
} events SEC(".maps");

/* The call in flight on a thread, from sys_enter to sys_exit. */
struct call {
    u64 ts;
    u64 args[6];
    s32 nr;
    u32 active;
    u32 elen;
    u32 partial;
    u32 faults;
    u32 pad;
    u64 sp;
    u8 ebuf[PSS_BUF + SLACK];
};

struct {
    __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, int);
    __type(value, struct call);
} calls SEC(".maps");

/* Room for a PSS_K_BIG capture's last piece: its offset (below 512) + 8 + 16383 (the mask of
 * what it read before) + 4096. */
struct area { u8 b[PSS_BUF + 4096 + 3 * SLACK]; };
#define AREA_MAX 12800 /* the most one side's captures take: a capture starts below PSS_BUF_LIMIT */
struct out { struct pss_record h; u8 data[2 * AREA_MAX + SLACK]; };
struct pathbuf { u8 b[8192]; };

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, struct area);
} exitarea SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, struct out);
} outbuf SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, struct pathbuf);
} pathbufs SEC(".maps");

/* Paths already walked, by what determines them: the dentry and its mount, the dentry's parent
 * and name (hash and length), whether it is unlinked, and a generation that renames and mounts
 * by traced processes move on (as the ptrace backend's link cache is invalidated). A dentry pins
 * its parent, so an entry cannot outlive the names it was made from. Paths up to 248 bytes. */
struct linkkey {
    u64 dentry, mnt, parent, hashlen, gen;
};

struct linkval {
    u32 len;
    u32 pad;
    u8 b[256];
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 8192);
    __type(key, struct linkkey);
    __type(value, struct linkval);
} links SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, struct linkval);
} linkscratch SEC(".maps");

/* The link cache's generation (index 0). */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, u64);
} linkgen SEC(".maps");

static __always_inline void count(u32 which, u64 n)
{
    u64 *v = bpf_map_lookup_elem(&counters, &which);
    if (v)
        *v += n;
}

static __always_inline struct pss_config *cfg(void)
{
    u32 zero = 0;
    return bpf_map_lookup_elem(&config, &zero);
}

static __always_inline u64 argn(const u64 *a, u32 i)
{
    switch (i) {
    case 0: return a[0];
    case 1: return a[1];
    case 2: return a[2];
    case 3: return a[3];
    case 4: return a[4];
    default: return a[5];
    }
}

/* ---- captures: [slot u8][status u8][0 u16][len s32][len bytes], as CaptureBuffer ----
 * Every capture is written into this CPU's `exitarea` by a global function (verified once, on
 * its own, with scalar arguments) that returns the new end offset with these flags: */
#define R_OFF 0xfffff
#define R_FAULT (1 << 20)   /* the memory was unreadable */
#define R_PARTIAL (1 << 21) /* no room left: not captured */

static __always_inline u8 *area(void)
{
    u32 zero = 0;
    struct area *a = bpf_map_lookup_elem(&exitarea, &zero);
    return a ? a->b : 0;
}

static __always_inline void header(u8 *h, u8 slot, u8 status, u32 len)
{
    h[0] = slot;
    h[1] = status;
    h[2] = 0;
    h[3] = 0;
    *(u32 *)(h + 4) = len;
}

/* Bytes at addr, read in page-sized pieces as process_vm_readv would: a short read is Truncated
 * with what could be read, an unreadable start is a Fault. */
__noinline long put_bytes(u32 off, u32 slot, u64 addr, u32 n)
{
    u8 *b = area();
    if (!b || !addr)
        return off;
    if (off > PSS_BUF_LIMIT)
        return off | R_PARTIAL;
    if (n > PSS_CAP_MAX)
        n = PSS_CAP_MAX;
    u64 o = off;
    asm volatile("%0 &= 8191" : "+r"(o));
    u8 *h = b + o;
    u8 *d = h + 8;
    u32 got = 0;
    if (n) {
        u64 first = 4096 - (addr & 4095);
        if (first > n)
            first = n;
        asm volatile("%0 &= 8191" : "+r"(first));
        if (first > PSS_CAP_MAX)
            first = PSS_CAP_MAX;
        if (first && bpf_probe_read_user(d, first, (void *)addr) == 0) {
            got = first;
            u64 rest = n - first; /* n <= 4096 and first >= 1 */
            asm volatile("%0 &= 4095" : "+r"(rest));
            u64 at = first;
            asm volatile("%0 &= 8191" : "+r"(at));
            if (rest && bpf_probe_read_user(d + at, rest, (void *)(addr + first)) == 0)
                got += rest;
        }
    }
    if (n && !got) {
        header(h, slot, 1, 0);
        return (off + 8) | R_FAULT;
    }
    header(h, slot, got < n ? 2 : 0, got);
    return off + 8 + got;
}

/* A NUL-terminated string of at most max bytes (bounded: in exactly max bytes). */
__noinline long put_string(u32 off, u32 slot, u64 addr, u32 max, u32 bounded)
{
    u8 *b = area();
    if (!b || !addr || (bounded && !max))
        return off;
    if (off > PSS_BUF_LIMIT)
        return off | R_PARTIAL;
    if (max > PSS_CAP_MAX - 1)
        max = PSS_CAP_MAX - 1;
    u64 o = off;
    asm volatile("%0 &= 8191" : "+r"(o));
    u8 *h = b + o;
    u64 size = bounded ? max + 1 : max + 2;
    asm volatile("%0 &= 8191" : "+r"(size));
    if (size > PSS_CAP_MAX + 1)
        size = PSS_CAP_MAX + 1;
    long r = bpf_probe_read_user_str(h + 8, size, (void *)addr);
    if (r < 0) {
        header(h, slot, 1, 0);
        return (off + 8) | R_FAULT;
    }
    u32 len;
    u8 status;
    if ((u64)r < size) {
        len = (u32)r - 1;
        status = 0;
    } else {
        len = max;
        status = 2;
    }
    len &= 8191;
    header(h, slot, status, len);
    return off + 8 + len;
}

static __always_inline void put_lit(u8 *b, u32 *pos, const char *s, u32 n)
{
    for (u32 i = 0; i < 16 && i < n; i++) {
        *pos -= 1;
        b[*pos & 4095] = s[n - 1 - i];
    }
}

/* The decimal digits of v, written backwards into the path buffer ending at pos; the new pos.
 * Global, so the verifier walks its loop once, not once per branch of put_path (3,300 of the
 * 11,000 instructions it verified for sys_exit when inlined). */
__noinline long put_num(u32 pos, u64 v)
{
    u32 zero = 0;
    struct pathbuf *pb = bpf_map_lookup_elem(&pathbufs, &zero);
    if (!pb)
        return pos;
    for (int i = 0; i < 20; i++) {
        pos -= 1;
        pb->b[pos & 4095] = '0' + v % 10;
        v /= 10;
        if (!v)
            break;
    }
    return pos;
}

#define SOCKFS_MAGIC 0x534F434B
#define PIPEFS_MAGIC 0x50495045
#define ANON_INODE_FS_MAGIC 0x09041934
#define PID_FS_MAGIC 0x50494446

struct walk {
    struct dentry *d;
    struct vfsmount *vm;
    struct mount *mnt;
    u64 pos;
};

/* One step of the walk up from a dentry: its name before what is written, or across a mount. */
static long walk_one(u32 i, struct walk *w)
{
    u32 zero = 0;
    struct pathbuf *pb = bpf_map_lookup_elem(&pathbufs, &zero);
    if (!pb)
        return 1;
    struct dentry *d = w->d;
    struct vfsmount *vm = w->vm;
    struct mount *mnt = w->mnt;
    struct dentry *root = BPF_CORE_READ(vm, mnt_root);
    struct dentry *parent = BPF_CORE_READ(d, d_parent);
    if (d == root) {
        struct mount *up = BPF_CORE_READ(mnt, mnt_parent);
        if (up == mnt)
            return 1;
        w->d = BPF_CORE_READ(mnt, mnt_mountpoint);
        w->mnt = up;
        w->vm = (struct vfsmount *)((void *)up + bpf_core_field_offset(struct mount, mnt));
        return 0;
    }
    struct qstr q = BPF_CORE_READ(d, d_name);
    u64 len = q.len & 255;
    u64 pos = w->pos;
    if (pos > 4096 || pos < len + 17)
        return 1;
    pos -= len;
    asm volatile("%0 &= 4095" : "+r"(pos));
    bpf_probe_read_kernel(pb->b + pos, len, q.name);
    pos -= 1;
    asm volatile("%0 &= 4095" : "+r"(pos));
    pb->b[pos] = '/';
    w->pos = pos;
    if (d == parent)
        return 1; /* a detached root (memfd, a pseudo file): its name, then stop */
    w->d = parent;
    return 0;
}

/* What /proc/PID/fd/N's link says: the path from the global root (mounts crossed), or for
 * pseudo files "socket:[ino]", "pipe:[ino]", "anon_inode:[name]", " (deleted)" when unlinked. */
__noinline long put_path(u32 off, u32 slot, u64 dentry, u64 vfsmount)
{
    u32 zero = 0;
    struct pathbuf *pb = bpf_map_lookup_elem(&pathbufs, &zero);
    u8 *out = area();
    struct dentry *d = (struct dentry *)dentry;
    struct vfsmount *vm = (struct vfsmount *)vfsmount;
    if (!pb || !out || !d || !vm)
        return off;
    if (off > PSS_BUF_LIMIT)
        return off | R_PARTIAL;
    /* Seen before (any kind of file): the path from the cache. */
    struct hlist_bl_node **pprev = BPF_CORE_READ(d, d_hash.pprev);
    struct dentry *first_parent = BPF_CORE_READ(d, d_parent);
    u64 *gen = bpf_map_lookup_elem(&linkgen, &zero);
    struct linkkey key = {
        .dentry = (u64)d,
        .mnt = (u64)vm,
        .parent = (u64)first_parent,
        .hashlen = BPF_CORE_READ(d, d_name.hash_len),
        .gen = (gen ? *gen << 1 : 0) | (pprev ? 0 : 1),
    };
    struct linkval *hit = bpf_map_lookup_elem(&links, &key);
    if (hit) {
        u64 n = hit->len;
        if (n > 248)
            n = 248;
        u64 o = off;
        asm volatile("%0 &= 8191" : "+r"(o));
        u8 *h = out + o;
        if (n)
            bpf_probe_read_kernel(h + 8, n, hit->b);
        header(h, slot, 0, n);
        return off + 8 + n;
    }
    u8 *b = pb->b;
    u32 pos = 4096;
    bool walked = false;
    struct super_block *sb = BPF_CORE_READ(d, d_sb);
    unsigned long magic = BPF_CORE_READ(sb, s_magic);
    if (magic == SOCKFS_MAGIC || magic == PIPEFS_MAGIC) {
        put_lit(b, &pos, "]", 1);
        pos = put_num(pos, BPF_CORE_READ(d, d_inode, i_ino));
        if (magic == SOCKFS_MAGIC)
            put_lit(b, &pos, "socket:[", 8);
        else
            put_lit(b, &pos, "pipe:[", 6);
    } else if (magic == ANON_INODE_FS_MAGIC || magic == PID_FS_MAGIC) {
        if (magic == PID_FS_MAGIC) {
            put_lit(b, &pos, "[pidfd]", 7);
        } else {
            struct qstr q = BPF_CORE_READ(d, d_name);
            u32 len = q.len & 255;
            pos -= len;
            bpf_probe_read_kernel(b + (pos & 4095), len, q.name);
        }
        put_lit(b, &pos, "anon_inode:", 11);
    } else if (BPF_CORE_READ(d, d_op, d_dname)) {
        /* Files made by alloc_file_pseudo (memfd, secretmem...): simple_dname's "/name (deleted)". */
        struct qstr q = BPF_CORE_READ(d, d_name);
        u32 len = q.len & 255;
        put_lit(b, &pos, " (deleted)", 10);
        u64 at = pos - len;
        asm volatile("%0 &= 4095" : "+r"(at));
        bpf_probe_read_kernel(b + at, len, q.name);
        pos = at;
        put_lit(b, &pos, "/", 1);
    } else {
        if (!pprev && first_parent != d)
            put_lit(b, &pos, " (deleted)", 10);
        struct walk w = {
            .d = d,
            .vm = vm,
            .mnt = (struct mount *)((void *)vm - bpf_core_field_offset(struct mount, mnt)),
            .pos = pos,
        };
        bpf_loop(64, walk_one, &w, 0);
        walked = true;
        pos = w.pos & 8191;
        if (pos > 4096)
            pos = 4096;
        if (pos == 4096 || b[pos & 4095] != '/') {
            pos -= 1;
            b[pos & 4095] = '/';
        }
    }
    /* Kept for next time: only paths walked from the root. A pseudo file's dentry name has no
     * hash (anon_inode:[eventpoll] and [fscontext] would share a key), and a socket's or pipe's
     * text is its inode's number, which a reused dentry would not share. */
    u64 n = 4096 - (u64)(pos & 8191);
    struct linkval *v = bpf_map_lookup_elem(&linkscratch, &zero);
    if (v && walked && n <= 248 && n > 0) {
        v->len = n;
        asm volatile("%0 &= 255" : "+r"(n));
        bpf_probe_read_kernel(v->b, n, b + (pos & 4095));
        bpf_map_update_elem(&links, &key, v, BPF_ANY);
    }
    u32 len = (4096 - pos) & 4095;
    u64 o = off;
    asm volatile("%0 &= 8191" : "+r"(o));
    u8 *h = out + o;
    if (len)
        bpf_probe_read_kernel(h + 8, len, b + (pos & 4095));
    header(h, slot, 0, len);
    return off + 8 + len;
}

__noinline long put_fdlink(u32 off, u32 slot, int fd)
{
    struct task_struct *t = bpf_get_current_task_btf();
    if (fd < 0)
        return off;
    struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
    if (!fdt)
        return off;
    unsigned int max = BPF_CORE_READ(fdt, max_fds);
    if ((unsigned int)fd >= max)
        return off;
    struct file **arr = BPF_CORE_READ(fdt, fd);
    struct file *f = 0;
    bpf_probe_read_kernel(&f, sizeof(f), &arr[fd]);
    if (!f)
        return off;
    return put_path(off, slot, (u64)BPF_CORE_READ(f, f_path.dentry), (u64)BPF_CORE_READ(f, f_path.mnt));
}

__noinline long put_cwd(u32 off, u32 slot)
{
    struct task_struct *t = bpf_get_current_task_btf();
    return put_path(off, slot, (u64)BPF_CORE_READ(t, fs, pwd.dentry), (u64)BPF_CORE_READ(t, fs, pwd.mnt));
}

struct argwalk {
    u64 p;
    u64 end;    /* 0: p walks an array of pointers (argv as given), else the strings up to end */
    u32 off;
    u32 count;
    u32 limit;
    u32 argc;
    u32 fail;
    u32 full;
    u32 narrow;  /* 1: pointers of 4 bytes (i386) */
    u32 pad;
};

struct ptrcount {
    u64 p;
    s64 count;
    u32 fail;
    u32 done;
    u32 narrow;  /* 1: pointers of 4 bytes (i386) */
    u32 pad;
};

struct dirwalk {
    u64 addr;
    u64 len;
    u64 pos;
    s64 count;
    u32 fail;
    u32 reclen_at; /* d_reclen's offset: 16, 8 in i386's struct linux_dirent */
};

struct iovwalk {
    u64 addr;
    s64 left;
    u32 off;
    u32 elements;
    u32 limit;
    u32 readable;
    u32 nodata;
    u32 full;
    u32 compat;  /* i386: struct iovec of two 4-byte words */
    u32 pad;
};

/* Descriptors inside captured bytes (pollfd arrays, fd_sets, SCM_RIGHTS messages), each
 * annotated with put_fdlink into the next array link slot. */
struct linkwalk {
    u32 start;   /* the area offset of the captured bytes */
    u32 len;     /* their length (fd_set: the bits) */
    u32 pos;     /* the element, bit or byte next looked at */
    u32 off;     /* the captures' end */
    u32 flags;   /* R_FAULT, R_PARTIAL of the links */
    u32 left;    /* SCM_RIGHTS: descriptors left in the message at fdpos */
    u32 fdpos;
    u32 n;       /* pollfd: the elements annotated */
};

struct byteswalk {
    u64 addr;
    u32 n, got, hdr, slot, next, limit;
};

struct widenwalk {
    u32 dst;     /* the area offset of the native elements */
    u32 len;     /* their bytes (zeroed first) */
    u32 zpos;
    u32 whole;   /* elements */
    u32 e, k;    /* element, field */
    u32 layout;
    u32 next;    /* WALK_MMSG: the mmsghdrs widened are walked next */
};

struct mmsgwalk {
    u32 start;
    u32 elements;
    u32 received;
    u32 k;       /* the element next walked */
    u32 compat;  /* i386: the iovecs of two 4-byte words */
    u32 pad;
};

/* The state of the bounded loops below, in a map rather than on the stack: the verifier does
 * not follow values in map memory, so it checks each loop body once instead of per count. */
struct loopstate {
    struct dirwalk d;
    struct argwalk a;
    struct ptrcount p;
    struct iovwalk v;
    struct linkwalk l;
    struct mmsgwalk m;
    struct byteswalk y;
    struct widenwalk z;
    u32 links;      /* array link slots used at this stop (ArgumentCapture._arrayFdLinks) */
    u32 mode;       /* walk_step's walk (WALK_*) */
    u32 ctl_start;  /* the last msghdr's control data in the area (for PSS_K_RIGHTS) */
    u32 ctl_len;
    u64 head[8];    /* clone_args' first fields */
    u32 base;       /* the structure PSS_K_FDAT and PSS_K_NESTED ops read */
    u32 pad;
    u8 wsrc[8192 + 256]; /* an i386 structure as read (4096 bytes; room for what the verifier sees of two reads) */
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, struct loopstate);
} loops SEC(".maps");

/* A pointer's bytes: 8, or 4 when `narrow` (i386). Without a branch: the verifier would walk
 * what follows once per value. */
static __always_inline u64 word_of(u32 narrow)
{
    return 8 - ((u64)(narrow & 1) << 2);
}

static __always_inline struct loopstate *loop_state(void)
{
    u32 zero = 0;
    return bpf_map_lookup_elem(&loops, &zero);
}

static __always_inline struct dirwalk *loop_dir(void)
{
    struct loopstate *l = loop_state();
    return l ? &l->d : 0;
}

static long dirent_step(u32 i, void *unused)
{
    struct dirwalk *w = loop_dir();
    if (!w)
        return 1;
    u16 reclen = 0;
    if (w->pos + w->reclen_at + 2 >= w->len)
        return 1;
    if (bpf_probe_read_user(&reclen, 2, (void *)(w->addr + w->pos + w->reclen_at))) {
        w->fail = 1;
        return 1;
    }
    if (!reclen)
        return 1;
    w->count++;
    w->pos += reclen;
    return 0;
}

/* getdents: only the number of entries in the size bytes written (strace's non-verbose form). */
__noinline long put_dirents(u32 off, u32 slot, u64 addr, u64 size, u32 compat)
{
    u8 *b = area();
    if (!b || !addr)
        return off;
    if (off > PSS_BUF_LIMIT)
        return off | R_PARTIAL;
    struct loopstate *l = loop_state();
    if (!l)
        return off;
    l->d.addr = addr;
    l->d.len = size > 65536 ? 65536 : size;
    l->d.pos = 0;
    l->d.count = 0;
    l->d.fail = 0;
    l->d.reclen_at = 16 - ((compat & 1) << 3); /* no branch (see word_of) */
    bpf_loop(8192, dirent_step, 0, 0);
    if (l->d.fail)
        return off | R_FAULT;
    u64 o = off;
    asm volatile("%0 &= 8191" : "+r"(o));
    u8 *h = b + o;
    header(h, slot, 0, 8);
    *(s64 *)(h + 8) = l->d.count;
    return off + 16;
}

/* A string in the kernel's memory (execve's file name, as bprm->filename holds it). */
__noinline long put_kstring(u32 off, u32 slot, u64 addr, u32 max)
{
    u8 *b = area();
    if (!b || !addr)
        return off;
    if (off > PSS_BUF_LIMIT)
        return off | R_PARTIAL;
    if (max > PSS_CAP_MAX - 1)
        max = PSS_CAP_MAX - 1;
    u64 o = off;
    asm volatile("%0 &= 8191" : "+r"(o));
    u8 *h = b + o;
    u64 size = max + 2;
    asm volatile("%0 &= 8191" : "+r"(size));
    if (size > PSS_CAP_MAX + 1)
        size = PSS_CAP_MAX + 1;
    long r = bpf_probe_read_kernel_str(h + 8, size, (void *)addr);
    if (r < 0) {
        header(h, slot, 1, 0);
        return (off + 8) | R_FAULT;
    }
    u32 len = (u64)r < size ? (u32)r - 1 : max;
    len &= 8191;
    header(h, slot, (u64)r < size ? 0 : 2, len);
    return off + 8 + len;
}


static long argv_step(u32 i, void *unused)
{
    struct loopstate *l = loop_state();
    if (!l)
        return 1;
    struct argwalk *w = &l->a;
    u32 zero = 0;
    struct pathbuf *pb = bpf_map_lookup_elem(&pathbufs, &zero);
    u8 *b = area();
    if (!pb || !b || w->count >= w->argc || w->count >= w->limit || (w->end && w->p >= w->end))
        return 1;
    u64 str = w->p;
    if (!w->end) {
        str = 0;
        if (bpf_probe_read_user(&str, word_of(w->narrow), (void *)w->p)) {
            w->fail = 2; /* the array itself: shown as its address */
            return 1;
        }
        if (!str) {
            w->argc = w->count; /* the NULL that ends it */
            return 1;
        }
    }
    u64 off = w->off;
    if (off > PSS_BUF_LIMIT) {
        w->full = 1;
        return 1;
    }
    asm volatile("%0 &= 8191" : "+r"(off));
    long r = bpf_probe_read_user_str(pb->b, 4096, (void *)str);
    u8 *e = b + off;
    if (r <= 0) {
        e[0] = 1; /* Fault */
        *(u32 *)(e + 1) = 0;
        w->off += 5;
        w->count++;
        if (w->end) {
            w->fail = 1;
            return 1;
        }
        w->p += word_of(w->narrow);
        return 0;
    }
    u64 len = r - 1;
    u64 keep = len > w->limit ? w->limit : len;
    asm volatile("%0 &= 4095" : "+r"(keep));
    e[0] = len > w->limit ? 2 : 0;
    *(u32 *)(e + 1) = keep;
    if (keep)
        bpf_probe_read_kernel(e + 5, keep, pb->b);
    w->off += 5 + keep;
    w->count++;
    w->p += w->end ? r : word_of(w->narrow);
    return 0;
}

/* argv as ArgumentCapture.AddArgv lays it out: [count:int32][more:int32] then per string
 * [status:u8][n:int32][n bytes], at most the string limit of strings, each at most that long;
 * read from the new image's argument area, where the kernel copied them. */
__noinline long put_argv(u32 off, u32 slot, u64 start, u64 end, u64 counts /* argc << 32 | i386 << 31 | limit */)
{
    u32 argc = counts >> 32, limit = (u32)counts & 0x7fffffff, narrow = (counts >> 31) & 1;
    u8 *b = area();
    if (!b || !start)
        return off;
    if (off > PSS_BUF_LIMIT)
        return off | R_PARTIAL;
    struct loopstate *l = loop_state();
    if (!l)
        return off;
    l->a.p = start;
    l->a.end = end;
    l->a.off = off + 16;
    l->a.count = 0;
    l->a.limit = limit > 1024 ? 1024 : limit;
    l->a.argc = argc;
    l->a.fail = 0;
    l->a.full = 0;
    l->a.narrow = narrow;
    bpf_loop(1024, argv_step, 0, 0);
    struct argwalk w = l->a;
    u64 o = off;
    asm volatile("%0 &= 8191" : "+r"(o));
    u8 *h = b + o;
    if (w.fail == 2 && w.count == 0) {
        header(h, slot, 1, 0);
        return (off + 8) | R_FAULT;
    }
    u32 more = 0;
    if (!end && !w.fail && w.count >= w.limit && w.argc > w.count) {
        u64 next = 0;
        more = bpf_probe_read_user(&next, word_of(narrow), (void *)w.p) == 0 && next != 0;
    } else if (end) {
        more = argc > w.count && !w.fail;
    }
    header(h, slot, 0, w.off - off - 8);
    *(u32 *)(h + 8) = w.count;
    *(u32 *)(h + 12) = more;
    return w.off | (w.full ? R_PARTIAL : 0) | (w.fail == 1 ? R_FAULT : 0);
}


static long ptr_step(u32 i, void *unused)
{
    struct loopstate *l = loop_state();
    if (!l)
        return 1;
    struct ptrcount *w = &l->p;
    u64 v = 0;
    if (bpf_probe_read_user(&v, word_of(w->narrow), (void *)w->p)) {
        w->fail = 1;
        return 1;
    }
    if (!v) {
        w->done = 1;
        return 1;
    }
    w->count++;
    w->p += word_of(w->narrow);
    return 0;
}

static long iov_step(u32 i, void *unused)
{
    struct loopstate *l = loop_state();
    u8 *b = area();
    if (!l || !b)
        return 1;
    struct iovwalk *w = &l->v;
    if (i >= w->elements)
        return 1;
    u64 off = w->off;
    if (off > PSS_BUF_LIMIT) {
        w->full = 1;
        return 1;
    }
    /* i386: two 4-byte words, unpacked without a branch (see word_of) */
    u64 iov[2] = {};
    u64 narrow = w->compat & 1, wide = narrow - 1; /* wide: ~0 for x86_64's layout */
    if (bpf_probe_read_user(iov, 16 - (narrow << 3), (void *)(w->addr + (u64)i * (16 - (narrow << 3)))))
        return 1;
    u64 lo = iov[0] & 0xffffffff, hi = iov[0] >> 32;
    iov[1] = (iov[1] & wide) | (hi & ~wide);
    iov[0] = (iov[0] & wide) | (lo & ~wide);
    w->readable = i + 1;
    s64 take = 0;
    if (!w->nodata) {
        take = w->left > 0 ? w->left : 0;
        if ((u64)take > iov[1])
            take = iov[1];
    }
    w->left -= take;
    u64 want = (u64)take < (u64)w->limit + 1 ? (u64)take : (u64)w->limit + 1;
    if (want > PSS_CAP_MAX)
        want = PSS_CAP_MAX;
    asm volatile("%0 &= 8191" : "+r"(off));
    u8 *e = b + off;
    *(u64 *)e = iov[0];
    *(u64 *)(e + 8) = iov[1];
    asm volatile("%0 &= 8191" : "+r"(want));
    if (want > PSS_CAP_MAX)
        want = PSS_CAP_MAX;
    bool fault = w->nodata || (want && bpf_probe_read_user(e + 21, want, (void *)iov[0]));
    u64 keep = fault ? 0 : (want < w->limit ? want : w->limit);
    e[16] = fault ? 1 : (u64)take > w->limit ? 2 : 0;
    *(u32 *)(e + 17) = keep;
    w->off += 21 + keep;
    return 0;
}

/* An iovec array as ArgumentCapture.AddIovec lays it out: [count:int32], then per element
 * [base:u64][len:u64][status:u8][n:int32][n bytes]; at most string-limit + 1 elements, each
 * element's data read in at most string-limit + 1 bytes, in all at most dataLimit bytes (the
 * result, for reads; negative: a failed read, no data); count ~n when the array became
 * unreadable after n elements. */
__noinline long put_iovec(u32 off, u32 slot, u64 addr, u64 count, s64 dataLimit)
{
    u8 *b = area();
    struct pss_config *k = cfg();
    struct loopstate *l = loop_state();
    if (!b || !addr || !k || !l)
        return off;
    if (off > PSS_BUF_LIMIT)
        return off | R_PARTIAL;
    u32 limit = k->string_limit;
    u32 compat = count >> 63; /* i386's layout (PSS_IOV_COMPAT); the count itself is below 2^32 */
    u64 elements = count & 0xffffffff;
    u64 cap = (u64)limit + 1 < 1024 ? (u64)limit + 1 : 1024;
    if (elements > cap)
        elements = cap;
    l->v.addr = addr;
    l->v.left = dataLimit;
    l->v.off = off + 12;
    l->v.elements = elements;
    l->v.limit = limit;
    l->v.readable = 0;
    l->v.nodata = dataLimit < 0;
    l->v.full = 0;
    l->v.compat = compat;
    bpf_loop(1024, iov_step, 0, 0);
    u32 readable = l->v.readable, end = l->v.off;
    u64 o = off;
    asm volatile("%0 &= 8191" : "+r"(o));
    u8 *h = b + o;
    if (elements > 0 && readable == 0) {
        header(h, slot, 1, 0);
        return (off + 8) | R_FAULT;
    }
    header(h, slot, 0, end - off - 8);
    *(s32 *)(h + 8) = readable < elements ? ~(s32)readable : (s32)readable;
    return end | (l->v.full ? R_PARTIAL : 0);
}

#define SLOT_EXTRA 30
#define SLOT_CONTROL 26

/* struct msghdr as ArgumentCapture.AddMsghdr lays it out: the 56-byte header in its slot, the
 * name (at most 128 bytes) in Extra, the iovec array in Extra + 1 (data up to dataLimit), the
 * control messages (at most 4096 bytes) in ControlData, whose place it keeps for PSS_K_RIGHTS
 * (the op after it), which annotates the SCM_RIGHTS descriptors. */
__noinline long put_msghdr(u32 off, u32 slot, u64 addr, s64 dataLimit, u32 compat)
{
    u8 *b = area();
    struct loopstate *l0 = loop_state();
    if (l0)
        l0->ctl_len = 0;
    if (!b || !addr)
        return off;
    if (off > PSS_BUF_LIMIT)
        return off | R_PARTIAL;
    /* i386's msghdr is 28 bytes of 4-byte fields: read so, then widened in place into x86_64's
     * 56 (ArgumentCapture.AddWidened), without a branch on the ABI (see word_of) */
    u64 c = compat & 1, m = -c, size = 56 - 28 * c;
    long r = put_bytes(off, slot, addr, size);
    u64 o = off;
    asm volatile("%0 &= 8191" : "+r"(o));
    if ((r & R_OFF) != off + 8 + size || *(u32 *)(b + o + 4) != size)
        return r;
    u8 *d = b + o + 8;
    u64 w0 = *(u32 *)d, w1 = *(u32 *)(d + 4), w2 = *(u32 *)(d + 8), w3 = *(u32 *)(d + 12);
    u64 w4 = *(u32 *)(d + 16), w5 = *(u32 *)(d + 20), w6 = *(u32 *)(d + 24);
    *(u64 *)(d + 48) = (*(u64 *)(d + 48) & ~m) | (w6 & m);
    *(u64 *)(d + 40) = (*(u64 *)(d + 40) & ~m) | (w5 & m);
    *(u64 *)(d + 32) = (*(u64 *)(d + 32) & ~m) | (w4 & m);
    *(u64 *)(d + 24) = (*(u64 *)(d + 24) & ~m) | (w3 & m);
    *(u64 *)(d + 16) = (*(u64 *)(d + 16) & ~m) | (w2 & m);
    *(u64 *)(d + 8) = (*(u64 *)(d + 8) & ~m) | (w1 & m);
    *(u64 *)d = (*(u64 *)d & ~m) | (w0 & m);
    *(u32 *)(b + o + 4) = 56;
    r = off + 64;
    u64 name = *(u64 *)(b + o + 8);
    u32 namelen = *(u32 *)(b + o + 16);
    u64 iov = *(u64 *)(b + o + 24);
    u64 iovlen = *(u64 *)(b + o + 32);
    u64 control = *(u64 *)(b + o + 40);
    u64 controllen = *(u64 *)(b + o + 48);
    long flags = 0;
    u32 at = off + 64;
    if (name && namelen > 0) {
        r = put_bytes(at, SLOT_EXTRA, name, namelen > 128 ? 128 : namelen);
        flags |= r & ~R_OFF;
        at = r & R_OFF;
    }
    r = put_iovec(at, SLOT_EXTRA + 1, iov, (iovlen > 0xffffffff ? 0xffffffff : iovlen) | c << 63, dataLimit);
    flags |= r & ~R_OFF;
    at = r & R_OFF;
    if (control && controllen >= 16 - 4 * c) { /* a cmsghdr: 16 bytes, 12 on i386 */
        r = put_bytes(at, SLOT_CONTROL, control, controllen > 4096 ? 4096 : controllen);
        flags |= r & ~R_OFF;
        struct loopstate *l = loop_state();
        if (l && at <= PSS_BUF_LIMIT && (r & R_OFF) > at + 8) {
            l->ctl_start = at + 8;
            l->ctl_len = (r & R_OFF) - at - 8;
        }
        at = r & R_OFF;
    }
    return at | flags;
}

__noinline long put_long(u32 off, u32 slot, s64 v);

/* envp: the number of pointers before its NULL (strace: 43 vars). */
__noinline long put_ptrcount(u32 off, u32 slot, u64 addr, u32 compat)
{
    if (!addr)
        return off;
    struct loopstate *l = loop_state();
    if (!l)
        return off;
    l->p.p = addr;
    l->p.count = 0;
    l->p.fail = 0;
    l->p.done = 0;
    l->p.narrow = compat & 1;
    bpf_loop(65536, ptr_step, 0, 0);
    struct ptrcount w = l->p;
    if (w.fail && w.count == 0) {
        u8 *b = area();
        if (!b || off > PSS_BUF_LIMIT)
            return off | R_PARTIAL;
        u64 o = off;
        asm volatile("%0 &= 8191" : "+r"(o));
        header(b + o, slot, 1, 0);
        return (off + 8) | R_FAULT;
    }
    return put_long(off, slot, w.count);
}

__noinline long put_long(u32 off, u32 slot, s64 v)
{
    u8 *b = area();
    if (!b)
        return off;
    if (off > PSS_BUF_LIMIT)
        return off | R_PARTIAL;
    u64 o = off;
    asm volatile("%0 &= 8191" : "+r"(o));
    u8 *h = b + o;
    header(h, slot, 0, 8);
    *(s64 *)(h + 8) = v;
    return off + 16;
}

/* ---- structures the plain kinds leave as addresses ----
 * All in one global function (capture_walked) and one loop body (walk_step), by kind: bpftool's
 * light-skeleton loader (libbpf 1.1) keeps a descriptor slot per function of the object and has
 * 32 of them (the object has 31 functions now: a 33rd fails the loader's own verification with
 * "invalid read from stack R10 off=0"). Each kind's branch is guarded by pss_kinds, so a trace
 * verifies only the kinds it uses. */

#define PSS_WALKED_KINDS (1u << PSS_K_BIG | 1u << PSS_K_POLLFDS | 1u << PSS_K_FDSET | 1u << PSS_K_SIGSETPTR \
    | 1u << PSS_K_MMSGHDRS | 1u << PSS_K_CLONEPTID | 1u << PSS_K_RIGHTS | 1u << PSS_K_FDAT | 1u << PSS_K_NESTED | 1u << PSS_K_WIDEN | 1u << PSS_K_CLONETLS)

#define WALK_BYTES 5
#define WALK_FDAT 6
#define WALK_WIDEN 7
#define WALK_POLLFD 1
#define WALK_FDSET 2
#define WALK_RIGHTS 3
#define WALK_MMSG 4

static __always_inline void link_took(struct linkwalk *w, long r)
{
    w->off = r & R_OFF;
    w->flags |= r & ~R_OFF;
}

static __always_inline void pollfd_links(struct loopstate *l, u32 start, u32 got, u32 end, u32 limit)
{
    struct linkwalk *w = &l->l;
    w->start = start;
    w->n = got / 8 < limit ? got / 8 : limit;
    w->pos = 0;
    w->off = end;
    w->flags = 0;
    l->mode = WALK_POLLFD;
}

/* One step of a walk over captured bytes (the mode in loopstate): a pollfd's descriptor link,
 * an fd_set's bit (a zero byte at once), an SCM_RIGHTS descriptor or control message header,
 * or an mmsghdr's name and iovec. */
static long walk_step(u32 i, void *unused)
{
    struct loopstate *l = loop_state();
    u8 *b = area();
    if (!l || !b)
        return 1;
    struct linkwalk *w = &l->l;
    switch (l->mode) {
    case WALK_BYTES: {
        struct byteswalk *y = &l->y;
        u64 got = y->got, n = y->n;
        if (got < n) {
            u64 piece = 4096 - ((y->addr + got) & 4095);
            if (piece > n - got)
                piece = n - got;
            asm volatile("%0 &= 8191" : "+r"(piece));
            if (piece > 4096)
                piece = 4096;
            u64 at = y->hdr + 8 + got;
            asm volatile("%0 &= 16383" : "+r"(at));
            if (piece && !bpf_probe_read_user(b + at, piece, (void *)(y->addr + got))) {
                y->got = got + piece;
                return 0;
            }
        }
        /* all read, or no more readable: the header, then the walk over the bytes, if any */
        u64 h = y->hdr;
        asm volatile("%0 &= 8191" : "+r"(h));
        if (!got) {
            header(b + h, y->slot, 1, 0);
            w->off = y->hdr + 8;
            w->flags = R_FAULT;
            return 1;
        }
        header(b + h, y->slot, got < n ? 2 : 0, got);
        w->off = y->hdr + 8 + got;
        if (y->next != WALK_POLLFD)
            return 1;
        pollfd_links(l, y->hdr + 8, got, w->off, y->limit);
        return 0;
    }
    case WALK_WIDEN: {
        struct widenwalk *z = &l->z;
        if (z->zpos < z->len) {
            u64 at = z->dst + z->zpos;
            asm volatile("%0 &= 16383" : "+r"(at));
            *(u64 *)(b + at) = 0;
            z->zpos += 8;
            return 0;
        }
        u32 id = z->layout;
        struct pss_layout *lay = bpf_map_lookup_elem(&layouts, &id);
        if (!lay || z->e >= z->whole || z->k >= lay->nfields || z->k >= PSS_LAYOUT_FIELDS) {
            if (z->next != WALK_MMSG)
                return 1;
            /* i386's mmsghdrs, now in x86_64's layout: their names and iovecs */
            z->next = 0;
            l->m.start = z->dst;
            l->m.elements = (w->off - z->dst) / 64;
            l->m.k = 0;
            l->m.compat = 1;
            l->mode = WALK_MMSG;
            return 0;
        }
        struct pss_field *f = &lay->f[z->k & (PSS_LAYOUT_FIELDS - 1)];
        u64 src = (u64)z->e * lay->compat_size + f->from;
        asm volatile("%0 &= 4095" : "+r"(src));
        u64 dst = z->dst + (u64)z->e * lay->native_size + f->to;
        asm volatile("%0 &= 16383" : "+r"(dst));
        u8 *from = l->wsrc + src;
        u8 *to = b + dst;
        u32 fs = f->from_size, ts = f->to_size;
        if (fs == ts) {
            u64 n = fs & 255;
            if (n)
                bpf_probe_read_kernel(to, n, from);
        } else {
            s64 v;
            if (fs == 1)
                v = f->sign ? (s64)*(signed char *)from : (s64)*from;
            else if (fs == 2)
                v = f->sign ? (s64)*(short *)from : (s64)*(u16 *)from;
            else
                v = f->sign ? (s64)*(s32 *)from : (s64)*(u32 *)from;
            if (ts == 8)
                *(s64 *)to = v;
            else if (ts == 4)
                *(s32 *)to = (s32)v;
            else
                *(short *)to = (short)v;
        }
        if (++z->k >= lay->nfields) {
            z->k = 0;
            z->e++;
        }
        return 0;
    }
    case WALK_FDAT: {
        if (w->pos >= w->n || w->pos >= PSS_FDLINKS)
            return 1;
        u32 at = w->fdpos ? (w->left >> (8 * (w->pos & 3))) & 255 : w->pos * 4;
        int fd = 0;
        if (at + 4 <= w->len) {
            u64 p = w->start + at;
            asm volatile("%0 &= 16383" : "+r"(p));
            fd = *(int *)(b + p);
        }
        link_took(w, put_fdlink(w->off, 32 + (w->pos & 63), fd));
        w->pos++;
        return 0;
    }
    case WALK_POLLFD: {
        if (w->pos >= w->n || w->pos >= PSS_FDLINKS)
            return 1;
        u64 at = w->start + (u64)w->pos * 8;
        asm volatile("%0 &= 16383" : "+r"(at));
        int fd = *(int *)(b + at);
        link_took(w, put_fdlink(w->off, 32 + (w->pos & 63), fd));
        w->pos++;
        return 0;
    }
    case WALK_FDSET: {
        if (w->pos >= w->len || l->links >= PSS_FDLINKS)
            return 1;
        u32 bit = w->pos;
        u64 at = w->start + bit / 8;
        asm volatile("%0 &= 16383" : "+r"(at));
        u8 byte = b[at];
        if (!(bit & 7) && !byte) {
            w->pos += 8;
            return 0;
        }
        if (byte & (1 << (bit & 7))) {
            u32 k = l->links++;
            link_took(w, put_fdlink(w->off, 32 + (k & 63), bit));
        }
        w->pos++;
        return 0;
    }
    case WALK_RIGHTS: {
        if (l->links >= PSS_FDLINKS)
            return 1;
        if (w->left) {
            u64 at = w->start + w->fdpos;
            asm volatile("%0 &= 16383" : "+r"(at));
            int fd = *(int *)(b + at);
            u32 k = l->links++;
            link_took(w, put_fdlink(w->off, 32 + (k & 63), fd));
            w->fdpos += 4;
            w->left--;
            return 0;
        }
        /* struct cmsghdr: a u64 length, level, type (16 bytes, aligned to 8); i386: a u32 length
         * (12 bytes, aligned to 4) */
        u64 c = w->n & 1, hs = 16 - 4 * c, align = 7 - 4 * c;
        if (w->pos + hs > w->len)
            return 1;
        u64 at = w->start + w->pos;
        asm volatile("%0 &= 16383" : "+r"(at));
        u64 len = *(u64 *)(b + at) & ~((-c) << 32);
        if (len < hs)
            return 1;
        if (*(int *)(b + at + hs - 8) == 1 /* SOL_SOCKET */ && *(int *)(b + at + hs - 4) == 1 /* SCM_RIGHTS */) {
            u64 room = w->len - w->pos;
            w->left = ((len < room ? len : room) - hs) / 4;
            w->fdpos = w->pos + hs;
        }
        u64 next = w->pos + ((len + align) & ~align);
        if (next > w->len || next < w->pos)
            next = w->len;
        w->pos = next;
        return 0;
    }
    case WALK_MMSG: {
        struct mmsgwalk *m = &l->m;
        u32 k = m->k;
        if (k >= m->elements || k >= 32)
            return 1;
        m->k = k + 1;
        u64 at = m->start + (u64)k * 64;
        asm volatile("%0 &= 16383" : "+r"(at));
        u8 *e = b + at;
        u64 name = *(u64 *)e;
        s32 namelen = *(s32 *)(e + 8);
        u64 iov = *(u64 *)(e + 16);
        u64 iovlen = *(u64 *)(e + 24);
        u32 msglen = *(u32 *)(e + 56);
        if (name && namelen > 0)
            link_took(w, put_bytes(w->off, 96 + 2 * k, name, namelen > 128 ? 128 : namelen));
        link_took(w, put_iovec(w->off, 97 + 2 * k, iov, (iovlen > 0xffffffff ? 0xffffffff : iovlen) | (u64)(m->compat & 1) << 63,
            m->received ? (s64)msglen : 0x7fffffffffffffffLL));
        return 0;
    }
    }
    return 1;
}

/* Bytes at addr as put_bytes takes them, up to PSS_BIG_MAX (more than one capture's 4096): an
 * epoll_event[1024], poll's pollfd[1024]. Read by walk_step (WALK_BYTES) page by page, then
 * `next` walked over them (WALK_POLLFD) if set. Only near the start of a side's area (the first
 * op of its stop, as these are), else not captured (partial). */
static __always_inline long put_bytes_big(struct loopstate *l, u32 off, u32 slot, u64 addr, u64 n, u32 next, u32 limit)
{
    if (n > PSS_BIG_MAX)
        n = PSS_BIG_MAX;
    if (off > AREA_MAX - 8 - PSS_BIG_MAX)
        return off | R_PARTIAL;
    l->y.addr = addr;
    l->y.n = n;
    l->y.got = 0;
    l->y.hdr = off;
    l->y.slot = slot;
    l->y.next = next;
    l->y.limit = limit;
    l->l.off = off;
    l->l.flags = 0;
    l->mode = WALK_BYTES;
    return off;
}

/* poll's struct pollfd array at entry: string limit + 1 elements (as many as the text shows,
 * with its "..."), then the links of the descriptors of the first min(limit, 64). */
static __always_inline long put_pollfds(struct loopstate *l, u8 *b, u32 off, u32 slot, u64 addr, u64 nfds, u32 limit)
{
    u64 elements = (u32)nfds; /* an unsigned int */
    if (elements > (u64)limit + 1)
        elements = (u64)limit + 1;
    if (elements > 1024)
        elements = 1024;
    if (elements * 8 > PSS_CAP_MAX)
        return put_bytes_big(l, off, slot, addr, elements * 8, WALK_POLLFD, limit);
    long r = put_bytes(off, slot, addr, elements * 8);
    if ((r & ~R_OFF) || off > PSS_BUF_LIMIT || (r & R_OFF) <= off + 8)
        return r;
    u64 o = off;
    asm volatile("%0 &= 8191" : "+r"(o));
    pollfd_links(l, off + 8, *(u32 *)(b + o + 4), r & R_OFF, limit);
    return r;
}

/* An fd_set of nfds bits (an int: a negative count reads as much as it can, as ArgumentCapture
 * reads it), in whole longs as the kernel reads them (at most 1024 bytes), and at entry the
 * links of the descriptors in it, numbered on from the call's earlier sets. */
static __always_inline long put_fdset(struct loopstate *l, u8 *b, u32 off, u32 slot, u64 addr, u64 nfds, u32 links, u32 compat)
{
    u64 n = (u64)(s64)(s32)nfds;
    if (n > (1 << 20))
        n = 1 << 20;
    if (!n)
        return off;
    u64 bytes = compat ? (n + 31) / 32 * 4 : (n + 63) / 64 * 8; /* i386: 4-byte longs, the same bits */
    if (bytes > 1024)
        bytes = 1024;
    long r = put_bytes(off, slot, addr, bytes);
    if (!links || (r & ~R_OFF) || off > PSS_BUF_LIMIT || (r & R_OFF) <= off + 8)
        return r;
    u64 o = off;
    asm volatile("%0 &= 8191" : "+r"(o));
    u32 got = *(u32 *)(b + o + 4);
    struct linkwalk *w = &l->l;
    w->start = off + 8;
    w->len = n < (u64)got * 8 ? n : got * 8;
    w->pos = 0;
    w->off = r & R_OFF;
    w->flags = 0;
    l->mode = WALK_FDSET;
    return r;
}

/* The SCM_RIGHTS descriptors in the control data put_msghdr captured just before (the
 * descriptors received are the tracee's new ones: their links are read at the exit). */
static __always_inline long put_rights(struct loopstate *l, u32 off, u32 compat)
{
    if (!l->ctl_len)
        return off;
    struct linkwalk *w = &l->l;
    w->start = l->ctl_start;
    w->len = l->ctl_len > 4096 ? 4096 : l->ctl_len;
    w->pos = 0;
    w->left = 0;
    w->fdpos = 0;
    w->n = compat & 1; /* i386's cmsghdr */
    w->off = off;
    w->flags = 0;
    l->ctl_len = 0;
    l->mode = WALK_RIGHTS;
    return off;
}

/* pselect6's sixth argument, { const sigset_t *ss; size_t ss_len; }: the set in Extra when the
 * size is the kernel's (8). */
static __always_inline long put_sigsetptr(u8 *b, u32 off, u32 slot, u64 addr)
{
    long r = put_bytes(off, slot, addr, 16);
    if ((r & ~R_OFF) || off > PSS_BUF_LIMIT || (r & R_OFF) != off + 24)
        return r;
    u64 o = off;
    asm volatile("%0 &= 8191" : "+r"(o));
    u64 ss = *(u64 *)(b + o + 8);
    u64 len = *(u64 *)(b + o + 16);
    if (!ss || len != 8)
        return r;
    return put_bytes(r & R_OFF, SLOT_EXTRA, ss, 8);
}

/* An i386 structure (or array of them) read in its 32-bit layout and kept in x86_64's, as
 * ArgumentCapture.AddWidened does: `native` bytes asked for, as many whole elements as could be
 * read (Truncated when fewer than asked), widened field by field by walk_step. */
static __always_inline long put_widen(struct loopstate *l, u8 *b, u32 off, u32 slot, u64 addr, u32 native, u32 id)
{
    struct pss_layout *lay = bpf_map_lookup_elem(&layouts, &id);
    if (!lay || !lay->compat_size || !lay->native_size)
        return off;
    u32 csize = lay->compat_size, nsize = lay->native_size;
    u64 count = native / nsize;
    if (!count)
        count = 1;
    u64 want = count * csize;
    if (want > 4096)
        want = 4096;
    /* page by page, as process_vm_readv reads: what could be read before an unreadable page */
    u64 got = 0;
    u64 first = 4096 - (addr & 4095);
    if (first > want)
        first = want;
    asm volatile("%0 &= 8191" : "+r"(first));
    if (first > 4096)
        first = 4096;
    if (first && !bpf_probe_read_user(l->wsrc, first, (void *)addr)) {
        got = first;
        u64 rest = want - first;
        asm volatile("%0 &= 4095" : "+r"(rest));
        u64 at = first;
        asm volatile("%0 &= 4095" : "+r"(at));
        if (rest && !bpf_probe_read_user(l->wsrc + at, rest, (void *)(addr + first)))
            got += rest;
    }
    u64 o = off;
    asm volatile("%0 &= 8191" : "+r"(o));
    if (!got) {
        header(b + o, slot, 1, 0);
        return (off + 8) | R_FAULT;
    }
    u64 whole = got / csize;
    u64 len = whole * nsize;
    if (len > 4096) {
        whole = 4096 / nsize;
        len = whole * nsize;
    }
    u32 kept = len < native ? len : native;
    header(b + o, slot, got < want ? 2 : 0, kept);
    l->z.dst = off + 8;
    l->z.len = len;
    l->z.zpos = 0;
    l->z.whole = whole;
    l->z.e = 0;
    l->z.k = 0;
    l->z.layout = id;
    l->z.next = 0;
    l->l.off = off + 8 + kept;
    l->l.flags = 0;
    l->mode = WALK_WIDEN;
    return off;
}

/* i386's clone3 (ArgumentCapture's CloneArgs): with CLONE_SETTLS, the struct user_desc that
 * tls (clone_args at 56) points to, into Extra; only after some capture of the stop (as there). */
static __always_inline long put_clonetls(struct loopstate *l, u32 off, u64 addr, u64 size)
{
    u64 *head = l->head;
    if (!off || size < 64 || bpf_probe_read_user(head, 64, (void *)addr))
        return off;
    if (!(head[0] & 0x80000))
        return off;
    return put_bytes(off, SLOT_EXTRA, head[7], 16);
}

/* struct mmsghdr[count] (at most 32) as ArgumentCapture.AddMmsghdrs lays it out: the headers
 * with their msg_len in slot, each element's name and iovec in its own slots, the data received
 * up to the element's msg_len. Control messages are not followed (nor by ptrace). */
static __always_inline long put_mmsghdrs(struct loopstate *l, u8 *b, u32 off, u32 slot, u64 addr, u64 count, u32 received, u32 layout)
{
    if (count > 32)
        count = 32;
    l->m.received = received;
    l->m.k = 0;
    l->m.compat = 0;
    if (layout) {
        /* i386: widened first (its mmsghdr layout is layouts[layout - 1]), then walked */
        long w = put_widen(l, b, off, slot, addr, count * 64, layout - 1);
        l->z.next = WALK_MMSG;
        return w;
    }
    long r = put_bytes(off, slot, addr, count * 64);
    if ((r & ~R_OFF) || off > PSS_BUF_LIMIT || (r & R_OFF) <= off + 8)
        return r;
    u64 o = off;
    asm volatile("%0 &= 8191" : "+r"(o));
    u32 got = *(u32 *)(b + o + 4);
    l->m.start = off + 8;
    l->m.elements = got / 64;
    l->l.off = r & R_OFF;
    l->l.flags = 0;
    l->mode = WALK_MMSG;
    return r;
}

/* clone3's parent_tid (struct clone_args: flags at 0, parent_tid at 24), which the kernel wrote
 * with CLONE_PARENT_SETTID. */
static __always_inline long put_cloneptid(struct loopstate *l, u32 off, u32 slot, u64 addr, u64 size, u32 bytes)
{
    u64 *head = l->head; /* not on the stack: capture_walked's frame is in the deepest call chain */
    if (size < 32 || bpf_probe_read_user(head, 32, (void *)addr))
        return off;
    if (!(head[0] & 0x00100000))
        return off;
    return put_bytes(off, slot, head[3], bytes > 8 ? 8 : bytes);
}

struct capctx {
    u32 nr;
    u32 pad0;
    u64 sp;
    u64 args[6];
    s64 ret;
    u32 off;
    u32 when;
    u32 limit;
    u32 partial;
    u32 faults;
    u32 prev;  /* where the last op's captures began (PSS_K_FDAT reads the structure there) */
};

static __always_inline void took(struct capctx *c, long r)
{
    c->prev = c->off;
    c->off = r & R_OFF;
    if (r & R_FAULT)
        c->faults++;
    if (r & R_PARTIAL)
        c->partial = 1;
}

/* CapturePlan.LengthFor, in the kernel. */
static __always_inline u32 op_length(struct capctx *c, struct pss_op *op, u32 kind, s32 pointee, u32 cap)
{
    u64 n = 0;
    u32 unit = op->unit > 1 ? op->unit : 1;
    switch (kind) {
    case PSS_K_FIXED:
        n = op->bytes;
        break;
    case PSS_K_ARGCOUNT: {
        u64 a = argn(c->args, op->count_arg);
        s64 cnt = (s64)(a > 0x7fffffff ? 0x7fffffff : a) + op->bias;
        if (cnt < 0)
            cnt = 0;
        n = ((u64)cnt + unit - 1) / unit * op->bytes;
        break;
    }
    case PSS_K_RETCOUNT: {
        s64 cnt = c->ret > 0 ? c->ret : 0;
        if (op->count_arg < 6) {
            u64 a = argn(c->args, op->count_arg);
            if ((u64)cnt > a)
                cnt = (s64)a;
        }
        n = ((u64)cnt + unit - 1) / unit * op->bytes;
        break;
    }
    case PSS_K_CSTRING:
        n = op->max ? op->max : c->limit;
        break;
    case PSS_K_POINTEE:
        n = (u64)(pointee > 0 ? pointee : 0) * op->bytes;
        break;
    }
    n += op->header;
    if ((op->flags & PSS_O_STRINGLIMITED) && n > c->limit)
        n = c->limit;
    u32 max = op->max ? op->max : PSS_CAP_MAX;
    if (n > max)
        n = max;
    if (n > cap)
        n = cap;
    return (u32)n;
}

/* The structure a conditional plan captured, which its PSS_K_FDAT and PSS_K_NESTED ops read:
 * the op just before (then kept in l->base for the ops after), in the target's slot, readable.
 * The offset of its header, or -1. */
static __always_inline s64 struct_base(struct loopstate *l, u8 *b, struct capctx *c, struct pss_op *op)
{
    u32 slot = (op->when == PSS_W_ENTRY ? 0 : 16) + op->arg;
    u32 start = c->prev;
    u64 h = start;
    asm volatile("%0 &= 8191" : "+r"(h));
    if (start < c->off && start <= PSS_BUF_LIMIT && b[h] == slot) {
        l->base = start;
    } else {
        start = l->base;
        h = start;
        asm volatile("%0 &= 8191" : "+r"(h));
        if (start >= c->off || start > PSS_BUF_LIMIT || b[h] != slot)
            return -1;
    }
    if (b[h + 1] != 0 && b[h + 1] != 2)
        return -1; /* unreadable: shown as an address */
    return start;
}

/* The descriptors inside the structure (bpf's attr, seccomp's addfd): op->slot of them, at the
 * offsets packed in op->at (a byte each) when 4 or fewer, else at 0, 4, 8...; a field past the
 * bytes captured reads as 0 (ArgumentCapture.AddConditional). */
static __always_inline long put_fdat(struct loopstate *l, u8 *b, struct capctx *c, struct pss_op *op)
{
    u32 off = c->off;
    s64 start = struct_base(l, b, c, op);
    if (start < 0)
        return off;
    u64 h = start;
    asm volatile("%0 &= 8191" : "+r"(h));
    struct linkwalk *w = &l->l;
    w->start = start + 8;
    w->len = *(u32 *)(b + h + 4);
    w->n = op->slot > PSS_FDLINKS ? PSS_FDLINKS : op->slot;
    w->left = op->at;
    w->fdpos = op->slot <= 4;
    w->pos = 0;
    w->off = off;
    w->flags = 0;
    l->mode = WALK_FDAT;
    return off;
}

/* An array the structure points to (io_uring's resource data and tags, ArgumentCapture.AddNested):
 * op->at packs the pointer's offset, the count's offset, the element size and (bit 24) whether
 * the elements are descriptors, whose links follow. At most string-limit elements, 4096 bytes
 * (more is partial). */
static __always_inline long put_nested(struct loopstate *l, u8 *b, struct capctx *c, struct pss_op *op)
{
    u32 off = c->off;
    s64 start = struct_base(l, b, c, op);
    if (start < 0)
        return off;
    u64 h = start;
    asm volatile("%0 &= 8191" : "+r"(h));
    u32 got = *(u32 *)(b + h + 4);
    u32 po = op->at & 255, co = (op->at >> 8) & 255, size = (op->at >> 16) & 255;
    if (po + 8 > got || co + 4 > got)
        return off;
    u64 p = h + 8 + po, q = h + 8 + co;
    asm volatile("%0 &= 16383" : "+r"(p));
    asm volatile("%0 &= 16383" : "+r"(q));
    u64 ptr = *(u64 *)(b + p);
    u64 count = *(u32 *)(b + q);
    if (count > c->limit)
        count = c->limit;
    u64 n = count * size;
    long flags = 0;
    if (n > PSS_CAP_MAX) {
        n = PSS_CAP_MAX;
        flags = R_PARTIAL;
    }
    long r = put_bytes(off, op->slot, ptr, n);
    if (!(op->at & (1 << 24)) || (r & ~R_OFF) || (r & R_OFF) <= off + 8)
        return r | flags;
    u64 o = off;
    asm volatile("%0 &= 8191" : "+r"(o));
    u32 bytes = *(u32 *)(b + o + 4);
    struct linkwalk *w = &l->l;
    w->start = off + 8;
    w->len = bytes;
    w->n = bytes / 4 > PSS_FDLINKS ? PSS_FDLINKS : bytes / 4;
    w->fdpos = 0;
    w->pos = 0;
    w->off = r & R_OFF;
    w->flags = flags;
    l->mode = WALK_FDAT;
    return r | flags;
}

/* The walked kinds (PSS_K_BIG and up), op by op: one global function, so that the verifier
 * checks them once, not on each of capture_op's paths. */
__noinline long capture_walked(struct capctx *c, struct pss_op *op)
{
    if (!c || !op)
        return 0;
    u32 off = c->off;
    u32 kinds = pss_kinds.entry | pss_kinds.exit;
    u8 *b = area();
    struct loopstate *l = loop_state();
    u32 kind = op->kind, slot = op->slot;
    /* arguments by index (argn's switch would be six paths for the verifier to walk) */
    u64 ai = op->arg, ci = op->count_arg;
    if (ai > 5)
        ai = 5;
    u64 addr = c->args[ai];
    u64 count = ci < 6 ? c->args[ci] : 0;
    if (!b || !l || (!addr && kind != PSS_K_RIGHTS))
        return off;
    if (off > PSS_BUF_LIMIT)
        return off | R_PARTIAL;
    l->mode = 0;
    long r = off;
    switch (kind) {
    case PSS_K_BIG:
        if (kinds & (1u << PSS_K_BIG))
        {
            u32 n = op_length(c, op, op->lenkind, 0, PSS_BIG_MAX);
            r = n > PSS_CAP_MAX ? put_bytes_big(l, off, slot, addr, n, 0, 0) : put_bytes(off, slot, addr, n);
        }
        break;
    case PSS_K_POLLFDS:
        if (kinds & (1u << PSS_K_POLLFDS))
            r = put_pollfds(l, b, off, slot, addr, count, c->limit);
        break;
    case PSS_K_FDSET:
        if (kinds & (1u << PSS_K_FDSET))
            r = put_fdset(l, b, off, slot, addr, count, c->when == PSS_W_ENTRY, op->lenkind);
        break;
    case PSS_K_RIGHTS:
        if (kinds & (1u << PSS_K_RIGHTS))
            r = put_rights(l, off, op->lenkind);
        break;
    case PSS_K_SIGSETPTR:
        if (kinds & (1u << PSS_K_SIGSETPTR))
            r = put_sigsetptr(b, off, slot, addr);
        break;
    case PSS_K_MMSGHDRS:
        if (kinds & (1u << PSS_K_MMSGHDRS)) {
            if (op->lenkind == PSS_K_RETCOUNT)
                count = c->ret > 0 ? (u64)c->ret : 0;
            r = put_mmsghdrs(l, b, off, slot, addr, (u32)count, c->when != PSS_W_ENTRY, op->at);
        }
        break;
    case PSS_K_CLONEPTID:
        if (kinds & (1u << PSS_K_CLONEPTID))
            r = put_cloneptid(l, off, slot, addr, count, op->bytes);
        break;
    case PSS_K_FDAT:
        if (kinds & (1u << PSS_K_FDAT))
            r = put_fdat(l, b, c, op);
        break;
    case PSS_K_NESTED:
        if (kinds & (1u << PSS_K_NESTED))
            r = put_nested(l, b, c, op);
        break;
    case PSS_K_CLONETLS:
        if (kinds & (1u << PSS_K_CLONETLS))
            r = put_clonetls(l, off, addr, count);
        break;
    case PSS_K_WIDEN:
        if (kinds & (1u << PSS_K_WIDEN)) {
            s32 pointee = 0;
            if (op->lenkind == PSS_K_POINTEE) {
                u64 p = count;
                if (!p || bpf_probe_read_user(&pointee, 4, (void *)p))
                    pointee = -1;
            }
            r = put_widen(l, b, off, slot, addr, op_length(c, op, op->lenkind, pointee, PSS_CAP_MAX), op->at);
        }
        break;
    }
    /* The walk a kind set up, in one place (the verifier checks a loop body at each call). */
    if ((kinds & (1u << PSS_K_BIG | 1u << PSS_K_POLLFDS | 1u << PSS_K_FDSET | 1u << PSS_K_RIGHTS | 1u << PSS_K_MMSGHDRS | 1u << PSS_K_FDAT | 1u << PSS_K_NESTED | 1u << PSS_K_WIDEN)) && l->mode) {
        bpf_loop(8192 + 1024, walk_step, 0, 0);
        l->mode = 0;
        return l->l.off | l->l.flags | (r & ~R_OFF);
    }
    return r;
}

/* Capture op i of the call's plan; 1 when there are no more. `kinds` is a constant of the
 * read-only section (pss_kinds): a kind the trace does not use is a branch never verified. */
static __always_inline long capture_op(struct capctx *c, u32 i, u32 kinds)
{
    if (!c)
        return 1;
    u32 nr = c->nr;
    struct pss_plan *plan = bpf_map_lookup_elem(&plans, &nr);
    if (!plan)
        return 1;
    struct pss_op *op;
    if (i < plan->nops && i < PSS_MAX_OPS) {
        u64 idx = i;
        asm volatile("%0 &= 15" : "+r"(idx)); /* keep the bound clang would prove away */
        op = &plan->ops[idx];
    } else {
        /* then the ops for this value of the selector (ioctl's command), if any */
        u32 sel = plan->hash_sel;
        u32 j = i - plan->nops;
        if (!sel || sel > 6 || j >= PSS_COND_OPS)
            return 1;
        struct pss_condkey key = { .nr = nr, .value = argn(c->args, sel - 1) & plan->hash_mask };
        struct pss_condops *more = bpf_map_lookup_elem(&condops, &key);
        if (!more || j >= more->nops)
            return 1;
        u64 idx = j;
        asm volatile("%0 &= 3" : "+r"(idx));
        op = &more->ops[idx];
    }
    u32 when = op->when;
    if (c->when == PSS_W_ENTRY) {
        if (when != PSS_W_ENTRY)
            return 0;
    } else {
        bool failed = c->ret < 0 && c->ret >= -4095;
        if (when == PSS_W_ENTRY)
            return 0;
        if (when == PSS_W_EXIT && failed)
            return 0;
        if (when == PSS_W_EXITPOS && (failed || c->ret <= 0))
            return 0;
    }
    if ((op->flags & PSS_O_COND) && (argn(c->args, op->cond_arg) & op->cond_mask) != op->cond_value)
        return 0;
    u64 v = argn(c->args, op->arg);
    if (op->kind >= PSS_K_BIG) {
        /* the walked kinds: one test when a trace uses none of them */
        if (kinds & PSS_WALKED_KINDS)
            took(c, capture_walked(c, op));
        return 0;
    }
    switch (op->kind) {
    case PSS_K_FDLINK:
        if (!(kinds & (1u << PSS_K_FDLINK)))
            return 0;
        took(c, put_fdlink(c->off, op->slot, (int)v));
        return 0;
    case PSS_K_DIRFDLINK:
        if (!(kinds & (1u << PSS_K_DIRFDLINK)))
            return 0;
        if ((int)v == AT_FDCWD)
            took(c, put_cwd(c->off, op->slot));
        else
            took(c, put_fdlink(c->off, op->slot, (int)v));
        return 0;
    case PSS_K_RETFDLINK:
        if (!(kinds & (1u << PSS_K_RETFDLINK)))
            return 0;
        if (c->ret >= 0)
            took(c, put_fdlink(c->off, op->slot, (int)c->ret));
        return 0;
    case PSS_K_PIPEFDS: {
        if (!(kinds & (1u << PSS_K_PIPEFDS)))
            return 0;
        u32 at = c->off;
        took(c, put_bytes(at, op->slot, v, 8));
        u8 *b = area();
        if (b && at <= PSS_BUF_LIMIT && c->off == at + 16 && *(u32 *)(b + at + 4) == 8) {
            int fd0 = *(int *)(b + at + 8);
            int fd1 = *(int *)(b + at + 12);
            took(c, put_fdlink(c->off, 24, fd0));
            took(c, put_fdlink(c->off, 25, fd1));
        }
        return 0;
    }
    case PSS_K_IOVEC: {
        if (!(kinds & (1u << PSS_K_IOVEC)))
            return 0;
        bool failed = c->ret < 0 && c->ret >= -4095;
        s64 limit = when == PSS_W_ENTRY ? 0x7fffffffffffffffLL : failed ? -1 : c->ret;
        u64 count = argn(c->args, op->count_arg);
        if (count > 0xffffffff)
            count = 0xffffffff; /* no more than 1024 elements are read */
        took(c, put_iovec(c->off, op->slot, v, count | (u64)(op->lenkind & 1) << 63, limit));
        return 0;
    }
    case PSS_K_MSGHDR: {
        if (!(kinds & (1u << PSS_K_MSGHDR)))
            return 0;
        bool failed = c->ret < 0 && c->ret >= -4095;
        took(c, put_msghdr(c->off, op->slot, v, when == PSS_W_ENTRY ? 0x7fffffffffffffffLL : failed ? -1 : c->ret, op->lenkind & 1));
        return 0;
    }
    case PSS_K_FIXEDAT:
        if (!(kinds & (1u << PSS_K_FIXEDAT)))
            return 0;
        if (v)
            took(c, put_bytes(c->off, op->slot, v + op->header, op->bytes));
        return 0;
    case PSS_K_STACK:
        if (!(kinds & (1u << PSS_K_STACK)))
            return 0;
        took(c, put_bytes(c->off, op->slot, c->sp + op->header, op->bytes));
        return 0;
    case PSS_K_ARGV:
        if (!(kinds & (1u << PSS_K_ARGV)))
            return 0;
        took(c, put_argv(c->off, op->slot, v, 0, 0xffffffff00000000ULL | (u64)(op->lenkind & 1) << 31 | (c->limit & 0x7fffffff)));
        return 0;
    case PSS_K_ENVP:
        if (!(kinds & (1u << PSS_K_ENVP)))
            return 0;
        took(c, put_ptrcount(c->off, op->slot, v, op->lenkind & 1));
        return 0;
    case PSS_K_DIRENTS:
        if (!(kinds & (1u << PSS_K_DIRENTS)))
            return 0;
        took(c, put_dirents(c->off, op->slot, v, c->ret > 0 ? (u64)c->ret : 0, op->lenkind & 1));
        return 0;
    case PSS_K_CSTRING: {
        if (!(kinds & (1u << PSS_K_CSTRING)))
            return 0;
        u32 n = op_length(c, op, PSS_K_CSTRING, 0, PSS_CAP_MAX);
        took(c, put_string(c->off, op->slot, v, n, op->flags & PSS_O_BOUNDED));
        return 0;
    }
    default: {
        if (!(kinds & (1u << PSS_K_FIXED | 1u << PSS_K_ARGCOUNT | 1u << PSS_K_RETCOUNT | 1u << PSS_K_POINTEE)))
            return 0;
        s32 pointee = 0;
        if (op->kind == PSS_K_POINTEE) {
            u64 p = argn(c->args, op->count_arg);
            if (!p || bpf_probe_read_user(&pointee, 4, (void *)p))
                pointee = -1;
        }
        took(c, put_bytes(c->off, op->slot, v, op_length(c, op, op->kind, pointee, PSS_CAP_MAX)));
        return 0;
    }
    }
}

/* sys_enter's copy knows only the entry's kinds; sys_exit's, which also takes again the entry's
 * captures that faulted, knows both. Global: verified once per program, on its own. */
__noinline long capture_entry_op(struct capctx *c, u32 i)
{
    return capture_op(c, i, pss_kinds.entry);
}

__noinline long capture_exit_op(struct capctx *c, u32 i)
{
    return capture_op(c, i, pss_kinds.entry | pss_kinds.exit);
}

/* Array link slots are numbered per stop (ArgumentCapture._arrayFdLinks). Here rather than at
 * capture_op's first op: a test of the op's index there would have the verifier walk the rest
 * of capture_op twice. */
static __always_inline void new_stop(void)
{
    struct loopstate *l = loop_state();
    if (l) {
        l->links = 0;
        l->base = 0xffffffff;
    }
}

static long capture_entry_one(u32 i, struct capctx *c)
{
    return capture_entry_op(c, i) ? 1 : 0;
}

static long capture_exit_one(u32 i, struct capctx *c)
{
    return capture_exit_op(c, i) ? 1 : 0;
}

/* ---- the traced tree ---- */

static __always_inline struct proc *current_proc(void)
{
    u32 tgid = bpf_get_current_pid_tgid() >> 32;
    return bpf_map_lookup_elem(&traced, &tgid);
}

static __always_inline void output(struct out *o, u32 size, bool wake)
{
    struct pss_config *k = cfg();
    u64 flags = BPF_RB_NO_WAKEUP;
    if (wake || !k || bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) + size >= k->wake_bytes)
        flags = BPF_RB_FORCE_WAKEUP;
    if (size < sizeof(struct pss_record))
        size = sizeof(struct pss_record);
    if (size > sizeof(struct out))
        size = sizeof(struct out);
    o->h.size = size;
    if (bpf_ringbuf_output(&events, o, size, flags))
        count(PSS_C_DROPPED, 1);
}

static __always_inline struct out *new_record(u16 kind, u32 tgid, u32 tid)
{
    u32 zero = 0;
    struct out *o = bpf_map_lookup_elem(&outbuf, &zero);
    if (!o)
        return 0;
    o->h.kind = kind;
    o->h.flags = 0;
    o->h.tgid = tgid;
    o->h.tid = tid;
    o->h.nr = 0;
    o->h.ppid = 0;
    o->h.ts = bpf_ktime_get_ns();
    o->h.dur = 0;
    o->h.ret = 0;
    o->h.entry_len = 0;
    o->h.exit_len = 0;
    for (int i = 0; i < 6; i++)
        o->h.args[i] = 0;
    return o;
}

/* A call that will never return (exit, exit_group, a thread killed in a call). */
static __always_inline void emit_unfinished(struct call *cl, u32 tgid, u32 tid)
{
    struct pss_config *k = cfg();
    cl->active = 0;
    if (!k || k->result != 0)
        return;
    struct out *o = new_record(PSS_REC_SYSCALL, tgid, tid);
    if (!o)
        return;
    o->h.flags = PSS_F_UNFINISHED | ((cl->partial & 1) ? PSS_F_PARTIAL : 0);
    if (cl->faults)
        count(PSS_C_FAULTS, cl->faults);
    o->h.nr = cl->nr;
    o->h.ts = cl->ts;
    for (int i = 0; i < 6; i++)
        o->h.args[i] = cl->args[i];
    u32 elen = cl->elen;
    if (elen > AREA_MAX)
        elen = AREA_MAX;
    if (elen)
        bpf_probe_read_kernel(o->data, elen, cl->ebuf);
    o->h.entry_len = elen;
    output(o, sizeof(struct pss_record) + elen, true);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(pss_sys_enter, struct pt_regs *regs, long id)
{
    struct proc *p = current_proc();
    if (!p)
        return 0;
    if (!p->visible && id != NR_EXECVE && id != NR_EXECVEAT)
        return 0;
    struct pss_config *k = cfg();
    if (!k)
        return 0;
    u32 nr = (u32)id;
    struct pss_plan *plan = 0;
    struct task_struct *task = bpf_get_current_task_btf();
    /* An i386 call (int 0x80): its own numbers and registers, and its own plans (after
     * x86_64's), selected by name as x86_64's are. */
    bool compat = task->thread_info.status & 0x0002; /* TS_COMPAT */
    u32 index = nr;
    if (compat) {
        if (nr < PSS_MAX_SYSCALLS) {
            index = PSS_MAX_SYSCALLS + nr;
            plan = bpf_map_lookup_elem(&plans, &index);
            if (!plan || !plan->selected)
                return 0;
        } else if (!k->select_unknown) {
            return 0;
        }
    } else if (nr < PSS_MAX_SYSCALLS) {
        plan = bpf_map_lookup_elem(&plans, &nr);
        if (!plan || !plan->selected)
            return 0;
    } else if (!k->select_unknown) {
        return 0;
    }
    struct call *cl = bpf_task_storage_get(&calls, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
    if (!cl) {
        count(PSS_C_NOSTORAGE, 1);
        return 0;
    }
    cl->ts = bpf_ktime_get_ns();
    cl->nr = (s32)id;
    /* regs is a typed (BTF) pointer in a tp_btf program: direct loads, relocated by CO-RE. */
    if (compat) {
        cl->args[0] = regs->bx;
        cl->args[1] = regs->cx;
        cl->args[2] = regs->dx;
        cl->args[3] = regs->si;
        cl->args[4] = regs->di;
        cl->args[5] = regs->bp;
        cl->nr |= 0x80000000; /* i386 */
    } else {
        cl->args[0] = regs->di;
        cl->args[1] = regs->si;
        cl->args[2] = regs->dx;
        cl->args[3] = regs->r10;
        cl->args[4] = regs->r8;
        cl->args[5] = regs->r9;
    }
    cl->sp = regs->sp;
    cl->active = 1;
    cl->elen = 0;
    cl->partial = 0;
    cl->faults = 0;
    if (plan && (plan->nops || plan->hash_sel)) {
        struct capctx c = {};
        c.nr = index;
        c.sp = cl->sp;
        u64 width = compat ? 0xffffffffULL : ~0ULL; /* i386: 32-bit registers */
        for (int i = 0; i < 6; i++)
            c.args[i] = cl->args[i] & width;
        c.when = PSS_W_ENTRY;
        c.limit = k->string_limit;
        new_stop();
        bpf_loop(PSS_MAX_OPS + PSS_COND_OPS, capture_entry_one, &c, 0);
        u32 elen = c.off;
        if (elen > AREA_MAX)
            elen = AREA_MAX;
        u8 *b = area();
        if (b && elen)
            bpf_probe_read_kernel(cl->ebuf, elen, b);
        cl->elen = elen;
        cl->partial = c.partial;
        /* Memory paged out now may be readable at the exit: the entry captures are then taken again. */
        cl->faults = c.faults;
        if (c.faults)
            cl->partial |= 2;
    }
    return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(pss_sys_exit, struct pt_regs *regs, long ret)
{
    struct proc *p = current_proc();
    if (!p)
        return 0;
    struct task_struct *task = bpf_get_current_task_btf();
    struct call *cl = bpf_task_storage_get(&calls, task, 0, 0);
    if (!cl || !cl->active)
        return 0;
    /* A thread with SIGKILL pending dies before it returns: ptrace shows no exit for it either,
     * and strace -c does not count it. sched_process_exit reports it unfinished. */
    if (BPF_CORE_READ(task, pending.signal.sig[0]) & SIGKILL_BIT)
        return 0;
    cl->active = 0;
    if (!p->visible)
        return 0; /* the shim's execve failed: a launch failure, not a call */
    struct pss_config *k = cfg();
    if (!k)
        return 0;
    bool failed = ret < 0 && ret >= -4095;
    /* Renames and mounts change paths: the link cache starts a new generation. */
    if (!failed && (cl->nr == 82 || cl->nr == 264 || cl->nr == 316 || cl->nr == 165 || cl->nr == 166 || cl->nr == 155 || cl->nr == 429)) {
        u32 zero0 = 0;
        u64 *gen = bpf_map_lookup_elem(&linkgen, &zero0);
        if (gen)
            __sync_fetch_and_add(gen, 1);
    }
    if ((k->result == 1 && !failed) || (k->result == 2 && failed))
        return 0;
    u32 zero = 0;
    struct out *o = bpf_map_lookup_elem(&outbuf, &zero);
    struct area *x = bpf_map_lookup_elem(&exitarea, &zero);
    if (!o || !x)
        return 0;
    u64 id = bpf_get_current_pid_tgid();
    u64 now = bpf_ktime_get_ns();
    o->h.kind = PSS_REC_SYSCALL;
    o->h.tgid = id >> 32;
    o->h.tid = (u32)id;
    o->h.nr = cl->nr;
    o->h.ppid = 0;
    o->h.ts = cl->ts;
    o->h.dur = now - cl->ts;
    o->h.ret = ret;
    for (int i = 0; i < 6; i++)
        o->h.args[i] = cl->args[i];
    u32 partial = cl->partial;
    u32 nr = (u32)cl->nr;
    bool compat = nr & 0x80000000;
    u32 index = compat ? PSS_MAX_SYSCALLS + (nr & 0x7fffffff) : nr;
    struct pss_plan *plan = index < PSS_PLANS ? bpf_map_lookup_elem(&plans, &index) : 0;
    struct capctx c = {};
    c.nr = index;
    c.sp = cl->sp;
    u64 width = compat ? 0xffffffffULL : ~0ULL; /* i386: 32-bit registers */
    for (int i = 0; i < 6; i++)
        c.args[i] = cl->args[i] & width;
    c.ret = ret;
    c.limit = k->string_limit;
    u32 elen = cl->elen;
    if (elen > AREA_MAX)
        elen = AREA_MAX;
    /* (A successful execve's old memory is gone: its captures were rebuilt at sched_process_exec.) */
    bool exec = nr == NR_EXECVE || nr == NR_EXECVEAT || nr == (0x80000000 | 11) || nr == (0x80000000 | 358); /* i386's too */
    if (plan && (plan->nops || plan->hash_sel) && (partial & 2) && !(exec && ret == 0)) {
        /* Some entry memory was unreadable at sys_enter (paged out): read it again now. */
        c.when = PSS_W_ENTRY;
        new_stop();
        bpf_loop(PSS_MAX_OPS + PSS_COND_OPS, capture_exit_one, &c, 0);
        elen = c.off;
        if (elen > AREA_MAX)
            elen = AREA_MAX;
        if (elen)
            bpf_probe_read_kernel(o->data, elen, x->b);
        partial = c.partial;
        if (c.faults)
            count(PSS_C_FAULTS, c.faults); /* still unreadable at the exit */
        c.off = 0;
        c.faults = 0;
    } else {
        if (elen)
            bpf_probe_read_kernel(o->data, elen, cl->ebuf);
        if (cl->faults)
            count(PSS_C_FAULTS, cl->faults);
    }
    u32 xlen = 0;
    if (plan && (plan->nops || plan->hash_sel)) {
        c.when = PSS_W_EXIT;
        c.partial = 0;
        new_stop();
        bpf_loop(PSS_MAX_OPS + PSS_COND_OPS, capture_exit_one, &c, 0);
        xlen = c.off;
        if (xlen > AREA_MAX)
            xlen = AREA_MAX;
        if (elen > AREA_MAX)
            elen = AREA_MAX;
        if (xlen)
            bpf_probe_read_kernel(o->data + elen, xlen, x->b);
        partial |= c.partial;
        if (c.faults)
            count(PSS_C_FAULTS, c.faults);
    }
    o->h.flags = (partial & 1) ? PSS_F_PARTIAL : 0;
    if (partial & 1)
        count(PSS_C_PARTIAL, 1);
    o->h.entry_len = elen;
    o->h.exit_len = xlen;
    output(o, sizeof(struct pss_record) + elen + xlen, false);
    return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(pss_fork, struct task_struct *parent, struct task_struct *child)
{
    u32 ptgid = BPF_CORE_READ(parent, tgid);
    struct proc *p = bpf_map_lookup_elem(&traced, &ptgid);
    if (!p)
        return 0;
    u32 tgid = BPF_CORE_READ(child, tgid);
    u32 pid = BPF_CORE_READ(child, pid);
    if (tgid != pid || tgid == ptgid)
        return 0; /* a thread: its process is traced already */
    struct pss_config *k = cfg();
    if (!k || !k->follow_forks)
        return 0;
    struct proc np = { .visible = p->visible, .root = 0 };
    if (bpf_map_update_elem(&traced, &tgid, &np, BPF_ANY)) {
        count(PSS_C_UNTRACED, 1); /* 65536 traced processes at once: this one is not */
        return 0;
    }
    if (!p->visible)
        return 0;
    struct out *o = new_record(PSS_REC_FORK, tgid, tgid);
    if (!o)
        return 0;
    o->h.ppid = ptgid;
    bpf_probe_read_kernel(o->data, 16, BPF_CORE_READ(child, comm));
    o->h.entry_len = 16;
    output(o, sizeof(struct pss_record) + 16, false);
    return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(pss_exec, struct task_struct *task, int old_pid, struct linux_binprm *bprm)
{
    u32 tgid = BPF_CORE_READ(task, tgid);
    struct proc *p = bpf_map_lookup_elem(&traced, &tgid);
    if (!p)
        return 0;
    p->visible = 1;
    /* The execve in flight: its captures are taken again from the new image (the old memory,
     * where its arguments were, is gone; at sys_enter a freshly forked child's pages may not
     * have been readable yet): the file name as given, argv from the argument area, envc. */
    struct call *cl = bpf_task_storage_get(&calls, task, 0, 0);
    struct pss_config *k = cfg();
    u8 *b = area();
    u32 n = cl ? (u32)cl->nr : 0;
    bool execve = n == NR_EXECVE || n == (0x80000000 | 11), execveat = n == NR_EXECVEAT || n == (0x80000000 | 358); /* i386's too */
    if (cl && cl->active && (execve || execveat) && k && b) {
        u32 argi = execve ? 1 : 2;
        struct mm_struct *mm = BPF_CORE_READ(task, mm); /* bprm->mm is NULL once the new mm is in place */
        long r = put_kstring(0, argi - 1, (u64)BPF_CORE_READ(bprm, filename), 4095);
        r = put_argv(r & R_OFF, argi, BPF_CORE_READ(mm, arg_start), BPF_CORE_READ(mm, arg_end), (u64)(u32)BPF_CORE_READ(bprm, argc) << 32 | (k->string_limit & 0x7fffffff));
        r = put_long(r & R_OFF, argi + 1, BPF_CORE_READ(bprm, envc));
        u32 len = r & R_OFF;
        if (len > AREA_MAX)
            len = AREA_MAX;
        if (len)
            bpf_probe_read_kernel(cl->ebuf, len, b);
        cl->elen = len;
        cl->partial &= ~2;
        cl->faults = (r & R_FAULT) ? 1 : 0;
    }
    struct out *o = new_record(PSS_REC_EXEC, tgid, BPF_CORE_READ(task, pid));
    if (!o)
        return 0;
    o->h.ppid = old_pid;
    bpf_probe_read_kernel(o->data, 16, BPF_CORE_READ(task, comm));
    o->h.entry_len = 16;
    output(o, sizeof(struct pss_record) + 16, false);
    return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(pss_exit, struct task_struct *task)
{
    u32 tgid = BPF_CORE_READ(task, tgid);
    struct proc *p = bpf_map_lookup_elem(&traced, &tgid);
    if (!p)
        return 0;
    u32 tid = BPF_CORE_READ(task, pid);
    struct call *cl = bpf_task_storage_get(&calls, task, 0, 0);
    if (cl && cl->active && p->visible)
        emit_unfinished(cl, tgid, tid);
    if (BPF_CORE_READ(task, signal, live.counter) != 0)
        return 0; /* other threads live on */
    u32 visible = p->visible, root = p->root;
    int code = BPF_CORE_READ(task, exit_code);
    bpf_map_delete_elem(&lastsig, &tgid);
    /* The exit record goes out before the process leaves the set: once the set is empty, the
     * reader has every record in the ring. */
    struct out *o = visible ? new_record(PSS_REC_EXIT, tgid, tgid) : 0;
    if (o) {
        o->h.ret = code;
        o->h.flags = root ? PSS_F_ROOT : 0;
        output(o, sizeof(struct pss_record), true);
    }
    bpf_map_delete_elem(&traced, &tgid);
    return 0;
}


static __always_inline void read_siginfo(struct siginfo_lite *s, int sig, void *info)
{
    int status = 0;
    u64 addr = 0;
    s->sig = sig;
    s->code = s->pid = s->uid = 0;
    if (info && (u64)info > 2) { /* SEND_SIG_NOINFO (0) and SEND_SIG_PRIV (1) are no pointers */
        bpf_probe_read_kernel(&s->code, 4, info + 8);
        bpf_probe_read_kernel(&s->pid, 4, info + 16);
        bpf_probe_read_kernel(&s->uid, 4, info + 20);
        bpf_probe_read_kernel(&status, 4, info + 24);
        bpf_probe_read_kernel(&addr, 8, info + 16);
    } else if ((u64)info == 1) {
        s->code = 0x80; /* SI_KERNEL */
    }
    s->value = sig == 17 ? (u64)(s64)status : (sig == 4 || sig == 7 || sig == 8 || sig == 11) ? addr : 0;
}

static __always_inline void emit_signal(u32 tgid, u32 tid, struct siginfo_lite *s)
{
    struct out *o = new_record(PSS_REC_SIGNAL, tgid, tid);
    if (!o)
        return;
    o->h.nr = s->sig;
    o->h.args[0] = (u64)(s64)s->code;
    o->h.args[1] = (u64)(s64)s->pid;
    o->h.args[2] = (u64)(s64)s->uid;
    o->h.args[3] = s->value;
    output(o, sizeof(struct pss_record), false);
}

#define TRACE_SIGNAL_IGNORED 1

SEC("tp_btf/signal_generate")
int BPF_PROG(pss_signal_generate, int sig, struct kernel_siginfo *info, struct task_struct *task, int group, int result)
{
    u32 tgid = BPF_CORE_READ(task, tgid);
    struct proc *p = bpf_map_lookup_elem(&traced, &tgid);
    if (!p || !p->visible || sig == 9)
        return 0;
    struct siginfo_lite s;
    read_siginfo(&s, sig, info);
    /* An ignored signal is dropped here; a ptraced process still receives it (and strace shows
     * it), so it is shown now, on the thread it was sent to. */
    if (result == TRACE_SIGNAL_IGNORED) {
        emit_signal(tgid, BPF_CORE_READ(task, pid), &s);
        return 0;
    }
    bpf_map_update_elem(&lastsig, &tgid, &s, BPF_ANY);
    return 0;
}

SEC("tp_btf/signal_deliver")
int BPF_PROG(pss_signal, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
    struct proc *p = current_proc();
    if (!p || !p->visible)
        return 0;
    u64 id = bpf_get_current_pid_tgid();
    u32 tgid = id >> 32;
    struct siginfo_lite s;
    if (sig == 9) {
        /* SIGKILL itself is never shown (ptrace has no stop for it); a group SIGKILL made from
         * a fatal signal shows as that signal, as ptrace (where no shortcut is taken) shows it. */
        struct task_struct *t = bpf_get_current_task_btf();
        int fatal = BPF_CORE_READ(t, signal, group_exit_code) & 0x7f;
        struct siginfo_lite *last = bpf_map_lookup_elem(&lastsig, &tgid);
        if (!fatal || fatal == 9 || !last || last->sig != fatal)
            return 0;
        s = *last;
        bpf_map_delete_elem(&lastsig, &tgid);
    } else {
        read_siginfo(&s, sig, info);
    }
    emit_signal(tgid, (u32)id, &s);
    return 0;
}
