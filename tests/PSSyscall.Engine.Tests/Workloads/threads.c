// Threads: each writes its own file; the main thread joins them one by one.
// A thread starts its work only once the main thread is back from pthread_create: the thread id
// the kernel wrote for clone3's parent_tid shares its word with child_tid, which the kernel clears
// when the thread exits, so a thread that ended before its creator's clone3 was seen to return
// would leave 0 there for one tracer and not the other.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
static int go[2];
static void *work(void *arg) {
    long n = (long)arg;
    char name[32], token;
    read(go[0], &token, 1);
    snprintf(name, sizeof name, "thread-%ld.txt", n);
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, name, 12);
    close(fd);
    unlink(name);
    return NULL;
}
int main(void) {
    pipe(go);
    for (long i = 0; i < 4; i++) {
        pthread_t t;
        pthread_create(&t, NULL, work, (void *)i);
        write(go[1], "g", 1);
        pthread_join(t, NULL);
    }
    return 0;
}
