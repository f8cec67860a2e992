// The workload of the -FdDecoding (strace -yy) tests: TCP and UDP over IPv4 and IPv6, UNIX stream and
// datagram socket pairs, a bound UNIX listener with a client, NETLINK sockets (bound and not), a pipe and
// character devices. argv[1]: a directory for the UNIX socket. Deterministic but for ports and inodes.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdio.h>
int main(int argc, char **argv)
{
    int n = open("/dev/null", O_WRONLY);
    write(n, "x", 1);
    int z = open("/dev/zero", O_RDONLY); char c; read(z, &c, 1);
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 1);
    socklen_t len = sizeof a;
    getsockname(l, (struct sockaddr *)&a, &len);
    int c1 = socket(AF_INET, SOCK_STREAM, 0);
    connect(c1, (struct sockaddr *)&a, sizeof a);
    int s1 = accept(l, NULL, NULL);
    write(c1, "hi", 2);
    read(s1, &c, 1);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    connect(u, (struct sockaddr *)&a, sizeof a);
    getsockname(u, (struct sockaddr *)&a, &len);
    int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT, .sin6_port = htons(9)};
    connect(u6, (struct sockaddr *)&a6, sizeof a6);
    int t6 = socket(AF_INET6, SOCK_STREAM, 0);
    getsockname(t6, (struct sockaddr *)&a6, &len);
    // a connected TCP pair over IPv6 (addresses in brackets)
    struct sockaddr_in6 l6a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    int l6 = socket(AF_INET6, SOCK_STREAM, 0);
    bind(l6, (struct sockaddr *)&l6a, sizeof l6a);
    listen(l6, 1);
    len = sizeof l6a;
    getsockname(l6, (struct sockaddr *)&l6a, &len);
    int c6 = socket(AF_INET6, SOCK_STREAM, 0);
    connect(c6, (struct sockaddr *)&l6a, sizeof l6a);
    int s6 = accept(l6, NULL, NULL);
    write(c6, "x", 1);
    read(s6, &c, 1);
    int p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, p);
    write(p[0], "a", 1);
    int d[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
    write(d[0], "a", 1);
    int ub = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s/sock", argc > 1 ? argv[1] : "/tmp");
    unlink(sun.sun_path);
    bind(ub, (struct sockaddr *)&sun, sizeof sun);
    listen(ub, 1);
    int uc = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(uc, (struct sockaddr *)&sun, sizeof sun);
    int ua = accept(ub, NULL, NULL);
    write(uc, "b", 1);
    read(ua, &c, 1);
    unlink(sun.sun_path);
    int nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    struct sockaddr_nl snl = {.nl_family = AF_NETLINK};
    bind(nl, (struct sockaddr *)&snl, sizeof snl);
    getsockname(nl, (struct sockaddr *)&snl, &len);
    int nl2 = socket(AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT);
    close(nl2);
    int pk[2]; pipe(pk); close(pk[0]);
    int pf = syscall(SYS_pidfd_open, getpid(), 0); // strace -yy: <pid:N>
    write(pf, "", 0);
    close(pf);
    close(n);
    return 0;
}
