/*
 * Slow-disk fault for the fault-injection suite: an LD_PRELOAD library that delays fsync(2) and
 * fdatasync(2) of the process it is loaded into (Java's FileChannel.force ends in one of them).
 *
 * The delay is read, at every call, from the file named by SLOWFSYNC_DELAY_FILE: a decimal number
 * of milliseconds (0, a missing file or anything unparsable means no delay; at most 10000). The
 * harness writes that file to start and stop the fault, so the replica never restarts for it.
 * The delay comes before the real call: the data still reaches the disk, only later.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long delay_millis(void) {
    const char *path = getenv("SLOWFSYNC_DELAY_FILE");
    if (path == NULL) {
        return 0;
    }
    int saved = errno;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        errno = saved;
        return 0;
    }
    char buf[16];
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    errno = saved;
    if (n <= 0) {
        return 0;
    }
    buf[n] = '\0';
    char *end;
    long ms = strtol(buf, &end, 10);
    if (end == buf || ms <= 0) {
        return 0;
    }
    return ms > 10000 ? 10000 : ms;
}

static void pause_if_slow(void) {
    long ms = delay_millis();
    if (ms > 0) {
        struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
        int saved = errno;
        while (nanosleep(&t, &t) != 0 && errno == EINTR) {
        }
        errno = saved;
    }
}

/* Looks up the C library's own function once, then delays (if asked) and calls it. */
static int delayed(const char *name, int (**real)(int), int fd) {
    if (*real == NULL) {
        *real = (int (*)(int))dlsym(RTLD_NEXT, name);
    }
    pause_if_slow();
    return (*real)(fd);
}

int fsync(int fd) {
    static int (*real)(int);
    return delayed("fsync", &real, fd);
}

int fdatasync(int fd) {
    static int (*real)(int);
    return delayed("fdatasync", &real, fd);
}
