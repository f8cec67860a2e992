// Descriptors inside structures a multiplexed call points to: bpf's attr (map_fd, PROG_ATTACH's
// target and program, LINK_CREATE's, OBJ_GET_INFO_BY_FD's bpf_fd, an attr too short for the
// fields, read as 0) and seccomp's SECCOMP_IOCTL_NOTIF_ADDFD srcfd (on a descriptor that is no
// listener: refused, but shown with its argument as given), and the arrays io_uring_register's
// structures point to (IORING_REGISTER_FILES2's descriptors and tags, FILES_UPDATE2's,
// BUFFERS2's iovecs).
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static long bpf(int cmd, union bpf_attr *attr, unsigned size) { return syscall(SYS_bpf, cmd, attr, size); }

int main(void) {
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.map_type = BPF_MAP_TYPE_ARRAY;
    a.key_size = 4;
    a.value_size = 8;
    a.max_entries = 4;
    int map = bpf(BPF_MAP_CREATE, &a, sizeof a);
    unsigned key = 1;
    unsigned long long value = 42;
    memset(&a, 0, sizeof a);
    a.map_fd = map;
    a.key = (unsigned long)&key;
    a.value = (unsigned long)&value;
    bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof a);
    bpf(BPF_MAP_LOOKUP_ELEM, &a, sizeof a);
    struct bpf_map_info info;
    memset(&a, 0, sizeof a);
    a.info.bpf_fd = map;
    a.info.info_len = sizeof info;
    a.info.info = (unsigned long)&info;
    bpf(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof a);
    memset(&a, 0, sizeof a);
    a.target_fd = null;
    a.attach_bpf_fd = map; // not a program: EINVAL
    a.attach_type = BPF_CGROUP_INET_INGRESS;
    bpf(BPF_PROG_ATTACH, &a, sizeof a);
    bpf(BPF_PROG_ATTACH, &a, 8); // the fields past 8 bytes read as 0
    memset(&a, 0, sizeof a);
    a.link_create.prog_fd = map;
    a.link_create.target_fd = null;
    bpf(BPF_LINK_CREATE, &a, sizeof a);
    memset(&a, 0, sizeof a);
    a.map_fd = map;
    bpf(BPF_MAP_FREEZE, &a, sizeof a);
    struct seccomp_notif_addfd add = {.id = 1, .flags = 0, .srcfd = (unsigned)null, .newfd = 0, .newfd_flags = O_CLOEXEC};
    ioctl(null, SECCOMP_IOCTL_NOTIF_ADDFD, &add); // no listener: ENOTTY
    struct io_uring_params params;
    memset(&params, 0, sizeof params);
    int ring = syscall(SYS_io_uring_setup, 4, &params);
    int files[2] = {null, map};
    unsigned long long tags[2] = {7, 8};
    struct io_uring_rsrc_register reg = {.nr = 2, .data = (unsigned long)files, .tags = (unsigned long)tags};
    syscall(SYS_io_uring_register, ring, IORING_REGISTER_FILES2, &reg, sizeof reg);
    struct io_uring_rsrc_update2 up = {.offset = 1, .data = (unsigned long)&files[0], .tags = (unsigned long)&tags[1], .nr = 1};
    syscall(SYS_io_uring_register, ring, IORING_REGISTER_FILES_UPDATE2, &up, sizeof up);
    static char buf[64];
    struct iovec iov = {buf, sizeof buf};
    struct io_uring_rsrc_register bufs = {.nr = 1, .data = (unsigned long)&iov, .tags = (unsigned long)tags};
    syscall(SYS_io_uring_register, ring, IORING_REGISTER_BUFFERS2, &bufs, sizeof bufs);
    close(ring);
    close(map);
    return 0;
}
