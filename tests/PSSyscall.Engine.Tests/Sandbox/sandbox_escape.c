/* sandbox_escape: the ways out of Invoke-Sandboxed that an adversarial review found (issue 12),
 * one command each. Every command tries one forbidden thing and prints what happened as
 * "<what> <result> <errno name or OK>"; the tests run each inside the sandbox (it must fail) and
 * outside it (the control: it must work, so the test can fail).
 *
 *   cgroup-escape <cgroup.procs>  move itself into that (root) cgroup: out of the sandbox's limits
 *   sysctl <file>                 write a host sysctl (its own value back: harmless)
 *   daemon <marker>               leave a double-forked, setsid child behind and exit at once
 *   unix-connect <path>           connect to a pathname unix socket and send "escaped"
 *   uring-mkdir <dir>             mkdirat through io_uring
 *   notif-filter <dir>            install a listener-less SECCOMP_RET_USER_NOTIF filter for
 *                                 mkdir, then mkdir: a denied call that the sandbox never sees
 *   trap <ignore|block|handle> [native]
 *                                 getppid with SIGSYS ignored, blocked or handled; with "native"
 *                                 the program installs a RET_TRAP filter itself (the kernel's way)
 *   metadata <file>               chmod, utimensat, setxattr and chown on a file
 *   untraced <marker>             a CLONE_UNTRACED child that sleeps, then the parent sleeps too
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/io_uring.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

static const char *errname(int e)
{
    switch (e) {
    case 0: return "OK";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case ENOSYS: return "ENOSYS";
    case EROFS: return "EROFS";
    case ENOENT: return "ENOENT";
    case ECONNREFUSED: return "ECONNREFUSED";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EINVAL: return "EINVAL";
    case ENOTSUP: return "ENOTSUP";
    case EEXIST: return "EEXIST";
    default: return "E?";
    }
}

static void show(const char *what, long rc, int err)
{
    printf("%s %ld %s\n", what, rc, rc < 0 ? errname(err) : "OK");
    fflush(stdout);
}

static int write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    int saved = errno;
    close(fd);
    errno = saved;
    return n < 0 ? -1 : 0;
}

static int cgroup_escape(const char *procs)
{
    errno = 0;
    int rc = write_text(procs, "0\n");
    show("cgroup.procs", rc, errno);
    return 0;
}

static int sysctl(const char *path)
{
    char value[256] = { 0 };
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, value, sizeof value - 1) < 0) {
        show("sysctl-read", -1, errno);
        return 0;
    }
    close(fd);
    errno = 0;
    int rc = write_text(path, value);
    show("sysctl", rc, errno);
    return 0;
}

static int daemonize(void)
{
    pid_t child = fork();
    if (child == 0) {
        if (fork() == 0) {
            setsid();
            /* As a real daemon does: off the caller's output, so nothing waits for it. */
            int null = open("/dev/null", O_RDWR);
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
            for (int i = 0; i < 600; i++)
                sleep(1);
            _exit(0);
        }
        _exit(0);
    }
    printf("detached\n");
    fflush(stdout);
    return 0;
}

static int unix_connect(const char *path)
{
    errno = 0;
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s < 0) {
        show("socket", -1, errno);
        return 0;
    }
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strncpy(a.sun_path, path, sizeof a.sun_path - 1);
    int rc = connect(s, (struct sockaddr *)&a, sizeof a);
    if (rc == 0)
        rc = write(s, "escaped\n", 8) == 8 ? 0 : -1;
    show("connect", rc, errno);
    return 0;
}

/* One operation through a raw io_uring (no liburing): set up, submit, wait, report its result. */
static int uring_mkdir(const char *dir)
{
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    errno = 0;
    int fd = (int)syscall(__NR_io_uring_setup, 4, &p);
    if (fd < 0) {
        show("io_uring_setup", -1, errno);
        return 0;
    }
    size_t sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    size_t cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    char *sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
    char *cq = mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_CQ_RING);
    struct io_uring_sqe *sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
                                     MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
    if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED) {
        show("mmap", -1, errno);
        return 0;
    }
    unsigned *tail = (unsigned *)(sq + p.sq_off.tail), *mask = (unsigned *)(sq + p.sq_off.ring_mask);
    unsigned *array = (unsigned *)(sq + p.sq_off.array);
    unsigned index = *tail & *mask;
    struct io_uring_sqe *sqe = &sqes[index];
    memset(sqe, 0, sizeof *sqe);
    sqe->opcode = IORING_OP_MKDIRAT;
    sqe->fd = AT_FDCWD;
    sqe->addr = (unsigned long)dir;
    sqe->len = 0755;
    array[index] = index;
    __atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
    if (syscall(__NR_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0) {
        show("io_uring_enter", -1, errno);
        return 0;
    }
    unsigned *head = (unsigned *)(cq + p.cq_off.head);
    struct io_uring_cqe *cqe = (struct io_uring_cqe *)(cq + p.cq_off.cqes) + (*head & *(unsigned *)(cq + p.cq_off.ring_mask));
    show("uring-mkdirat", cqe->res < 0 ? -1 : cqe->res, -cqe->res);
    return 0;
}

static int install(struct sock_filter *code, unsigned short len)
{
    struct sock_fprog prog = { len, code };
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    return (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static int notif_filter(const char *dir)
{
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mkdir, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    errno = 0;
    int rc = install(code, 4);
    show("filter", rc, errno);
    errno = 0;
    rc = (int)syscall(__NR_mkdir, dir, 0755);
    show("mkdir", rc, errno);
    return 0;
}

static void on_sigsys(int sig)
{
    (void)sig;
    write(1, "SIGSYS\n", 7);
}

static int trap(const char *how, int native)
{
    if (native) {
        struct sock_filter code[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        if (install(code, 4) != 0) {
            show("filter", -1, errno);
            return 0;
        }
    }
    if (!strcmp(how, "ignore")) {
        signal(SIGSYS, SIG_IGN);
    } else if (!strcmp(how, "block")) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGSYS);
        sigprocmask(SIG_BLOCK, &set, NULL);
    } else {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigsys;
        sigaction(SIGSYS, &sa, NULL);
    }
    errno = 0;
    long rc = syscall(__NR_getppid);
    show("getppid", rc < 0 ? -1 : 0, errno);
    return 0;
}

static int metadata(const char *file)
{
    long rc;
    errno = 0;
    rc = chmod(file, 0600);
    show("chmod", rc, errno);
    errno = 0;
    rc = utimensat(AT_FDCWD, file, NULL, 0);
    show("utimensat", rc, errno);
    errno = 0;
    rc = setxattr(file, "user.escaped", "1", 1, 0);
    show("setxattr", rc, errno);
    errno = 0;
    rc = chown(file, getuid(), getgid());
    show("chown", rc, errno);
    return 0;
}

static int untraced(void)
{
    /* fork's clone with CLONE_UNTRACED added: no tracer follows the child. */
    pid_t child = (pid_t)syscall(__NR_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
    if (child == 0) {
        for (int i = 0; i < 600; i++)
            sleep(1);
        _exit(0);
    }
    printf("untraced %d\n", child);
    fflush(stdout);
    for (int i = 0; i < 600; i++)
        sleep(1);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    const char *cmd = argv[1], *arg = argc > 2 ? argv[2] : "";
    if (!strcmp(cmd, "cgroup-escape")) return cgroup_escape(arg);
    if (!strcmp(cmd, "sysctl")) return sysctl(arg);
    if (!strcmp(cmd, "daemon")) return daemonize();
    if (!strcmp(cmd, "unix-connect")) return unix_connect(arg);
    if (!strcmp(cmd, "uring-mkdir")) return uring_mkdir(arg);
    if (!strcmp(cmd, "notif-filter")) return notif_filter(arg);
    if (!strcmp(cmd, "trap")) return trap(arg, argc > 3 && !strcmp(argv[3], "native"));
    if (!strcmp(cmd, "metadata")) return metadata(arg);
    if (!strcmp(cmd, "untraced")) return untraced();
    return 2;
}
