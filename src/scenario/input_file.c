/* Input files read once, whole and bounded (input_file.h). */
#include "input_file.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cc_input_file_read(const char *path, const char *what, long max_bytes, char **data, size_t *len, cc_error *err)
{
    *data = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO with no writer must not hang before fstat can refuse it */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot open %s: %s", what, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot read %s: not a regular file (a device, FIFO, "
                            "socket or folder)", what);
    }
    if (st.st_size > max_bytes) {
        close(fd);
        return cc_error_set(err, CC_ERR_RANGE, path, 0, NULL, "%s is %lld bytes; at most %ld are read", what,
                            (long long)st.st_size, max_bytes);
    }
    size_t cap = (size_t)st.st_size + 1, used = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        return cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory");
    }
    for (;;) { /* read to the end: the file may have grown since fstat; stop at the limit */
        if (used == cap) {
            if ((long)cap > max_bytes) {
                free(buf);
                close(fd);
                return cc_error_set(err, CC_ERR_RANGE, path, 0, NULL, "%s grew past %ld bytes while being read",
                                    what, max_bytes);
            }
            char *grown = realloc(buf, cap * 2 + 1);
            if (!grown) {
                free(buf);
                close(fd);
                return cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory");
            }
            buf = grown;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + used, cap - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            free(buf);
            close(fd);
            return cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot read %s: %s", what, strerror(saved));
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    close(fd);
    if ((long)used > max_bytes) {
        free(buf);
        return cc_error_set(err, CC_ERR_RANGE, path, 0, NULL, "%s is larger than %ld bytes", what, max_bytes);
    }
    buf[used] = '\0';
    *data = buf;
    *len = used;
    return 0;
}

int cc_input_line_of(const char *data, const char *at)
{
    int line = 1;
    for (const char *p = data; p < at; p++)
        if (*p == '\n' || (*p == '\r' && p[1] != '\n'))
            line++;
    return line;
}

void cc_sha256_hex(const char *data, size_t len, char hex[65])
{
    struct sha256_ctx ctx;
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)data);
    sha256_digest(&ctx, sizeof digest, digest);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        sprintf(hex + 2 * i, "%02x", digest[i]);
    hex[64] = '\0';
}
