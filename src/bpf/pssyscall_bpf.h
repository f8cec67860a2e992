/* The contract between the BPF program (pssyscall.bpf.c) and its reader
 * (src/PSSyscall.Engine/Tracing/Ebpf/EbpfLayout.cs mirrors every number here). */
#ifndef PSSYSCALL_BPF_H
#define PSSYSCALL_BPF_H

#define PSS_MAX_SYSCALLS 512   /* x86_64 numbers; others are reported unselected unless all are */
#define PSS_PLANS 1024         /* the plans: x86_64's, then i386's at PSS_MAX_SYSCALLS + nr */
#define PSS_MAX_OPS 16         /* captures per syscall */
#define PSS_CAP_MAX 4096       /* bytes one capture copies at most (CapturePlan.DefaultMax) */
#define PSS_BUF 16384          /* an entry or exit capture area */
#define PSS_BUF_LIMIT 8191     /* a capture starts below this offset or is dropped (counted) */

/* record kinds */
#define PSS_REC_SYSCALL 1
#define PSS_REC_SIGNAL 2
#define PSS_REC_EXIT 3
#define PSS_REC_FORK 4
#define PSS_REC_EXEC 5

/* record flags */
#define PSS_F_UNFINISHED 1
#define PSS_F_COREDUMP 2
#define PSS_F_PARTIAL 4        /* some captures did not fit: shown as addresses */
#define PSS_F_ROOT 8
#define PSS_F_I386 16          /* an i386 call (int 0x80) of a 64-bit process: nr is i386's */

/* capture op: when */
#define PSS_W_ENTRY 1
#define PSS_W_EXIT 2           /* successful exit */
#define PSS_W_EXITANY 3        /* any exit */
#define PSS_W_EXITPOS 4        /* exit with a result > 0 */

/* capture op: what */
#define PSS_K_FIXED 0          /* bytes */
#define PSS_K_ARGCOUNT 1       /* args[count_arg] (+bias, in units) * bytes */
#define PSS_K_RETCOUNT 2       /* ret (no more than args[count_arg] when >= 0) * bytes */
#define PSS_K_CSTRING 3        /* NUL-terminated, max or the string limit */
#define PSS_K_POINTEE 4        /* *(int *)args[count_arg] * bytes */
#define PSS_K_FDLINK 5         /* what descriptor args[arg] refers to */
#define PSS_K_DIRFDLINK 6      /* the same, AT_FDCWD: the working directory */
#define PSS_K_RETFDLINK 7      /* what the returned descriptor refers to */
#define PSS_K_PIPEFDS 8        /* int[2] at args[arg], and both descriptors' links */
#define PSS_K_ARGV 10          /* argv (ArgumentCapture.AddArgv's layout) */
#define PSS_K_ENVP 11          /* the number of pointers before NULL (an int64) */
#define PSS_K_IOVEC 13         /* struct iovec[args[count_arg]] and the data (ArgumentCapture.AddIovec) */
#define PSS_K_MSGHDR 14        /* struct msghdr with its name, iovec and control data (AddMsghdr) */
#define PSS_K_FIXEDAT 15       /* bytes at args[arg] + header (msg_namelen inside a msghdr) */
#define PSS_K_STACK 12         /* bytes at the stack pointer + header (rt_sigreturn's frame) */
#define PSS_K_DIRENTS 9        /* the number of dirents in the ret bytes at args[arg] (an int64) */
/* Kinds that walk structures the kinds above leave as addresses (each in its own global function,
 * verified only when a trace uses it). `lenkind` (the op's pad byte) is the length rule of BIG and
 * MMSGHDRS: PSS_K_FIXED, PSS_K_ARGCOUNT or PSS_K_RETCOUNT. */
#define PSS_K_BIG 16           /* bytes by lenkind, up to PSS_BIG_MAX (epoll's events, poll's revents) */
#define PSS_K_POLLFDS 17       /* struct pollfd[args[count_arg]] (string limit + 1 of them), links of the first 64 */
#define PSS_K_FDSET 18         /* fd_set of args[count_arg] bits in whole longs; at entry each set descriptor's link */
#define PSS_K_SIGSETPTR 19     /* pselect6's { sigset_t *ss; size_t len; }, the set itself in Extra */
#define PSS_K_MMSGHDRS 20      /* struct mmsghdr[] with each element's name and iovec (AddMmsghdrs) */
#define PSS_K_CLONEPTID 21     /* clone3's *parent_tid, with CLONE_PARENT_SETTID */
#define PSS_K_RIGHTS 22        /* the links of the SCM_RIGHTS descriptors in the msghdr captured just before */
#define PSS_K_CLONETLS 26      /* i386's clone3: the struct user_desc clone_args' tls points to, with CLONE_SETTLS */
#define PSS_K_WIDEN 25         /* an i386 structure (array) widened into x86_64's layout: layouts[at] */
#define PSS_K_NESTED 24        /* an array the structure the ops before captured points to (at: offsets, size) */
#define PSS_K_FDAT 23          /* the links of `slot` descriptors inside the structure the op before captured, at */

#define PSS_BIG_MAX 12288      /* bytes a PSS_K_BIG capture copies at most (epoll_event[1024]) */
#define PSS_FDLINKS 64         /* descriptors annotated inside arrays (CaptureSlot.ArrayFdLinks) */

/* op flags */
#define PSS_O_STRINGLIMITED 1
#define PSS_O_BOUNDED 2
#define PSS_O_COND 4           /* only when (args[cond_arg] & cond_mask) == cond_value */

struct pss_op {
    __u8 when, kind, arg, slot;
    __u8 count_arg, flags, cond_arg, lenkind;
    __u32 bytes, max, header, unit;
    __s32 bias;
    __u32 at;            /* PSS_K_FDAT: the descriptors' offsets, a byte each (0, 4, 8... when more than 4) */
    __u64 cond_mask, cond_value;
};

struct pss_plan {
    __u8 selected;
    __u8 nops;
    __u8 hash_sel;       /* 1 + the argument that keys more ops in `condops` (ioctl's command), or 0 */
    __u8 pad[5];
    __u64 hash_mask;     /* the bits of that argument that key them */
    struct pss_op ops[PSS_MAX_OPS];
};

/* More ops for one value of a selector argument (the commands of a multiplexed call). */
#define PSS_COND_OPS 4
struct pss_condkey {
    __u32 nr;
    __u32 pad;
    __u64 value;
};

struct pss_condops {
    __u8 nops;
    __u8 pad[7];
    struct pss_op ops[PSS_COND_OPS];
};

/* An i386 structure's fields and their places in x86_64's layout (CompatLayout). */
#define PSS_LAYOUTS 128
#define PSS_LAYOUT_FIELDS 64
struct pss_field {
    __u16 from, to;
    __u8 from_size, to_size, sign, pad;
};

struct pss_layout {
    __u16 compat_size, native_size, nfields, pad;
    struct pss_field f[PSS_LAYOUT_FIELDS];
};

struct pss_config {
    __u32 result;        /* 0 all, 1 failed only, 2 successful only */
    __u32 string_limit;
    __u32 wake_bytes;    /* wake the reader once this much is pending */
    __u32 follow_forks;
    __u32 select_unknown; /* numbers past the table (no name filter) */
    __u32 pad;
};

/* The capture kinds (1 << PSS_K_*) the trace's plans use at entry and at exit, in the read-only
 * section .rodata.kinds, set before the load. The verifier takes a frozen read-only value as a
 * known constant and does not walk the branches it rules out, nor the functions only they call:
 * a trace of a few calls verifies only the capture code those calls need. */
struct pss_kinds {
    __u32 entry;
    __u32 exit;
};

/* per-CPU counters */
#define PSS_C_DROPPED 0        /* records the ring had no room for */
#define PSS_C_FAULTS 1         /* captures of unreadable memory */
#define PSS_C_PARTIAL 2        /* records whose captures did not all fit */
#define PSS_C_RECORDS 3        /* records written */
#define PSS_C_NOSTORAGE 4      /* calls lost: no per-task storage */
#define PSS_C_UNTRACED 5       /* new processes the traced set had no room for */
#define PSS_C_COUNT 8

struct pss_record {
    __u16 kind, flags;
    __u32 size;
    __u32 tgid, tid;
    __s32 nr;
    __u32 ppid;
    __u64 ts, dur;
    __s64 ret;
    __u64 args[6];
    __u32 entry_len, exit_len;
};

#endif
