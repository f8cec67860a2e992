// Arrays past one 4096-byte capture (the eBPF backend copies them in pieces): epoll_wait with
// 400 ready events (4,800 bytes), poll and ppoll with 600 pollfds whose ready ones are all past
// the first 512 (the revents shown come from the array's end), and a select over 1,024
// descriptors with a few set. Every wait is already ready or returns at once.
#define _GNU_SOURCE
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define DUPS 400
#define POLLS 600

int main(void) {
    struct rlimit rl = {2048, 2048};
    setrlimit(RLIMIT_NOFILE, &rl); // may fail: DUPS stays below the usual 1024
    int efd = eventfd(1, EFD_CLOEXEC); // readable: its counter is 1
    int fds[DUPS];
    int n = 0;
    for (; n < DUPS; n++) {
        fds[n] = dup(efd);
        if (fds[n] < 0)
            break;
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    for (int k = 0; k < n; k++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (unsigned long long)k << 32 | (unsigned)fds[k]};
        epoll_ctl(ep, EPOLL_CTL_ADD, fds[k], &ev);
    }
    static struct epoll_event out[512];
    epoll_wait(ep, out, 512, 0);
    syscall(SYS_epoll_pwait, ep, out, 512, 0, NULL, 8);

    static struct pollfd pf[POLLS];
    for (int k = 0; k < POLLS; k++) {
        pf[k].fd = k < POLLS - 40 ? -1 : fds[k % n];
        pf[k].events = POLLIN;
    }
    poll(pf, POLLS, 0);
    struct timespec zero = {0, 0};
    syscall(SYS_ppoll, pf, POLLS, &zero, NULL, 8);

    static fd_set r;
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    FD_SET(fds[n - 1], &r);
    FD_SET(1000, &r); // not open: no path
    struct timeval tv0 = {0, 0};
    syscall(SYS_select, 1024, &r, NULL, NULL, &tv0);
    return 0;
}
