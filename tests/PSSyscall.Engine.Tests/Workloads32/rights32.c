// An i386 program passing descriptors: sendmsg with an SCM_RIGHTS message (i386's 12-byte
// cmsghdr) of two descriptors, recvmsg receiving them, so their paths show in the control data.
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
    return 0;
}
