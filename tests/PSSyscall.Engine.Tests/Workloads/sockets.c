// A TCP client and server on loopback (forked), plus a unix socketpair with sendmsg/recvmsg.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
    int port = atoi(argv[1]);
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(s, (struct sockaddr *)&a, sizeof a);
    listen(s, 4);
    pid_t child = fork();
    if (child == 0) {
        int c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        connect(c, (struct sockaddr *)&a, sizeof a);
        sendto(c, "ping", 4, MSG_NOSIGNAL, NULL, 0);
        char b[16];
        recvfrom(c, b, sizeof b, 0, NULL, NULL);
        shutdown(c, SHUT_WR);
        close(c);
        _exit(0);
    }
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    int conn = accept(s, (struct sockaddr *)&peer, &len);
    char b[16];
    recvfrom(conn, b, sizeof b, 0, NULL, NULL);
    sendto(conn, "pong", 4, 0, NULL, 0);
    len = sizeof peer;
    getsockname(conn, (struct sockaddr *)&peer, &len);
    recvfrom(conn, b, sizeof b, 0, NULL, NULL);
    close(conn);
    int st;
    wait4(child, &st, 0, NULL);
    close(s);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct iovec iov[2] = {{"hdr:", 4}, {"body", 4}};
    struct msghdr m = {0};
    m.msg_iov = iov;
    m.msg_iovlen = 2;
    sendmsg(sv[0], &m, 0);
    char rb[32];
    struct iovec riov = {rb, sizeof rb};
    struct msghdr rm = {0};
    rm.msg_iov = &riov;
    rm.msg_iovlen = 1;
    recvmsg(sv[1], &rm, 0);
    close(sv[0]);
    close(sv[1]);
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un { unsigned short f; char p[108]; } ua = {AF_UNIX, "no-such.sock"};
    connect(u, (struct sockaddr *)&ua, sizeof ua);
    close(u);
    return 0;
}
