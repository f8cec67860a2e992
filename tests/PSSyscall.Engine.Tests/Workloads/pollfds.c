// Pipes, poll, ppoll, select, pselect6, epoll, eventfd, descriptor duplication and fcntl.
// Every wait is either already ready or times out at once, so results never depend on timing.
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
int main(void) {
    int p[2];
    pipe2(p, O_CLOEXEC);
    struct pollfd pf[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
    poll(pf, 2, 0);
    write(p[1], "x", 1);
    poll(pf, 1, 100);
    // ppoll: timespec in and "left" out, a signal mask, revents in the result.
    struct timespec zero = {0, 0};
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    syscall(SYS_ppoll, pf, 2, &zero, &usr1, 8);
    syscall(SYS_ppoll, pf, 2, NULL, NULL, 8);
    syscall(SYS_ppoll, pf, 1, &zero, &usr1, 16); // a sigset size the kernel refuses: shown as a pointer
    // select (the raw call; glibc's select is pselect6): sets at entry, ready sets and time left in the result.
    fd_set r, w, x;
    FD_ZERO(&r); FD_ZERO(&w); FD_ZERO(&x);
    FD_SET(p[0], &r); FD_SET(p[1], &w); FD_SET(p[0], &x); FD_SET(p[1], &x);
    struct timeval tv0 = {0, 0};
    syscall(SYS_select, p[1] + 1, &r, &w, &x, &tv0);
    FD_ZERO(&r); FD_SET(p[0], &r); FD_SET(p[1], &r);
    syscall(SYS_select, p[1] + 1, &r, NULL, NULL, NULL);
    FD_ZERO(&w);
    syscall(SYS_select, p[1] + 1, NULL, &w, NULL, &tv0);
    syscall(SYS_select, -1, NULL, NULL, NULL, NULL);
    // fd_set boundaries: nfds 0 (sets shown as pointers), NULL everywhere, an empty set, a set of
    // 1200 bits (the kernel looks only as far as its descriptor table; strace shows every bit
    // below nfds), nfds just past a bit, and a set that cannot be read.
    FD_ZERO(&r); FD_SET(p[0], &r); FD_ZERO(&w); FD_SET(p[1], &w);
    syscall(SYS_select, 0, &r, &w, NULL, &tv0);
    syscall(SYS_select, 0, NULL, NULL, NULL, &tv0);
    FD_ZERO(&r);
    syscall(SYS_select, 1, &r, NULL, NULL, &tv0);
    static unsigned long wide[2048 / 64];
    wide[1000 / 64] |= 1UL << (1000 % 64);
    wide[1100 / 64] |= 1UL << (1100 % 64);
    syscall(SYS_select, 1200, wide, NULL, NULL, &tv0);
    syscall(SYS_select, 2048, NULL, wide, NULL, &tv0);
    syscall(SYS_select, 1025, wide, NULL, wide, &tv0);
    syscall(SYS_select, 1001, wide, NULL, NULL, &tv0);
    syscall(SYS_select, 3, (fd_set *)8, NULL, NULL, &tv0); // EFAULT
    syscall(SYS_pselect6, 0, &r, NULL, NULL, &zero, NULL);
    // pselect6: timespec, and its {sigmask, sigsetsize} pair.
    struct { const sigset_t *ss; size_t len; } mask = {&usr1, 8}, nomask = {NULL, 8};
    FD_ZERO(&r); FD_SET(p[0], &r);
    syscall(SYS_pselect6, p[1] + 1, &r, NULL, NULL, &zero, &mask);
    syscall(SYS_pselect6, p[1] + 1, &r, NULL, NULL, NULL, &nomask);
    FD_ZERO(&r); FD_SET(p[1], &r);
    syscall(SYS_pselect6, p[1] + 1, &r, NULL, NULL, &zero, NULL);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = p[0]};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    struct epoll_event out[4];
    epoll_wait(ep, out, 4, 100);
    int e = eventfd(3, EFD_NONBLOCK);
    unsigned long long val;
    read(e, &val, sizeof val);
    int d = dup(p[0]);
    dup2(p[1], 20);
    dup3(p[0], 21, O_CLOEXEC);
    fcntl(d, F_GETFD);
    fcntl(d, F_SETFD, FD_CLOEXEC);
    fcntl(d, F_GETFD);
    fcntl(p[1], F_GETFL);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    int hi = fcntl(p[0], F_DUPFD, 30);
    fcntl(p[0], F_DUPFD_CLOEXEC, 40);
    close(hi);
    close(20);
    close(21);
    char b[4];
    read(d, b, sizeof b);
    close(e);
    close(ep);
    close(d);
    close(p[0]);
    close(p[1]);
    return 0;
}
