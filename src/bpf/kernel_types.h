/* The few kernel types the BPF program reads, declared by hand instead of a generated vmlinux.h.
 * Every struct carries preserve_access_index: clang records each field access as a CO-RE
 * relocation, and libbpf moves it to the running kernel's offset (from /sys/kernel/btf/vmlinux)
 * at load. Only the names of the fields matter, not their order or the other fields. So the
 * build needs neither bpftool nor the build machine's BTF, and this file stays small and
 * readable; the kernel's BTF is needed only where the program is loaded. */
#ifndef PSSYSCALL_KERNEL_TYPES_H
#define PSSYSCALL_KERNEL_TYPES_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
#define true 1
#define false 0

enum bpf_map_type {
    BPF_MAP_TYPE_HASH = 1,
    BPF_MAP_TYPE_ARRAY = 2,
    BPF_MAP_TYPE_PERCPU_ARRAY = 6,
    BPF_MAP_TYPE_LRU_HASH = 9,
    BPF_MAP_TYPE_RINGBUF = 27,
    BPF_MAP_TYPE_TASK_STORAGE = 29,
};
#define BPF_F_NO_PREALLOC (1U << 0)
#define BPF_LOCAL_STORAGE_GET_F_CREATE (1ULL << 0)
#define BPF_RB_NO_WAKEUP (1ULL << 0)
#define BPF_RB_FORCE_WAKEUP (1ULL << 1)
#define BPF_RB_AVAIL_DATA 0
#define BPF_ANY 0
#define BPF_NOEXIST 1

#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)

struct pt_regs {
    unsigned long di, si, dx, r10, r8, r9, sp, bx, cx, bp;
};

struct thread_info { u32 status; };

typedef struct { int counter; } atomic_t;

struct qstr {
    union {
        struct { u32 hash; u32 len; };
        u64 hash_len;
    };
    const unsigned char *name;
};

struct hlist_bl_node { struct hlist_bl_node *next, **pprev; };

struct super_block { unsigned long s_magic; };

struct inode { unsigned short i_mode; unsigned long i_ino; };

struct dentry_operations { void *d_dname; };

struct dentry {
    const struct dentry_operations *d_op;
    struct hlist_bl_node d_hash;
    struct dentry *d_parent;
    struct qstr d_name;
    struct inode *d_inode;
    struct super_block *d_sb;
};

struct vfsmount { struct dentry *mnt_root; struct super_block *mnt_sb; };

struct mount {
    struct mount *mnt_parent;
    struct dentry *mnt_mountpoint;
    struct vfsmount mnt;
};

struct path { struct vfsmount *mnt; struct dentry *dentry; };

struct file { struct path f_path; struct inode *f_inode; };

struct fdtable { unsigned int max_fds; struct file **fd; };

struct files_struct { struct fdtable *fdt; };

struct fs_struct { struct path root; struct path pwd; };

typedef struct { unsigned long sig[1]; } sigset_t;
struct sigpending { sigset_t signal; };

struct signal_struct { atomic_t live; int group_exit_code; };

struct task_struct {
    struct thread_info thread_info;
    int pid;
    int tgid;
    int exit_code;
    char comm[16];
    struct task_struct *real_parent;
    struct files_struct *files;
    struct fs_struct *fs;
    struct signal_struct *signal;
    struct sigpending pending;
    struct mm_struct *mm;
};

struct mm_struct { unsigned long arg_start, arg_end, env_start, env_end; };

struct linux_binprm { struct mm_struct *mm; int argc; int envc; const char *filename; };

struct kernel_siginfo;
struct k_sigaction;

#pragma clang attribute pop

#endif
