// strace's output rules in the details: a deleted file's annotation, a 16-byte thread name, a
// filesystem's magic and flags, an address cut to the buffer's size, an empty control buffer, a
// socket option whose length does not fit.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <unistd.h>
int main(void) {
    int fd = open("gone.tmp", O_CREAT | O_RDWR, 0600);
    unlink("gone.tmp");
    write(fd, "x", 1);
    // fcntl by command: a lock set and queried, a duplicate, the flags.
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
    fcntl(fd, F_SETLK, &fl);
    fl.l_type = F_RDLCK;
    fcntl(fd, F_GETLK, &fl);
    int dup = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    fcntl(dup, F_GETFD);
    fcntl(dup, F_GETFL);
    fcntl(dup, F_SETFL, O_NONBLOCK | O_APPEND);
    close(dup);
    close(fd);
    // An unnamed temporary file: its mode is shown, its annotation is "#inode" and "(deleted)".
    int tmp = open(".", O_TMPFILE | O_RDWR, 0600);
    close(tmp);
    // clone3 arguments the kernel cannot read whole (they end at an unmapped page): EFAULT, and
    // strace shows the address.
    char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
    struct clone_args *ca = (void *)(page + 4096 - 64);
    memset(ca, 0, 64);
    syscall(SYS_clone3, ca, 88);
    munmap(page, 4096);
    prctl(PR_SET_NAME, "0123456789abcdefXYZ");
    char name[16];
    prctl(PR_GET_NAME, name);
    prctl(PR_SET_NAME, "short");
    struct statfs sf;
    statfs("/proc", &sf);
    int p = open("/proc", O_RDONLY | O_DIRECTORY);
    fstatfs(p, &sf);
    close(p);
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {AF_UNIX, "rules.sock"};
    unlink("rules.sock");
    bind(l, (void *)&a, sizeof a);
    listen(l, 1);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (void *)&a, sizeof a);
    struct sockaddr_un peer;
    socklen_t len = 2;
    int s = accept(l, (void *)&peer, &len);
    len = sizeof peer;
    getsockname(l, (void *)&peer, &len);
    len = 4;
    getsockname(l, (void *)&peer, &len);
    char ctl[64];
    struct iovec iov = {"m", 1};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = ctl;
    m.msg_controllen = 0;
    sendmsg(c, &m, 0);
    int one = 1;
    setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &one, 2);
    close(s);
    unlink("rules.sock");
    return 0;
}
