// Threads: each writes its own file; the main thread joins them one by one.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
static void *work(void *arg) {
    long n = (long)arg;
    char name[32];
    snprintf(name, sizeof name, "thread-%ld.txt", n);
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, name, 12);
    close(fd);
    unlink(name);
    return NULL;
}
int main(void) {
    for (long i = 0; i < 4; i++) {
        pthread_t t;
        pthread_create(&t, NULL, work, (void *)i);
        pthread_join(t, NULL);
    }
    return 0;
}
