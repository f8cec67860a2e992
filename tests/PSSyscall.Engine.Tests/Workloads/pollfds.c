// Pipes, poll, epoll, eventfd, descriptor duplication and fcntl.
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
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
