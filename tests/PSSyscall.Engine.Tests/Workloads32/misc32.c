// i386 structures with longs and pointers: sigaltstack, itimers, wait4's rusage, sysinfo, times,
// getrusage, utimes, poll/ppoll, epoll, futex (time32 and time64), a thread (clone), execve's
// argv/envp, a signal delivered and returned from (rt_sigreturn), sendmsg with SCM_RIGHTS.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; }
static void *worker(void *arg) { return arg; }

int main(int argc, char **argv) {
    if (argc > 1)
        return 0; // the exec'd copy
    char stack[16384];
    stack_t ss = {stack, 0, sizeof stack}, old;
    syscall(SYS_sigaltstack, &ss, &old);
    int32_t it[4] = {0, 0, 0, 0}, oit[4];
    syscall(SYS_setitimer, ITIMER_REAL, it, oit);
    syscall(SYS_getitimer, ITIMER_REAL, oit);
    char ru[18 * 4];
    syscall(SYS_getrusage, RUSAGE_SELF, ru);
    char tms[16];
    syscall(SYS_times, tms);
    char si[64];
    syscall(SYS_sysinfo, si);
    int fd = open("m32.txt", O_CREAT | O_WRONLY, 0600);
    int32_t tv[4] = {1000000000, 5, 1000000000, 6};
    syscall(SYS_utimes, "m32.txt", tv);
    struct pollfd p = {fd, POLLOUT, 0};
    syscall(SYS_poll, &p, 1, 0);
    int32_t ts[2] = {0, 0};
    syscall(SYS_ppoll, &p, 1, ts, NULL, 8);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct epoll_event ev = {EPOLLIN, {.u64 = 7}};
    epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev);
    syscall(SYS_epoll_wait, ep, &ev, 1, 0);
    int futex = 0;
    int32_t fts[2] = {0, 1000};
    syscall(SYS_futex, &futex, FUTEX_WAIT, 1, fts, NULL, 0);
    int64_t fts64[2] = {0, 1000};
    syscall(SYS_futex_time64, &futex, FUTEX_WAIT, 0, fts64, NULL, 0);
    syscall(SYS_futex, &futex, FUTEX_WAKE, 1, NULL, NULL, 0);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {"fd", 2};
    struct msghdr mh = {0};
    mh.msg_iov = &iov; mh.msg_iovlen = 1; mh.msg_control = cbuf; mh.msg_controllen = sizeof cbuf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    sendmsg(sv[0], &mh, 0);
    close(fd);
    unlink("m32.txt");
    pid_t child = fork();
    if (child == 0) {
        char *args[] = {argv[0], "child", NULL};
        char *env[] = {"A=1", "B=2", NULL};
        execve(argv[0], args, env);
        _exit(1);
    }
    int status;
    struct rusage r;
    wait4(child, &status, 0, &r);
    return 0;
}
