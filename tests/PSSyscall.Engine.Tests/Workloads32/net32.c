// i386 sockets and SysV IPC: the direct socket calls and socketcall, ipc(), select/_newselect,
// poll, sendto/recvfrom, sendmsg/recvmsg, pipes.
#define _GNU_SOURCE
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

int main(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    unsigned long a[6] = {AF_UNIX, SOCK_DGRAM, 0};
    int s = syscall(SYS_socketcall, 1 /* SYS_SOCKET */, a);
    struct sockaddr_un un = {AF_UNIX, "sock32"};
    unlink("sock32");
    unsigned long b[3] = {s, (unsigned long)&un, sizeof un};
    syscall(SYS_socketcall, 2 /* SYS_BIND */, b);
    syscall(SYS_bind, s, &un, sizeof un);
    syscall(SYS_sendto, sv[0], "ping", 4, 0, NULL, 0);
    char buf[64];
    syscall(SYS_recvfrom, sv[1], buf, sizeof buf, MSG_DONTWAIT, NULL, NULL);
    struct iovec iov = {"msg!", 4};
    struct msghdr mh = {0};
    mh.msg_iov = &iov; mh.msg_iovlen = 1;
    syscall(SYS_sendmsg, sv[0], &mh, 0);
    struct iovec riov = {buf, sizeof buf};
    struct msghdr rh = {0};
    rh.msg_iov = &riov; rh.msg_iovlen = 1;
    syscall(SYS_recvmsg, sv[1], &rh, 0);
    int one = 1;
    syscall(SYS_setsockopt, sv[0], SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    fd_set r; FD_ZERO(&r); FD_SET(sv[1], &r);
    int32_t tv[2] = {0, 0};
    syscall(SYS__newselect, sv[1] + 1, &r, NULL, NULL, tv);
    syscall(SYS_write, sv[0], "x", 1);
    FD_ZERO(&r); FD_SET(sv[1], &r);
    syscall(SYS__newselect, sv[1] + 1, &r, NULL, NULL, tv);
    struct pollfd pfd = {sv[1], POLLIN, 0};
    syscall(SYS_poll, &pfd, 1, 0);
    syscall(SYS_shutdown, sv[0], SHUT_WR);
    int id = syscall(SYS_ipc, 23 /* SHMGET */, IPC_PRIVATE, 4096, IPC_CREAT | 0600, 0, 0);
    syscall(SYS_ipc, 24 /* SHMCTL */, id, IPC_RMID | 0x100, 0, 0, 0);
    syscall(SYS_shmget, IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    int p[2];
    syscall(SYS_pipe, p);
    syscall(SYS_pipe2, p, 02000000);
    syscall(SYS_dup2, p[0], 20);
    syscall(SYS_close, 20);
    close(s);
    unlink("sock32");
    return 0;
}
