// IPC: SysV shared memory, queues and semaphores, POSIX queues, cross-process memory, pidfds,
// userfaultfd.
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
struct msg { long type; char text[8]; };
int main(void) {
    int shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    void *p = shmat(shm, NULL, 0);
    struct shmid_ds ds;
    shmctl(shm, IPC_STAT, &ds);
    shmdt(p);
    shmctl(shm, IPC_RMID, NULL);
    int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    struct msg m = {1, "hello"};
    msgsnd(q, &m, 6, 0);
    msgrcv(q, &m, sizeof m.text, 0, IPC_NOWAIT);
    struct msqid_ds qs;
    msgctl(q, IPC_STAT, &qs);
    msgctl(q, IPC_RMID, NULL);
    int sem = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    struct sembuf op = {0, 1, 0};
    semop(sem, &op, 1);
    semctl(sem, 0, GETVAL);
    struct semid_ds ss;
    semctl(sem, 0, IPC_STAT, &ss);
    semctl(sem, 0, SETVAL, 3);
    semctl(sem, 0, IPC_RMID);
    struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 16};
    mqd_t mq = mq_open("/pssyscall-ipc", O_CREAT | O_RDWR, 0600, &attr);
    mq_send(mq, "abc", 3, 1);
    char buf[16];
    unsigned prio;
    mq_receive(mq, buf, sizeof buf, &prio);
    mq_getattr(mq, &attr);
    mq_close(mq);
    mq_unlink("/pssyscall-ipc");
    char src[8] = "remote", dst[8];
    struct iovec l = {dst, 6}, r = {src, 6};
    syscall(SYS_process_vm_readv, getpid(), &l, 1, &r, 1, 0);
    syscall(SYS_process_vm_writev, getpid(), &r, 1, &l, 1, 0);
    int pfd = syscall(SYS_pidfd_open, getpid(), 0);
    syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0);
    int dupd = syscall(SYS_pidfd_getfd, pfd, 0, 0);
    close(dupd);
    close(pfd);
    int uf = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
    if (uf >= 0) close(uf);
    return 0;
}
