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
 *   -> cwd -> stop for the tracer -> namespaces (user maps, mount propagation, loopback, hostname,
 *   PID namespace init, fresh /proc) -> rlimits -> cgroups -> capabilities dropped -> no_new_privs
 *   -> Landlock
 *   -> (announce the seccomp listener) seccomp -> execve
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
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

/* Sends one report to the parent. write/sendmsg are async-signal-safe. */
static void report(int fd, int stage, int err, int pass_fd)
{
    struct pss_report msg = { stage, err };
    struct iovec iov = { &msg, sizeof msg };
    union { struct cmsghdr align; char buf[CMSG_SPACE(sizeof(int))]; } control;
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    if (pass_fd >= 0) {
        memset(&control, 0, sizeof control);
        mh.msg_control = control.buf;
        mh.msg_controllen = sizeof control.buf;
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
    }
    while (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0 && errno == EINTR) { }
}

static __attribute__((noreturn)) void fail(int fd, int stage)
{
    report(fd, stage, errno, -1);
    _exit(127);
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

/* With a new PID namespace the calling process stays outside it; its next child is PID 1 inside.
 * The outer process waits for that child and mirrors its end (exit code or signal), so the caller
 * sees one process whatever the namespaces. */
static void become_pid_namespace_init(const struct pss_spawn_request *req, int report_fd)
{
    /* The raw syscall, not fork(): the child may share the host's memory (CLONE_VM), where
     * glibc's fork would run the host's atfork handlers and take its locks. */
    pid_t inner = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (inner < 0)
        fail(report_fd, PSS_STAGE_NAMESPACES);
    if (inner == 0) {
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
            fail(report_fd, PSS_STAGE_PARENT_DEATH);
        /* The inherited /proc still shows the outer namespace; with a private mount namespace
         * a fresh one shows only the sandbox's processes. */
        if ((req->flags & PSS_SPAWN_MOUNT_PROC) && (req->unshare_flags & CLONE_NEWNS)
            && mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
            fail(report_fd, PSS_STAGE_PROC);
        return;
    }
    close(report_fd);
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

static void setup_namespaces(const struct pss_spawn_request *req, int report_fd)
{
    if (req->unshare_flags == 0)
        return;
    if (unshare(req->unshare_flags) != 0)
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
        become_pid_namespace_init(req, report_fd);
}

/* Empties the bounding set (so that a uid-0 process gains nothing at execve), the ambient set, and
 * the effective, permitted and inheritable sets. Without CAP_SETPCAP the bounding set cannot be
 * changed, but then the process is not root either and, under no_new_privs, gains nothing at exec. */
static int drop_capabilities(void)
{
    for (int cap = 0; cap < 64; cap++) {
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL && errno != EPERM)
            return -1;
    }
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
    memset(data, 0, sizeof data);
    return (int)syscall(SYS_capset, &header, data);
}

static __attribute__((noreturn)) void child(const struct pss_spawn_request *req, pid_t parent,
                                            int report_fd, const sigset_t *old_mask)
{
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
    if (req->cwd && chdir(req->cwd) != 0)
        fail(report_fd, PSS_STAGE_CWD);
    /* Stop before the namespaces: with a new PID namespace the process forks, and the tracer must
     * already be attached to follow that fork. */
    if ((req->flags & PSS_SPAWN_STOP) && kill(getpid(), SIGSTOP) != 0)
        fail(report_fd, PSS_STAGE_STOP);
    setup_namespaces(req, report_fd);
    for (int i = 0; i < req->rlimit_count; i++) {
        struct rlimit rl = { (rlim_t)req->rlimits[i].soft, (rlim_t)req->rlimits[i].hard };
        if (setrlimit(req->rlimits[i].resource, &rl) != 0)
            fail(report_fd, PSS_STAGE_RLIMIT);
    }
    for (int i = 0; i < req->cgroup_procs_count; i++) {
        if (write(req->cgroup_procs_fds[i], "0\n", 2) != 2)
            fail(report_fd, PSS_STAGE_CGROUP);
    }
    if ((req->flags & PSS_SPAWN_DROP_CAPS) && drop_capabilities() != 0)
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
            report(report_fd, PSS_STAGE_LISTENER, next, -1);
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
    child(start->req, start->parent, start->report_fd, &start->old_mask);
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
            child(req, parent, sv[1], &old);
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

PSS_EXPORT int pss_abi_version(void)
{
    return PSS_ABI_VERSION;
}
