// ioctl requests of many families on descriptors that reject them (ENOTTY, EINVAL): strace names
// the request from the kernel's headers whatever the answer.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/if_tun.h>
#include <linux/kd.h>
#include <linux/loop.h>
#include <linux/nsfs.h>
#include <linux/perf_event.h>
#include <linux/random.h>
#include <linux/vt.h>
#include <linux/input.h>
#include <sys/ioctl.h>
#include <unistd.h>
int main(void) {
    int fd = open("ioctl.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
    unsigned long long size;
    int n = 0;
    ioctl(fd, BLKGETSIZE64, &size);
    ioctl(fd, BLKSSZGET, &n);
    ioctl(fd, FIGETBSZ, &n);
    ioctl(fd, TUNSETIFF, 0);
    ioctl(fd, KDGETMODE, &n);
    ioctl(fd, VT_GETSTATE, 0);
    ioctl(fd, LOOP_CLR_FD);
    ioctl(fd, RNDGETENTCNT, &n);
    ioctl(fd, NS_GET_USERNS);
    ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
    ioctl(fd, EVIOCGVERSION, &n);
    ioctl(fd, FS_IOC_GETVERSION, &n);
    int off = 0;
    ioctl(fd, FIOASYNC, &off);
    ioctl(fd, _IOC(_IOC_READ, 0x6d, 0x1, 0x8), 0);
    close(fd);
    unlink("ioctl.tmp");
    return 0;
}
