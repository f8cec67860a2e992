// A TCP client and server on loopback (forked), plus a unix socketpair with sendmsg/recvmsg;
// structured socket options and control messages of every kind strace 6.1 decodes.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <linux/filter.h>
#include <poll.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

// Structured option values: socket filters, multicast memberships, timeouts, TCP_INFO, and values
// shorter than the option's type (strace shows a cut int or structure field as hex bytes).
static void options(void) {
    int one = 1;
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sock_filter code[] = {BPF_STMT(BPF_RET | BPF_K, 0xffff)};
    struct sock_fprog prog = {1, code};
    setsockopt(u, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
    setsockopt(u, SOL_SOCKET, SO_ATTACH_FILTER, &prog, 8); // EINVAL: not a sock_fprog, a pointer
    struct sock_filter back[4];
    socklen_t bl = 4;                                      // a count of instructions, not bytes
    getsockopt(u, SOL_SOCKET, SO_GET_FILTER, back, &bl);
    setsockopt(u, SOL_SOCKET, SO_DETACH_FILTER, &one, sizeof one);
    struct ip_mreq mr = {{inet_addr("239.1.2.3")}, {htonl(INADDR_LOOPBACK)}};
    setsockopt(u, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr);
    setsockopt(u, IPPROTO_IP, IP_DROP_MEMBERSHIP, &mr, sizeof mr);
    setsockopt(u, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, 4); // EINVAL: too short, a pointer
    struct ip_mreqn mrn = {{inet_addr("239.1.2.4")}, {htonl(INADDR_LOOPBACK)}, 1};
    setsockopt(u, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mrn, sizeof mrn); // shown as its ip_mreq part
    setsockopt(u, IPPROTO_IP, IP_MULTICAST_IF, &mrn, sizeof mrn);   // not decoded: the bytes
    struct timeval tv = {1, 500000};
    setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(u, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    setsockopt(u, SOL_SOCKET, 66 /* SO_RCVTIMEO_NEW */, &tv, sizeof tv);
    socklen_t tl = sizeof tv;
    getsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, &tl);
    setsockopt(u, SOL_SOCKET, SO_TIMESTAMP, &one, sizeof one);
    setsockopt(u, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    char b[16];
    socklen_t l;
    l = 1; getsockopt(u, SOL_SOCKET, SO_ERROR, b, &l);     // a cut int: "\x00"
    l = 2; getsockopt(u, SOL_SOCKET, SO_REUSEADDR, b, &l);
    l = 2; getsockopt(u, SOL_SOCKET, SO_TYPE, b, &l);      // not an int option to strace: octal
    l = 6; getsockopt(u, SOL_SOCKET, SO_LINGER, b, &l);    // {l_onoff=0, l_linger="\x00\x00"}
    l = 2; getsockopt(u, SOL_SOCKET, SO_LINGER, b, &l);
    l = 2; getsockopt(u, IPPROTO_IP, IP_TTL, b, &l);       // the kernel answers one byte
    // A pending error, by name: a datagram to a port nobody listens on comes back refused.
    int gone = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in ga = {AF_INET, 0, {htonl(INADDR_LOOPBACK)}};
    bind(gone, (struct sockaddr *)&ga, sizeof ga);
    socklen_t gl = sizeof ga;
    getsockname(gone, (struct sockaddr *)&ga, &gl);
    close(gone);
    connect(u, (struct sockaddr *)&ga, sizeof ga);
    send(u, "?", 1, 0);
    struct pollfd pe = {u, 0, 0};
    poll(&pe, 1, 5000); // POLLERR once the ICMP error is in
    int err;
    l = sizeof err;
    getsockopt(u, SOL_SOCKET, SO_ERROR, &err, &l);
    close(u);
    int s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct ipv6_mreq m6 = {IN6ADDR_ANY_INIT, 1};
    inet_pton(AF_INET6, "ff02::1:3", &m6.ipv6mr_multiaddr);
    setsockopt(s6, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m6, sizeof m6);
    setsockopt(s6, IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, &m6, sizeof m6);
    m6.ipv6mr_interface = 0;
    setsockopt(s6, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m6, sizeof m6);
    setsockopt(s6, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m6, 16); // EINVAL: a pointer
    close(s6);
    int t = socket(AF_INET, SOCK_STREAM, 0);
    struct tcp_info ti;
    socklen_t til = 8; // the state bytes only: the rest holds times since boot
    getsockopt(t, IPPROTO_TCP, TCP_INFO, &ti, &til);
    close(t);
}

// One control message of LEVEL/TYPE with LEN bytes of DATA, sent on a unix stream socket: the
// kernel refuses the SOL_SOCKET types it does not take, but strace decodes each at entry.
static void send_cmsg(int fd, int level, int type, const void *data, int len) {
    union { char buf[CMSG_SPACE(64)]; struct cmsghdr align; } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct iovec iov = {"c", 1};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = ctl.buf;
    m.msg_controllen = CMSG_SPACE(len);
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = level;
    c->cmsg_type = type;
    c->cmsg_len = CMSG_LEN(len);
    memcpy(CMSG_DATA(c), data, len);
    sendmsg(fd, &m, MSG_DONTWAIT);
}

static void control_messages(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct timeval tv = {1234, 5678};
    struct timespec ts = {1234, 5678};
    struct timespec three[3] = {{1, 2}, {3, 4}, {5, 6}};
    send_cmsg(sv[0], SOL_SOCKET, SO_TIMESTAMP, &tv, sizeof tv);          // SO_TIMESTAMP_OLD
    send_cmsg(sv[0], SOL_SOCKET, SO_TIMESTAMPNS, &ts, sizeof ts);        // SO_TIMESTAMPNS_OLD
    send_cmsg(sv[0], SOL_SOCKET, SO_TIMESTAMPING, three, sizeof three);  // SO_TIMESTAMPING_OLD
    send_cmsg(sv[0], SOL_SOCKET, 63 /* SO_TIMESTAMP_NEW */, &tv, sizeof tv);
    send_cmsg(sv[0], SOL_SOCKET, 64 /* SO_TIMESTAMPNS_NEW */, &ts, sizeof ts);
    send_cmsg(sv[0], SOL_SOCKET, SO_TIMESTAMP, &tv, 8);                  // too short: ???
    send_cmsg(sv[0], SOL_SOCKET, 3 /* SCM_SECURITY */, "unconfined\0", 11);
    send_cmsg(sv[0], SOL_SOCKET, 40, &tv, 4);                            // an unknown type
    send_cmsg(sv[0], SOL_SOCKET, SCM_RIGHTS, &tv, 2);                    // no whole descriptor
    struct in_pktinfo pi = {1, {htonl(INADDR_LOOPBACK)}, {htonl(0x7f000002)}};
    send_cmsg(sv[0], SOL_IP, IP_PKTINFO, &pi, sizeof pi);
    int ttl = 64;
    unsigned char tos[2] = {0x10, 0};
    send_cmsg(sv[0], SOL_IP, IP_TTL, &ttl, sizeof ttl);
    send_cmsg(sv[0], SOL_IP, IP_TOS, tos, 2);
    send_cmsg(sv[0], SOL_IP, IP_PKTINFO, &pi, 8);                        // too short: no data
    send_cmsg(sv[0], SOL_IP, 4, &ttl, sizeof ttl);                       // an unknown type
    struct sockaddr_in dst = {AF_INET, htons(53), {htonl(INADDR_LOOPBACK)}};
    send_cmsg(sv[0], SOL_IP, IP_ORIGDSTADDR, &dst, sizeof dst);
    send_cmsg(sv[0], SOL_IP, IP_ORIGDSTADDR, &dst, 8);                   // too short: no data
    struct { struct sock_extended_err ee; struct sockaddr_in from; } err = {{ECONNREFUSED, SO_EE_ORIGIN_ICMP, 3, 3, 0, 0, 0}, dst};
    send_cmsg(sv[0], SOL_IP, IP_RECVERR, &err, sizeof err);
    send_cmsg(sv[0], SOL_IP, IP_RECVERR, &err, sizeof err - 1);          // too short: no data
    struct in6_pktinfo p6 = {IN6ADDR_LOOPBACK_INIT, 1};
    send_cmsg(sv[0], SOL_IPV6, IPV6_PKTINFO, &p6, sizeof p6);            // SOL_IPV6 types: in hex
    close(sv[0]);
    close(sv[1]);
    // Received ancillary data: a datagram's destination, TTL and TOS on IPv4 loopback.
    int r = socket(AF_INET, SOCK_DGRAM, 0), w = socket(AF_INET, SOCK_DGRAM, 0);
    int on = 1;
    setsockopt(r, IPPROTO_IP, IP_PKTINFO, &on, sizeof on);
    setsockopt(r, IPPROTO_IP, IP_RECVTTL, &on, sizeof on);
    setsockopt(r, IPPROTO_IP, IP_RECVTOS, &on, sizeof on);
    struct sockaddr_in ra = {AF_INET, 0, {htonl(INADDR_LOOPBACK)}};
    bind(r, (struct sockaddr *)&ra, sizeof ra);
    socklen_t rl = sizeof ra;
    getsockname(r, (struct sockaddr *)&ra, &rl);
    sendto(w, "dgram", 5, 0, (struct sockaddr *)&ra, sizeof ra);
    char data[16];
    union { char buf[256]; struct cmsghdr align; } in;
    struct iovec iov = {data, sizeof data};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = in.buf;
    m.msg_controllen = sizeof in.buf;
    recvmsg(r, &m, 0);
    close(r);
    close(w);
    // And on IPv6 loopback, whose control messages strace leaves undecoded.
    r = socket(AF_INET6, SOCK_DGRAM, 0);
    w = socket(AF_INET6, SOCK_DGRAM, 0);
    setsockopt(r, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on);
    struct sockaddr_in6 r6 = {AF_INET6, 0, 0, IN6ADDR_LOOPBACK_INIT, 0};
    bind(r, (struct sockaddr *)&r6, sizeof r6);
    rl = sizeof r6;
    getsockname(r, (struct sockaddr *)&r6, &rl);
    sendto(w, "dgram6", 6, 0, (struct sockaddr *)&r6, sizeof r6);
    m.msg_controllen = sizeof in.buf;
    recvmsg(r, &m, 0);
    close(r);
    close(w);
}

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
    options();
    control_messages();
    return 0;
}
