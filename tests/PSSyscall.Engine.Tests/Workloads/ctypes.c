// C types of arguments: the kernel reads int/unsigned int arguments from the low 32 bits of the
// register, so garbage in the high half must not show (strace prints the C type's value).
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#define HI 0xdefaced00000000UL
int main(void) {
    int fd = open("ctypes.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
    syscall(SYS_faccessat2, HI | 0xffffffffUL, 0, HI | F_OK, HI);
    syscall(SYS_faccessat2, -100L, "ctypes.tmp", HI | R_OK, 0);
    syscall(SYS_mkdir, "ctypes.dir", HI | 0);
    syscall(SYS_rmdir, "ctypes.dir");
    syscall(SYS_umask, HI | 022);
    syscall(SYS_umask, 022);
    syscall(SYS_chown, "ctypes.tmp", 0xffff0000UL, 0);
    syscall(SYS_chown, "ctypes.tmp", -1L, -1L);
    syscall(SYS_fchown, HI | (unsigned)fd, HI | 0, HI | 0);
    syscall(SYS_fchmod, HI | (unsigned)fd, HI | 0640);
    syscall(SYS_chmod, "ctypes.tmp", HI | 0600);
    syscall(SYS_close_range, 0xfffffffeUL, 0xffffffffUL, 0);
    struct rlimit rl;
    syscall(SYS_getrlimit, 0xfacefeed00000000UL | RLIMIT_CPU, &rl);
    syscall(SYS_setuid, HI | 0);
    syscall(SYS_setgid, HI | 0);
    syscall(SYS_setreuid, -1L, -1L);
    syscall(SYS_setresgid, -1L, -1L, -1L);
    syscall(SYS_kill, HI | (unsigned)getpid(), HI | 0);
    syscall(SYS_dup2, HI | (unsigned)fd, HI | 9);
    syscall(SYS_close, HI | 9);
    syscall(SYS_ftruncate, fd, 0);
    syscall(SYS_lseek, HI | (unsigned)fd, 0, HI | SEEK_END);
    syscall(SYS_write, HI | (unsigned)fd, "x", 1);
    syscall(SYS_listen, HI | (unsigned)fd, HI | 5);
    syscall(SYS_exit_group, HI | 0);
    return 0;
}
