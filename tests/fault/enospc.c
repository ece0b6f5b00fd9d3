/* Fault injection for the full-disk test (tests/test_reliability.py), loaded with LD_PRELOAD:
 * writes to files whose name contains ".tmp-" (carecast's temporary results files) succeed
 * until CC_FAULT_BYTES bytes have gone to such files, then fail with ENOSPC, as on a full
 * disk. Everything else is passed through. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static long long budget = -1;

static int is_temp(int fd)
{
    char link[64], target[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return 0;
    target[n] = '\0';
    return strstr(target, ".tmp-") != NULL;
}

static int refuse(int fd, size_t count)
{
    if (budget < 0) {
        const char *env = getenv("CC_FAULT_BYTES");
        budget = env ? atoll(env) : 0;
    }
    if (!is_temp(fd))
        return 0;
    if ((long long)count > budget) {
        budget = 0;
        errno = ENOSPC;
        return 1;
    }
    budget -= (long long)count;
    return 0;
}

ssize_t write(int fd, const void *buf, size_t count)
{
    static ssize_t (*real)(int, const void *, size_t);
    if (!real)
        real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    return refuse(fd, count) ? -1 : real(fd, buf, count);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
    static ssize_t (*real)(int, const void *, size_t, off_t);
    if (!real)
        real = (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
    return refuse(fd, count) ? -1 : real(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset)
{
    static ssize_t (*real)(int, const void *, size_t, off_t);
    if (!real)
        real = (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
    return refuse(fd, count) ? -1 : real(fd, buf, count, offset);
}
