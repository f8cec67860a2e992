/*
 * pssyscall_shim.h: the contract between the C shim and PSSyscall.Engine/Native/Shim.cs.
 * Change both together and bump PSS_ABI_VERSION; the engine refuses a shim of another version.
 */
#ifndef PSSYSCALL_SHIM_H
#define PSSYSCALL_SHIM_H

#include <stdint.h>

#define PSS_EXPORT __attribute__((visibility("default")))
#define PSS_ABI_VERSION 5

/* pss_spawn_request.flags */
#define PSS_SPAWN_STOP              0x01 /* SIGSTOP self before the filters and exec, for the tracer */
#define PSS_SPAWN_NO_NEW_PRIVS      0x02
#define PSS_SPAWN_NEW_SESSION       0x04
#define PSS_SPAWN_LOOPBACK_UP       0x08 /* with CLONE_NEWNET: bring 'lo' up */
#define PSS_SPAWN_PARENT_DEATH_KILL 0x10 /* PR_SET_PDEATHSIG(SIGKILL): dies with the forking thread */
#define PSS_SPAWN_MOUNT_PROC        0x20 /* with CLONE_NEWPID|CLONE_NEWNS: mount a fresh /proc for the new PID namespace */
#define PSS_SPAWN_DROP_CAPS         0x40 /* empty the capability sets and the bounding set (also for root) */
#define PSS_SPAWN_SHARED_MEMORY     0x80 /* clone(CLONE_VM) on child_stack instead of fork(): no copy of
                                          * the host's page tables and no teardown at execve. Not with
                                          * PSS_SPAWN_STOP. The request, its strings and the stack must
                                          * stay valid until the child has exec'd or exited. */
#define PSS_SPAWN_CGROUP_BEST_EFFORT 0x100 /* a cgroup the child cannot join is skipped, not a failure */
#define PSS_SPAWN_INHERIT_FDS       0x200 /* keep descriptors above 2 that are not close-on-exec, as a
                                          * shell does; otherwise every one is closed at execve */
#define PSS_SPAWN_ORPHAN            0x400 /* the command is a grandchild: the first child forks it and
                                          * exits, so its parent is not the caller (strace -D). The
                                          * grandchild announces itself (PSS_STAGE_ORPHANED), then
                                          * carries on; the caller reaps the first child. */
#define PSS_SPAWN_NEW_PROCESS_GROUP 0x800 /* setpgid(0, 0): a process group of its own (strace -DD) */

/* Stages reported through the report socket. PSS_STAGE_PID_NAMESPACE_INIT and PSS_STAGE_LISTENER are not failures. PSS_STAGE_LISTENER: it is sent just
 * before seccomp(SECCOMP_FILTER_FLAG_NEW_LISTENER), with pss_report.error holding the descriptor
 * number the listener will get in the child. The parent takes the listener with pidfd_getfd (the
 * sender's pid arrives as SCM_CREDENTIALS: the report socket has SO_PASSCRED). Nothing is sent
 * after the filter is installed, since the filter may deny sendmsg. Any other message means the
 * child failed at that stage. */
enum pss_stage {
    PSS_STAGE_PARENT_DEATH = 1,
    PSS_STAGE_SESSION = 2,
    PSS_STAGE_STDIO = 3,
    PSS_STAGE_CWD = 4,
    PSS_STAGE_NAMESPACES = 5,
    PSS_STAGE_USER_MAP = 6,
    PSS_STAGE_MOUNT = 7,
    PSS_STAGE_LOOPBACK = 8,
    PSS_STAGE_HOSTNAME = 9,
    PSS_STAGE_RLIMIT = 10,
    PSS_STAGE_CGROUP = 11,
    PSS_STAGE_STOP = 12,
    PSS_STAGE_NO_NEW_PRIVS = 13,
    PSS_STAGE_LANDLOCK = 14,
    PSS_STAGE_SECCOMP = 15,
    PSS_STAGE_EXEC = 16,
    PSS_STAGE_PROC = 17,
    PSS_STAGE_CAPABILITIES = 18,
    PSS_STAGE_IDENTITY = 19,   /* setgroups/setresgid/setresuid to pss_spawn_request.uid/gid */
    PSS_STAGE_MOUNTS = 20,     /* pss_report.detail: the index of the pss_mount that failed */
    PSS_STAGE_LISTENER = 100,
    PSS_STAGE_PID_NAMESPACE_INIT = 101, /* not a failure: PID 1 of the new PID namespace announces
                                         * itself (its pid arrives as SCM_CREDENTIALS) */
    PSS_STAGE_ORPHANED = 102,  /* not a failure: with PSS_SPAWN_ORPHAN the grandchild announces
                                * itself; pss_report.error holds its pid */
    PSS_STAGE_ORPHAN = 21,     /* the fork that makes the grandchild (PSS_SPAWN_ORPHAN) */
};

struct pss_report {
    int32_t stage;
    int32_t error;  /* errno */
    int32_t detail; /* stage-specific (PSS_STAGE_MOUNTS: the mount's index), else 0 */
};

/* One step of the mount plan, applied in order in the new mount namespace (after the fresh /proc)
 * while the child still has its privileges. */
enum pss_mount_kind {
    PSS_MOUNT_BIND = 1,     /* bind source on target, recursively */
    PSS_MOUNT_TMPFS = 2,    /* a tmpfs on target; data = its options ("mode=0755,uid=...") */
    PSS_MOUNT_READONLY = 3, /* make the mount at or containing target, and all beneath, read-only */
    PSS_MOUNT_DEV = 4,      /* a minimal /dev at target: tmpfs with null, zero, full, random,
                             * urandom, tty bound from the host's, a fresh devpts, shm, fd links */
    PSS_MOUNT_PROC = 5,     /* a fresh proc (of the new PID namespace) on target */
};
#define PSS_MOUNT_FLAG_READONLY  0x1 /* BIND: the new mount and those beneath it read-only */
#define PSS_MOUNT_FLAG_WRITABLE  0x2 /* BIND: the new mount writable (not those beneath) */
#define PSS_MOUNT_FLAG_CREATE    0x4 /* create a missing target: a directory with _DIRECTORY, else a file */
#define PSS_MOUNT_FLAG_DIRECTORY 0x8

struct pss_mount {
    int32_t kind;     /* PSS_MOUNT_* */
    uint32_t flags;   /* PSS_MOUNT_FLAG_* */
    const char *source;
    const char *target;
    const char *data;
};

struct pss_rlimit {
    int32_t resource;
    int32_t reserved;
    uint64_t soft;
    uint64_t hard;
};

struct pss_spawn_request {
    uint32_t size;              /* sizeof(struct pss_spawn_request): guards against a stale shim */
    uint32_t flags;             /* PSS_SPAWN_* */
    const char *path;           /* absolute path of the executable */
    char *const *argv;          /* NULL-terminated */
    char *const *envp;          /* NULL-terminated */
    const char *cwd;            /* NULL: inherit */
    int32_t stdio[3];           /* fd to become 0, 1, 2; -1 or i itself: inherit */
    int32_t unshare_flags;      /* CLONE_NEW* */
    const char *uid_map;        /* written to /proc/self/uid_map after CLONE_NEWUSER */
    const char *gid_map;
    const char *hostname;       /* with CLONE_NEWUTS */
    const struct pss_rlimit *rlimits;
    int32_t rlimit_count;
    int32_t landlock_ruleset_fd; /* -1: none */
    const int32_t *cgroup_procs_fds; /* open cgroup.procs fds: the child writes "0" to each to join */
    int32_t cgroup_procs_count;
    uint32_t seccomp_flags;      /* SECCOMP_FILTER_FLAG_* */
    const void *seccomp_program; /* struct sock_fprog *, NULL: none */
    void *child_stack;           /* with PSS_SPAWN_SHARED_MEMORY: memory for the child's stack */
    uint64_t child_stack_size;
    const struct pss_mount *mounts; /* with CLONE_NEWNS: the mount plan */
    int32_t mount_count;
    int32_t uid;                 /* >= 0: become this user (setresuid) after the set-up; -1: keep */
    int32_t gid;                 /* >= 0: this group, with no supplementary groups; -1: keep */
    int32_t reserved;
    uint64_t keep_capabilities;  /* with PSS_SPAWN_DROP_CAPS: bit n keeps capability n (bounding,
                                  * permitted, effective, inheritable and ambient sets) */
    const uint32_t *groups;      /* with gid >= 0: the supplementary groups to set (setgroups), */
    int32_t group_count;         /* group_count of them (0: none, the sandbox's choice) */
    int32_t reserved2;
};

struct pss_spawn_result {
    int32_t pid;
    int32_t report_fd; /* SOCK_SEQPACKET; EOF without a failure message means execve succeeded */
};

PSS_EXPORT int pss_spawn(const struct pss_spawn_request *req, struct pss_spawn_result *result);
PSS_EXPORT int pss_spawn_waiter(int read_fd);
/* A guardian of cgroup directories: a child sharing the caller's memory (on the given stack) that
 * keeps only read_fd, waits for EOF on it (the caller closes the write end, or dies), then kills
 * every process in each directory (cgroup.kill, or a kill loop on cgroup v1) and removes the
 * directories. Cloned with no exit signal: wait for it with __WALL before freeing the stack.
 * Returns its pid, or -errno. dirs and their strings are copied onto the stack. */
PSS_EXPORT int pss_spawn_guardian(int read_fd, const char *const *dirs, int32_t count, void *stack, uint64_t stack_size);
PSS_EXPORT int pss_abi_version(void);

#endif
