// An i386 program passing descriptors: sendmsg with an SCM_RIGHTS message (i386's 12-byte
// cmsghdr) of two descriptors, recvmsg receiving them, so their paths show in the control data;
// then sendmmsg and recvmmsg of two messages each (i386's 32-byte struct mmsghdr).
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void) {
    int sv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(p);
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    char data[] = "fds";
    struct iovec iov = {data, 3};
    union { char buf[CMSG_SPACE(2 * sizeof(int))]; struct cmsghdr align; } u;
    memset(&u, 0, sizeof u);
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(2 * sizeof(int));
    int fds[2] = {null, p[0]};
    memcpy(CMSG_DATA(cm), fds, sizeof fds);
    syscall(SYS_sendmsg, sv[0], &mh, 0);
    char in[8];
    struct iovec riov = {in, sizeof in};
    union { char buf[CMSG_SPACE(2 * sizeof(int))]; struct cmsghdr align; } ru;
    struct msghdr rh = {.msg_iov = &riov, .msg_iovlen = 1, .msg_control = ru.buf, .msg_controllen = sizeof ru.buf};
    syscall(SYS_recvmsg, sv[1], &rh, 0);
    int dg[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, dg);
    char a[] = "one", b[] = "three";
    struct iovec out[2] = {{a, 3}, {b, 5}};
    struct mmsghdr msgs[2];
    memset(msgs, 0, sizeof msgs);
    msgs[0].msg_hdr.msg_iov = &out[0];
    msgs[0].msg_hdr.msg_iovlen = 1;
    msgs[1].msg_hdr.msg_iov = &out[1];
    msgs[1].msg_hdr.msg_iovlen = 1;
    syscall(SYS_sendmmsg, dg[0], msgs, 2, 0);
    char r1[8], r2[8];
    struct iovec rin[2] = {{r1, sizeof r1}, {r2, sizeof r2}};
    struct mmsghdr rmsgs[2];
    memset(rmsgs, 0, sizeof rmsgs);
    rmsgs[0].msg_hdr.msg_iov = &rin[0];
    rmsgs[0].msg_hdr.msg_iovlen = 1;
    rmsgs[1].msg_hdr.msg_iov = &rin[1];
    rmsgs[1].msg_hdr.msg_iovlen = 1;
    syscall(SYS_recvmmsg, dg[1], rmsgs, 2, MSG_DONTWAIT, NULL);
    return 0;
}
