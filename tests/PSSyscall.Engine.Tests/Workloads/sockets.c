// A TCP client and server on loopback (forked), plus a unix socketpair with sendmsg/recvmsg.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
    int port = atoi(argv[1]);
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    int v = 0;
    socklen_t vl = sizeof v;
    getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &vl);
    getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, &vl);
    vl = 8;
    getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &vl); // [8 => 4]
    getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &vl);
    setsockopt(s, IPPROTO_IP, IP_TTL, &one, sizeof one);
    getsockopt(s, IPPROTO_IP, IP_TTL, &v, &vl);
    struct linger lg = {1, 5};
    setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    vl = sizeof lg;
    getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &vl);
    lg.l_onoff = 0;
    setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    getsockopt(s, SOL_SOCKET, 9999, &v, &vl); // ENOPROTOOPT: an unknown option
    long long wide = 65536;
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &wide, sizeof wide); // an int option longer than an int: [int]
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &one, 2);            // EINVAL: too short, a pointer
    setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, 4);             // EINVAL: too short, a pointer
    setsockopt(s, SOL_SOCKET, SO_TYPE, &wide, sizeof wide);   // ENOPROTOOPT: not settable, the bytes
    getsockopt(-1, 99, 5, &v, &vl);           // EBADF: an unknown level
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
    // Control messages: descriptors (SCM_RIGHTS) and credentials (SCM_CREDENTIALS) both ways.
    int two = 1;
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &two, sizeof two);
    struct ucred peer_cred;
    socklen_t cl = sizeof peer_cred;
    getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &peer_cred, &cl);
    union { char buf[CMSG_SPACE(2 * sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))]; struct cmsghdr align; } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct iovec fiov = {"fd", 2};
    struct msghdr fm = {0};
    fm.msg_iov = &fiov;
    fm.msg_iovlen = 1;
    fm.msg_control = ctl.buf;
    fm.msg_controllen = sizeof ctl.buf;
    struct cmsghdr *cm = CMSG_FIRSTHDR(&fm);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(2 * sizeof(int));
    int pass[2] = {0, sv[0]};
    memcpy(CMSG_DATA(cm), pass, sizeof pass);
    cm = CMSG_NXTHDR(&fm, cm);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_CREDENTIALS;
    cm->cmsg_len = CMSG_LEN(sizeof(struct ucred));
    struct ucred me = {getpid(), getuid(), getgid()};
    memcpy(CMSG_DATA(cm), &me, sizeof me);
    sendmsg(sv[0], &fm, 0);
    char rctl[256];
    struct msghdr frm = {0};
    frm.msg_iov = &riov;
    frm.msg_iovlen = 1;
    frm.msg_control = rctl;
    frm.msg_controllen = sizeof rctl;
    recvmsg(sv[1], &frm, MSG_CMSG_CLOEXEC);
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&frm); c; c = CMSG_NXTHDR(&frm, c))
        if (c->cmsg_type == SCM_RIGHTS) {
            int got[2];
            memcpy(got, CMSG_DATA(c), sizeof got);
            close(got[0]);
            close(got[1]);
        }
    close(sv[0]);
    close(sv[1]);
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un ua = {AF_UNIX, "no-such.sock"};
    connect(u, (struct sockaddr *)&ua, sizeof ua);
    close(u);
    return 0;
}
