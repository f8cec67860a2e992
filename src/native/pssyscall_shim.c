/*
 * pssyscall_shim.c: the child side of PSSyscall's one spawn path.
 *
 * .NET cannot run code between fork() and execve(): the child of a multithreaded runtime may only
 * call async-signal-safe functions. So this file forks and, in the child, applies the launch
 * options in a fixed order, optionally stops itself for the tracer, and execs. Everything else
 * (ptrace, waiting, decoding, compiling filters, Landlock rulesets) is C# in PSSyscall.Engine.
 *
 * Child order (each failure is reported with its stage number through the report socket):
 *   signals reset -> parent-death signal -> session -> stdio -> close-on-exec for inherited fds
 *   -> stop for the tracer -> supplementary groups dropped -> (with a user namespace: uid/gid)
 *   -> namespaces (user maps, mount propagation, loopback, hostname, PID namespace init)
 *   -> the mount plan -> cwd -> rlimits -> cgroups -> cgroup namespace -> bounding set
 *   -> (without a user namespace: uid/gid; parent-death signal armed again)
 *   -> capabilities -> no_new_privs -> Landlock -> (announce the seccomp listener) seccomp -> execve
 *
 * The stop comes before everything that confines the child so that a tracer is attached before any
 * namespace or filter exists; the tracer hides what the child does until its first execve.
 */
#define _GNU_SOURCE
#include "pssyscall_shim.h"

#include <errno.h>
#include <linux/capability.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self 446
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

/* Sends one report to the parent. sendmsg is async-signal-safe. */
static void report(int fd, int stage, int err, int detail)
{
    struct pss_report msg = { stage, err, detail };
    struct iovec iov = { &msg, sizeof msg };
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    while (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0 && errno == EINTR) { }
}

static __attribute__((noreturn)) void fail_at(int fd, int stage, int detail)
{
    report(fd, stage, errno, detail);
    _exit(127);
}

static __attribute__((noreturn)) void fail(int fd, int stage)
{
    fail_at(fd, stage, 0);
}

/* A .NET host has handlers for many signals and ignores SIGPIPE; the child must start with the
 * dispositions a shell would give it: caught signals back to default, SIGPIPE default too. */
static void reset_signals(void)
{
    struct sigaction sa;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP)
            continue;
        if (sigaction(sig, NULL, &sa) != 0)
            continue;
        if (sa.sa_handler != SIG_DFL && (sa.sa_handler != SIG_IGN || sig == SIGPIPE)) {
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = SIG_DFL;
            sigaction(sig, &sa, NULL);
        }
    }
}

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len);
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)len ? 0 : -1;
}

static int loopback_up(void)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return -1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, "lo", 3);
    int rc = ioctl(s, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        rc = ioctl(s, SIOCSIFFLAGS, &ifr);
    }
    int saved = errno;
    close(s);
    errno = saved;
    return rc;
}

/* Moves the requested stdio descriptors into 0..2. Sources are first duplicated above 2 so that
 * a request such as {1, 0, 2} cannot clobber a source before it is used. */
static int setup_stdio(const int stdio[3])
{
    int tmp[3];
    for (int i = 0; i < 3; i++) {
        tmp[i] = -1;
        if (stdio[i] >= 0 && stdio[i] != i) {
            tmp[i] = fcntl(stdio[i], F_DUPFD_CLOEXEC, 3);
            if (tmp[i] < 0)
                return -1;
        }
    }
    for (int i = 0; i < 3; i++) {
        if (tmp[i] >= 0) {
            if (dup2(tmp[i], i) < 0)
                return -1;
            close(tmp[i]);
        } else if (stdio[i] == i) {
            int fl = fcntl(i, F_GETFD);
            if (fl >= 0)
                fcntl(i, F_SETFD, fl & ~FD_CLOEXEC);
        }
    }
    return 0;
}

/* What the child knows about its place once the namespaces are set up. */
struct child_state {
    int parent_alive_fd; /* in a new PID namespace: read end of a pipe only the outer process
                          * writes to; POLLHUP means it has died. -1 otherwise. */
    pid_t parent;        /* without one: the forking process, for a getppid() check */
    void *stack;         /* with PSS_SPAWN_SHARED_MEMORY: the request's child stack, whose top
                          * the outer process runs on; PID 1 runs on its lower half */
};

/* True while the process that must outlive this one still does. PR_SET_PDEATHSIG is cleared by a
 * change of identity, so it is armed again afterwards and this closes the race in between. */
static int parent_alive(const struct child_state *state)
{
    if (state->parent_alive_fd >= 0) {
        struct pollfd p = { state->parent_alive_fd, POLLIN, 0 };
        return poll(&p, 1, 0) == 0;
    }
    return getppid() == state->parent;
}

/* With a new PID namespace the calling process stays outside it; its next child is PID 1 inside.
 * The outer process waits for that child and mirrors its end (exit code or signal), so the caller
 * sees one process whatever the namespaces. When PID 1 ends, the kernel kills every other process
 * of the namespace: nothing the command starts outlives it, however it detaches. */
static __attribute__((noreturn)) void child_rest(const struct pss_spawn_request *req, int report_fd, struct child_state *state);

/* What PID 1 of a new PID namespace does first: take the pipe that tells it its outer process is
 * alive, announce itself, and die with that process. */
static void start_pid_namespace_init(const struct pss_spawn_request *req, int report_fd,
                                     struct child_state *state, const int alive[2])
{
    close(alive[1]);
    state->parent_alive_fd = alive[0];
    report(report_fd, PSS_STAGE_PID_NAMESPACE_INIT, 0, 0);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        fail(report_fd, PSS_STAGE_PARENT_DEATH);
    if (!parent_alive(state))
        _exit(127);
    /* The inherited /proc still shows the outer namespace; with a private mount namespace
     * a fresh one shows only the sandbox's processes. */
    if ((req->flags & PSS_SPAWN_MOUNT_PROC) && (req->unshare_flags & CLONE_NEWNS)
        && mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
        fail(report_fd, PSS_STAGE_PROC);
}

/* Read by PID 1 when it starts sharing the host's memory: the outer process's frame, which
 * stays as it is while the outer process waits. */
struct init_start {
    const struct pss_spawn_request *req;
    int report_fd;
    int alive[2];
    struct child_state state;
};

static int init_entry(void *arg)
{
    struct init_start start = *(struct init_start *)arg;
    start_pid_namespace_init(start.req, start.report_fd, &start.state, start.alive);
    child_rest(start.req, start.report_fd, &start.state);
}

/* With a new PID namespace the calling process stays outside it; its next child is PID 1 inside.
 * The outer process waits for that child and mirrors its end (exit code or signal), so the caller
 * sees one process whatever the namespaces. When PID 1 ends, the kernel kills every other process
 * of the namespace: nothing the command starts outlives it, however it detaches.
 * A child that shares the host's memory makes PID 1 share it too (on the lower half of the child
 * stack), as cheap as the first clone; otherwise PID 1 is a fork. Returns only in a forked PID 1. */
static void become_pid_namespace_init(const struct pss_spawn_request *req, int report_fd, struct child_state *state)
{
    int alive[2];
    if (pipe2(alive, O_CLOEXEC) != 0)
        fail(report_fd, PSS_STAGE_NAMESPACES);
    pid_t inner;
    struct init_start start = { req, report_fd, { alive[0], alive[1] }, *state };
    if (state->stack != NULL) {
        uintptr_t top = ((uintptr_t)req->child_stack + (uintptr_t)req->child_stack_size / 2) & ~(uintptr_t)15;
        inner = clone(init_entry, (void *)top, CLONE_VM | SIGCHLD, &start);
    } else {
        /* The raw syscall, not fork(): glibc's fork would run the host's atfork handlers. */
        inner = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
        if (inner == 0) {
            start_pid_namespace_init(req, report_fd, state, alive);
            return;
        }
    }
    if (inner < 0)
        fail(report_fd, PSS_STAGE_NAMESPACES);
    close(report_fd);
    close(alive[0]);
    /* The outer process never execs, so close-on-exec does not apply to it: it closes everything
     * it inherited but its standard streams and the pipe that tells PID 1 it is alive. Otherwise it
     * would hold, for the command's whole life, the host's ends of the command's pipes (a stdin
     * pipe's write end: the command would never see end of file). */
    if (alive[1] > 3)
        syscall(SYS_close_range, 3U, (unsigned)alive[1] - 1, 0U);
    syscall(SYS_close_range, (unsigned)alive[1] + 1, ~0U, 0U);
    int status;
    while (waitpid(inner, &status, 0) < 0) {
        if (errno != EINTR)
            _exit(127);
    }
    if (WIFSIGNALED(status)) {
        signal(WTERMSIG(status), SIG_DFL);
        kill(getpid(), WTERMSIG(status));
    }
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 127);
}

static void setup_namespaces(const struct pss_spawn_request *req, int report_fd, struct child_state *state)
{
    if (req->unshare_flags == 0)
        return;
    if ((req->unshare_flags & ~CLONE_NEWCGROUP) && unshare(req->unshare_flags & ~CLONE_NEWCGROUP) != 0)
        fail(report_fd, PSS_STAGE_NAMESPACES);
    if (req->unshare_flags & CLONE_NEWUSER) {
        if (write_file("/proc/self/setgroups", "deny") != 0 && errno != ENOENT)
            fail(report_fd, PSS_STAGE_USER_MAP);
        if (req->uid_map && write_file("/proc/self/uid_map", req->uid_map) != 0)
            fail(report_fd, PSS_STAGE_USER_MAP);
        if (req->gid_map && write_file("/proc/self/gid_map", req->gid_map) != 0)
            fail(report_fd, PSS_STAGE_USER_MAP);
    }
    if ((req->unshare_flags & CLONE_NEWNS) && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        fail(report_fd, PSS_STAGE_MOUNT);
    if ((req->unshare_flags & CLONE_NEWNET) && (req->flags & PSS_SPAWN_LOOPBACK_UP) && loopback_up() != 0)
        fail(report_fd, PSS_STAGE_LOOPBACK);
    if ((req->unshare_flags & CLONE_NEWUTS) && req->hostname
        && sethostname(req->hostname, strlen(req->hostname)) != 0)
        fail(report_fd, PSS_STAGE_HOSTNAME);
    if (req->unshare_flags & CLONE_NEWPID)
        become_pid_namespace_init(req, report_fd, state);
}

/* ---- the mount plan ---- */

struct pss_mount_attr {
    uint64_t attr_set;
    uint64_t attr_clr;
    uint64_t propagation;
    uint64_t userns_fd;
};
#define PSS_MOUNT_ATTR_RDONLY 0x00000001
#define PSS_AT_RECURSIVE 0x8000
#define PSS_OPEN_TREE_CLONE 1
#define PSS_MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif

/* Read-only (or writable) for the mount at or containing path; recursive covers every mount
 * beneath it too. mount_setattr(2) (5.12) changes one flag without touching the others
 * (nosuid, nodev...), which a MS_REMOUNT would have to restate, and it does so recursively. */
static int set_readonly(const char *path, int readonly, int recursive)
{
    struct pss_mount_attr attr;
    memset(&attr, 0, sizeof attr);
    if (readonly)
        attr.attr_set = PSS_MOUNT_ATTR_RDONLY;
    else
        attr.attr_clr = PSS_MOUNT_ATTR_RDONLY;
    return (int)syscall(SYS_mount_setattr, AT_FDCWD, path, recursive ? PSS_AT_RECURSIVE : 0, &attr, sizeof attr);
}

static int create_target(const char *path, int directory)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return 0;
    if (directory)
        return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

/* Joins dir and name into buf (async-signal-safe: no snprintf). */
static const char *join(char *buf, size_t size, const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    if (a + 1 + b + 1 > size)
        return NULL;
    memcpy(buf, dir, a);
    buf[a] = '/';
    memcpy(buf + a + 1, name, b + 1);
    return buf;
}

/* A minimal /dev, as bwrap's --dev makes it: a tmpfs with the harmless character devices bound
 * from the host's (clones taken before the tmpfs covers them), a private devpts instance, a shm
 * tmpfs and the usual links. No disks, no /dev/mem, no host terminals. */
static int mount_dev(const char *target, const char *tmpfs_options)
{
    static const char *const devices[] = { "null", "zero", "full", "random", "urandom", "tty" };
    enum { DEVICE_COUNT = sizeof devices / sizeof devices[0] };
    int trees[DEVICE_COUNT];
    char path[4096];
    int rc = -1, saved = 0;
    for (int i = 0; i < DEVICE_COUNT; i++)
        trees[i] = -1;
    for (int i = 0; i < DEVICE_COUNT; i++) {
        if (!join(path, sizeof path, target, devices[i])) {
            errno = ENAMETOOLONG;
            goto out;
        }
        trees[i] = (int)syscall(SYS_open_tree, AT_FDCWD, path, PSS_OPEN_TREE_CLONE | O_CLOEXEC);
        if (trees[i] < 0 && errno != ENOENT)
            goto out;
    }
    if (mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NOEXEC, tmpfs_options) != 0)
        goto out;
    for (int i = 0; i < DEVICE_COUNT; i++) {
        if (trees[i] < 0)
            continue;
        join(path, sizeof path, target, devices[i]);
        if (create_target(path, 0) != 0
            || syscall(SYS_move_mount, trees[i], "", AT_FDCWD, path, PSS_MOVE_MOUNT_F_EMPTY_PATH) != 0)
            goto out;
    }
    static const char *const links[][2] = {
        { "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" }, { "/proc/self/fd/1", "stdout" },
        { "/proc/self/fd/2", "stderr" }, { "/proc/kcore", "core" }, { "pts/ptmx", "ptmx" },
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        if (symlink(links[i][0], join(path, sizeof path, target, links[i][1])) != 0)
            goto out;
    }
    if (create_target(join(path, sizeof path, target, "pts"), 1) != 0
        || mount("devpts", path, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620") != 0)
        goto out;
    if (create_target(join(path, sizeof path, target, "shm"), 1) != 0
        || mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") != 0)
        goto out;
    rc = 0;
out:
    saved = errno;
    for (int i = 0; i < DEVICE_COUNT; i++) {
        if (trees[i] >= 0)
            close(trees[i]);
    }
    errno = saved;
    return rc;
}

/* tree: a clone of the bind's source taken before any mount of the plan (-1: none), so that a
 * source beneath a -Tmpfs or another bind is the host's, as bwrap resolves sources. */
static int apply_mount(const struct pss_mount *m, int tree)
{
    switch (m->kind) {
    case PSS_MOUNT_BIND:
        if ((m->flags & PSS_MOUNT_FLAG_CREATE) && create_target(m->target, (m->flags & PSS_MOUNT_FLAG_DIRECTORY) != 0) != 0)
            return -1;
        if (tree >= 0) {
            if (syscall(SYS_move_mount, tree, "", AT_FDCWD, m->target, PSS_MOVE_MOUNT_F_EMPTY_PATH) != 0)
                return -1;
        } else if (mount(m->source, m->target, NULL, MS_BIND | MS_REC, NULL) != 0) {
            return -1;
        }
        if (m->flags & PSS_MOUNT_FLAG_READONLY)
            return set_readonly(m->target, 1, 1);
        if (m->flags & PSS_MOUNT_FLAG_WRITABLE)
            return set_readonly(m->target, 0, 0);
        return 0;
    case PSS_MOUNT_TMPFS:
        if ((m->flags & PSS_MOUNT_FLAG_CREATE) && create_target(m->target, 1) != 0)
            return -1;
        return mount("tmpfs", m->target, "tmpfs", MS_NOSUID | MS_NODEV, m->data);
    case PSS_MOUNT_READONLY:
        return set_readonly(m->target, 1, 1);
    case PSS_MOUNT_DEV:
        if ((m->flags & PSS_MOUNT_FLAG_CREATE) && create_target(m->target, 1) != 0)
            return -1;
        return mount_dev(m->target, m->data);
    case PSS_MOUNT_PROC:
        return mount("proc", m->target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    default:
        errno = EINVAL;
        return -1;
    }
}

/* ---- capabilities and identity ---- */

/* Empties the bounding set but for the kept capabilities (so that a uid-0 process gains nothing
 * else at execve). Without CAP_SETPCAP the bounding set cannot be changed, but then the process
 * is not root either and, under no_new_privs, gains nothing at exec. */
static int drop_bounding_set(uint64_t keep)
{
    for (int cap = 0; cap < 64; cap++) {
        if (keep & (1ULL << cap))
            continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL && errno != EPERM)
            return -1;
    }
    return 0;
}

/* The kept capabilities become the effective, permitted and inheritable sets and, so that they
 * survive execve for a non-root user too, the ambient set; everything else is gone. */
static int set_capabilities(uint64_t keep)
{
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
    memset(data, 0, sizeof data);
    for (int i = 0; i < 2; i++) {
        uint32_t word = (uint32_t)(keep >> (32 * i));
        data[i].effective = data[i].permitted = data[i].inheritable = word;
    }
    if (syscall(SYS_capset, &header, data) != 0)
        return -1;
    for (int cap = 0; cap < 64; cap++) {
        if ((keep & (1ULL << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0)
            return -1;
    }
    return 0;
}

/* setresgid/setresuid as raw syscalls: glibc's wrappers broadcast the change to every thread it
 * knows, and a CLONE_VM child shares the host's list of threads. */
static int change_identity(const struct pss_spawn_request *req)
{
    if (req->keep_capabilities && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0)
        return -1;
    if (req->gid >= 0 && syscall(SYS_setresgid, req->gid, req->gid, req->gid) != 0)
        return -1;
    if (req->uid >= 0 && syscall(SYS_setresuid, req->uid, req->uid, req->uid) != 0)
        return -1;
    return 0;
}

static void become_user(const struct pss_spawn_request *req, int report_fd, const struct child_state *state)
{
    if (req->uid < 0 && req->gid < 0)
        return;
    if (change_identity(req) != 0)
        fail(report_fd, PSS_STAGE_IDENTITY);
    /* A change of uid makes the process undumpable, which gives its /proc files to root: the
     * user namespace's maps could no longer be written. execve makes it dumpable again anyway. */
    if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0)
        fail(report_fd, PSS_STAGE_IDENTITY);
    /* A new identity clears the parent-death signal: arm it again, then make sure the parent did
     * not die in between. */
    if ((req->flags & PSS_SPAWN_PARENT_DEATH_KILL) && prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        fail(report_fd, PSS_STAGE_PARENT_DEATH);
    if ((req->flags & PSS_SPAWN_PARENT_DEATH_KILL) && !parent_alive(state))
        _exit(127);
}

static __attribute__((noreturn)) void child(const struct pss_spawn_request *req, pid_t parent,
                                            int report_fd, const sigset_t *old_mask, void *shared_stack)
{
    struct child_state state = { -1, parent, shared_stack };
    reset_signals();
    sigprocmask(SIG_SETMASK, old_mask, NULL);

    if ((req->flags & PSS_SPAWN_PARENT_DEATH_KILL) && prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        fail(report_fd, PSS_STAGE_PARENT_DEATH);
    if (getppid() != parent)
        _exit(127); /* the parent died before PDEATHSIG was armed */
    if ((req->flags & PSS_SPAWN_NEW_SESSION) && setsid() < 0)
        fail(report_fd, PSS_STAGE_SESSION);
    if (setup_stdio(req->stdio) != 0)
        fail(report_fd, PSS_STAGE_STDIO);
    /* Nothing the host opened may leak into the command, unless the caller asks for a shell's
     * behaviour (a tracer, like strace, passes on what its own caller left open without
     * close-on-exec). Descriptors the shim still needs (report socket, Landlock ruleset, cgroup)
     * are used before execve, so close-on-exec is enough. */
    if (!(req->flags & PSS_SPAWN_INHERIT_FDS))
        syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    if ((req->flags & PSS_SPAWN_NEW_PROCESS_GROUP) && setpgid(0, 0) != 0)
        fail(report_fd, PSS_STAGE_SESSION);
    if (req->flags & PSS_SPAWN_ORPHAN) {
        /* strace -D: the command must not be the caller's child. This child forks the command and
         * exits; the caller reaps it, and the command is adopted by the nearest subreaper (init).
         * The parent-death signal does not pass to the grandchild: the tracer's EXITKILL and the
         * trace's cgroup end it instead. */
        pid_t first = getpid();
        pid_t grandchild = fork();
        if (grandchild < 0)
            fail(report_fd, PSS_STAGE_ORPHAN);
        if (grandchild > 0)
            _exit(0);
        /* Stop only once adopted: a process group that becomes orphaned while one of its members
         * is stopped gets SIGHUP (then SIGCONT) from the kernel, which would end the command. */
        while (getppid() == first) {
            struct timespec pause_ = { 0, 50000 };
            nanosleep(&pause_, NULL);
        }
        state.parent = getppid(); /* the adopter: what a later parent-death check compares with */
        report(report_fd, PSS_STAGE_ORPHANED, (int)getpid(), 0);
    }
    /* Stop before the namespaces: with a new PID namespace the process forks, and the tracer must
     * already be attached to follow that fork. */
    if ((req->flags & PSS_SPAWN_STOP) && kill(getpid(), SIGSTOP) != 0)
        fail(report_fd, PSS_STAGE_STOP);
    /* Supplementary groups go while the process may still drop them: in a new user namespace
     * setgroups is denied. */
    if (req->gid >= 0 && syscall(SYS_setgroups, (size_t)(req->group_count > 0 ? req->group_count : 0),
                                 req->group_count > 0 ? req->groups : NULL) != 0)
        fail(report_fd, PSS_STAGE_IDENTITY);
    /* Into a new user namespace a process can map only its own ids: it becomes the sandbox's user
     * first, and gets (namespaced) privileges back for the mounts from the namespace itself.
     * Without one, the mounts need real root: the identity changes after them. */
    int identity_first = (req->unshare_flags & CLONE_NEWUSER) != 0;
    if (identity_first)
        become_user(req, report_fd, &state);
    setup_namespaces(req, report_fd, &state);
    child_rest(req, report_fd, &state);
}

/* The child after its namespaces: in a new PID namespace, its PID 1. */
static __attribute__((noreturn)) void child_rest(const struct pss_spawn_request *req, int report_fd, struct child_state *state)
{
    int identity_first = (req->unshare_flags & CLONE_NEWUSER) != 0;
    if (req->unshare_flags & CLONE_NEWNS) {
        /* Every bind's source, taken while the view is still the host's. */
        enum { MAX_TREES = 256 };
        int trees[MAX_TREES];
        for (int i = 0; i < req->mount_count && i < MAX_TREES; i++) {
            trees[i] = -1;
            if (req->mounts[i].kind == PSS_MOUNT_BIND)
                trees[i] = (int)syscall(SYS_open_tree, AT_FDCWD, req->mounts[i].source,
                                        PSS_OPEN_TREE_CLONE | PSS_AT_RECURSIVE | O_CLOEXEC);
        }
        for (int i = 0; i < req->mount_count; i++) {
            int tree = i < MAX_TREES ? trees[i] : -1;
            if (apply_mount(&req->mounts[i], tree) != 0)
                fail_at(report_fd, PSS_STAGE_MOUNTS, i);
            if (tree >= 0)
                close(tree);
        }
    }
    /* After the mounts, so that the working directory is the one the command's view shows. */
    if (req->cwd && chdir(req->cwd) != 0)
        fail(report_fd, PSS_STAGE_CWD);
    for (int i = 0; i < req->rlimit_count; i++) {
        struct rlimit rl = { (rlim_t)req->rlimits[i].soft, (rlim_t)req->rlimits[i].hard };
        if (setrlimit(req->rlimits[i].resource, &rl) != 0)
            fail(report_fd, PSS_STAGE_RLIMIT);
    }
    /* Into the cgroups as late as can be: until its execve this process may share the host's
     * memory (CLONE_VM), and in the sandbox's memory cgroup the OOM killer could choose it, and
     * with it kill every process sharing that memory, the host. The outer process that waits for
     * PID 1 never joins. Then the cgroup namespace (rooted where the process is when it is made),
     * while the process still has the privileges for it. The open fds carry the opener's right to
     * move the process, whoever it has become. */
    for (int i = 0; i < req->cgroup_procs_count; i++) {
        if (write(req->cgroup_procs_fds[i], "0\n", 2) != 2 && !(req->flags & PSS_SPAWN_CGROUP_BEST_EFFORT))
            fail(report_fd, PSS_STAGE_CGROUP);
    }
    if ((req->unshare_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) != 0)
        fail(report_fd, PSS_STAGE_NAMESPACES);
    if ((req->flags & PSS_SPAWN_DROP_CAPS) && drop_bounding_set(req->keep_capabilities) != 0)
        fail(report_fd, PSS_STAGE_CAPABILITIES);
    if (!identity_first)
        become_user(req, report_fd, state);
    if ((req->flags & PSS_SPAWN_DROP_CAPS) && set_capabilities(req->keep_capabilities) != 0)
        fail(report_fd, PSS_STAGE_CAPABILITIES);
    if ((req->flags & PSS_SPAWN_NO_NEW_PRIVS) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        fail(report_fd, PSS_STAGE_NO_NEW_PRIVS);
    if (req->landlock_ruleset_fd >= 0 && syscall(SYS_landlock_restrict_self, req->landlock_ruleset_fd, 0U) != 0)
        fail(report_fd, PSS_STAGE_LANDLOCK);
    if (req->seccomp_program) {
        /* Once the filter is installed the child may make no call the policy could deny, so the
         * listener is announced before: seccomp() returns the lowest free descriptor, which a
         * single-threaded process can predict. The parent takes it with pidfd_getfd while the
         * child waits in execve, which the engine's filter always sends to the supervisor. */
        if (req->seccomp_flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) {
            int next = fcntl(report_fd, F_DUPFD, 0);
            if (next < 0)
                fail(report_fd, PSS_STAGE_SECCOMP);
            close(next);
            report(report_fd, PSS_STAGE_LISTENER, next, 0);
        }
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, req->seccomp_flags, req->seccomp_program) < 0)
            fail(report_fd, PSS_STAGE_SECCOMP);
    }
    execve(req->path, req->argv, req->envp);
    fail(report_fd, PSS_STAGE_EXEC);
}

/* What a CLONE_VM child needs, kept at the bottom of its own stack: the parent's frame is gone
 * by the time the child reads it. */
struct child_start {
    const struct pss_spawn_request *req;
    pid_t parent;
    int report_fd;
    int close_fd;
    sigset_t old_mask;
};

static int child_entry(void *arg)
{
    struct child_start *start = arg;
    close(start->close_fd);
    child(start->req, start->parent, start->report_fd, &start->old_mask, start->req->child_stack);
}

PSS_EXPORT int pss_spawn(const struct pss_spawn_request *req, struct pss_spawn_result *result)
{
    if (req == NULL || result == NULL || req->size != sizeof(struct pss_spawn_request))
        return -EINVAL;

    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return -errno;
    /* The sender's pid (as the parent sees it, whatever PID namespace the child is in by then)
     * comes with every report. */
    int on = 1;
    if (setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0) {
        int err = errno;
        close(sv[0]);
        close(sv[1]);
        return -err;
    }

    /* Block every signal across fork so that no runtime handler runs in the child before the
     * child has reset the dispositions. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t parent = getpid();
    pid_t pid;
    if ((req->flags & PSS_SPAWN_SHARED_MEMORY) && !(req->flags & PSS_SPAWN_STOP)
        && req->child_stack != NULL && req->child_stack_size >= 65536) {
        struct child_start *start = req->child_stack;
        start->req = req;
        start->parent = parent;
        start->report_fd = sv[1];
        start->close_fd = sv[0];
        start->old_mask = old;
        /* The stack grows down from the top of the region, 16-byte aligned. */
        uintptr_t top = ((uintptr_t)req->child_stack + (uintptr_t)req->child_stack_size) & ~(uintptr_t)15;
        pid = clone(child_entry, (void *)top, CLONE_VM | SIGCHLD, start);
    } else {
        pid = fork();
        if (pid == 0) {
            close(sv[0]);
            child(req, parent, sv[1], &old, NULL);
        }
    }
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        return -saved;
    }
    result->pid = pid;
    result->report_fd = sv[0];
    return 0;
}

/* A child that does nothing but wait for EOF on read_fd. The tracer thread forks it so that
 * closing the pipe's write end (from any thread) ends a child of the tracer thread, which wakes
 * the tracer's blocking waitpid: the only portable way to interrupt it from another thread.
 * It is cloned with no exit signal: its end must not raise SIGCHLD, because .NET answers SIGCHLD
 * by calling waitpid on each of its own children, and when one of them is a tracee of ours that
 * waitpid consumes the tracee's pending ptrace stop (we wait for the waiter with __WALL). */
PSS_EXPORT int pss_spawn_waiter(int read_fd)
{
    if (read_fd < 3)
        return -EINVAL;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t parent = getpid();
    pid_t pid = (pid_t)syscall(SYS_clone, 0UL /* exit signal 0, fork-like */, NULL, NULL, NULL, 0UL);
    if (pid == 0) {
        reset_signals();
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(0);
        /* Drop every other descriptor, above all any copy of the pipe's write end. */
        syscall(SYS_close_range, 3U, (unsigned)read_fd - 1, 0U);
        syscall(SYS_close_range, (unsigned)read_fd + 1, ~0U, 0U);
        char buf[16];
        for (;;) {
            ssize_t n = read(read_fd, buf, sizeof buf);
            if (n == 0 || (n < 0 && errno != EINTR))
                _exit(0);
        }
    }
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return pid < 0 ? -saved : pid;
}

/* ---- the cgroup guardian ---- */

#define GUARDIAN_MAX_DIRS 8
#define GUARDIAN_PATH 512

struct guardian_start {
    int read_fd;
    int count;
    char dirs[GUARDIAN_MAX_DIRS][GUARDIAN_PATH];
};

static void pause_briefly(void)
{
    struct timespec ts = { 0, 10 * 1000 * 1000 };
    nanosleep(&ts, NULL);
}

/* cgroup v1 has no cgroup.kill: kill what cgroup.procs lists until it lists nothing. */
static int kill_listed(const char *dir)
{
    char path[GUARDIAN_PATH + 32], buf[4096];
    if (!join(path, sizeof path, dir, "cgroup.procs"))
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    int any = 0;
    long pid = 0;
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] >= '0' && buf[i] <= '9') {
            pid = pid * 10 + (buf[i] - '0');
        } else if (pid > 0) {
            kill((pid_t)pid, SIGKILL);
            any = 1;
            pid = 0;
        }
    }
    return any;
}

static int guardian_entry(void *arg)
{
    struct guardian_start *g = arg;
    /* Nothing but the pipe: any other descriptor held here (a pipe's write end above all) would
     * keep its reader from seeing EOF. Signals stay blocked: the handlers are the host's. */
    if (g->read_fd > 0)
        syscall(SYS_close_range, 0U, (unsigned)g->read_fd - 1, 0U);
    syscall(SYS_close_range, (unsigned)g->read_fd + 1, ~0U, 0U);
    char buf[16];
    for (;;) {
        ssize_t n = read(g->read_fd, buf, sizeof buf);
        if (n == 0 || (n < 0 && errno != EINTR))
            break;
    }
    char path[GUARDIAN_PATH + 32];
    for (int i = 0; i < g->count; i++) {
        if (join(path, sizeof path, g->dirs[i], "cgroup.kill") && write_file(path, "1") == 0)
            continue;
        for (int round = 0; round < 100 && kill_listed(g->dirs[i]); round++)
            pause_briefly();
    }
    /* A killed process leaves its cgroup once it has exited: rmdir fails with EBUSY until then,
     * which after a host's death may take its reaper (init) a while. Every 10 ms for the first
     * seconds, then every 100 ms, for about a minute in all: nobody waits for this process then. */
    for (int attempt = 0; attempt < 850; attempt++) {
        int left = 0;
        for (int i = g->count - 1; i >= 0; i--) {
            if (g->dirs[i][0] && rmdir(g->dirs[i]) != 0 && errno != ENOENT)
                left = 1;
            else
                g->dirs[i][0] = 0;
        }
        if (!left)
            break;
        for (int i = attempt < 300 ? 1 : 10; i > 0; i--)
            pause_briefly();
    }
    _exit(0);
}

PSS_EXPORT int pss_spawn_guardian(int read_fd, const char *const *dirs, int32_t count, void *stack, uint64_t stack_size)
{
    if (read_fd < 0 || count < 0 || count > GUARDIAN_MAX_DIRS || stack == NULL
        || stack_size < sizeof(struct guardian_start) + 65536)
        return -EINVAL;
    struct guardian_start *g = stack;
    memset(g, 0, sizeof *g);
    g->read_fd = read_fd;
    g->count = count;
    for (int i = 0; i < count; i++) {
        size_t len = strlen(dirs[i]);
        if (len >= GUARDIAN_PATH)
            return -ENAMETOOLONG;
        memcpy(g->dirs[i], dirs[i], len + 1);
    }
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    uintptr_t top = ((uintptr_t)stack + (uintptr_t)stack_size) & ~(uintptr_t)15;
    /* No exit signal: .NET answers SIGCHLD by reaping its own children, and must not see this one. */
    pid_t pid = clone(guardian_entry, (void *)top, CLONE_VM, g);
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return pid < 0 ? -saved : pid;
}

PSS_EXPORT int pss_abi_version(void)
{
    return PSS_ABI_VERSION;
}
