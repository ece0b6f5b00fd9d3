/* gnuplot through pipes, without a shell. The script is built in memory (gp_printf for the
 * program's own text, gp_quote for anything else) and run by one gnuplot process per chart:
 * posix_spawnp with argv {"gnuplot"} and three pipes (script in, image out, messages out)
 * served by one poll loop, so neither side can block on a full pipe whatever the sizes. The
 * image goes to gnuplot's standard output (no `set output`), so no file name ever appears in
 * a script. */
#define _GNU_SOURCE /* posix_spawn_file_actions_addclosefrom_np (glibc 2.34) */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gnuplot.h"

extern char **environ;

enum { STDERR_KEEP = 16384, MESSAGE_KEEP = 600 };

void gp_script_free(gp_script *s)
{
    free(s->data);
    *s = (gp_script){0};
}

static int reserve(gp_script *s, size_t extra)
{
    if (s->failed)
        return -1;
    if (s->len + extra + 1 <= s->cap)
        return 0;
    size_t cap = s->cap ? s->cap : 4096;
    while (cap < s->len + extra + 1)
        cap *= 2;
    char *data = realloc(s->data, cap);
    if (!data) {
        s->failed = 1;
        return -1;
    }
    s->data = data;
    s->cap = cap;
    return 0;
}

void gp_printf(gp_script *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || reserve(s, (size_t)n) != 0) {
        s->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(s->data + s->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    s->len += (size_t)n;
}

static void put_char(gp_script *s, char c)
{
    if (reserve(s, 1) == 0) {
        s->data[s->len++] = c;
        s->data[s->len] = '\0';
    }
}

/* Length of text cut to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *text, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) /* text[n] continues a character */
        n--;
    return n;
}

void gp_quote(gp_script *s, const char *text, size_t max_bytes)
{
    if (!text)
        text = "";
    size_t len = strlen(text), n = max_bytes ? utf8_cut(text, len, max_bytes) : len;
    put_char(s, '\'');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\'')
            gp_printf(s, "\xe2\x80\x99"); /* U+2019: no quote of the text reaches gnuplot (gnuplot.h) */
        else if (c < 0x20 || c == 0x7f)
            put_char(s, ' '); /* a newline would end the command; the rest would run as one */
        else
            put_char(s, (char)c);
    }
    if (n < len)
        gp_printf(s, "...");
    put_char(s, '\'');
}

/* ---- running gnuplot ---------------------------------------------------------------------- */

typedef struct {
    char *data;
    size_t len, cap, limit; /* limit: keep at most this many bytes (0: all) */
} sink;

static int sink_add(sink *k, const char *buf, size_t n)
{
    if (k->limit && k->len + n > k->limit)
        n = k->len < k->limit ? k->limit - k->len : 0;
    if (n == 0)
        return 0;
    if (k->len + n + 1 > k->cap) {
        size_t cap = k->cap ? k->cap : 65536;
        while (cap < k->len + n + 1)
            cap *= 2;
        char *data = realloc(k->data, cap);
        if (!data)
            return -1;
        k->data = data;
        k->cap = cap;
    }
    memcpy(k->data + k->len, buf, n);
    k->len += n;
    k->data[k->len] = '\0';
    return 0;
}

/* gnuplot's messages on one line: runs of white space (its caret lines too) become one space. */
static void one_line(const char *text, char *out, size_t size)
{
    size_t o = 0;
    int space = 0;
    for (const char *p = text ? text : ""; *p && o + 1 < size; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '^') {
            space = o > 0;
            continue;
        }
        if (space && o + 2 < size)
            out[o++] = ' ';
        space = 0;
        out[o++] = *p;
    }
    out[o] = '\0';
}

typedef struct {
    int in, out, errp; /* our ends: gnuplot's stdin (write), stdout and stderr (read); -1 closed */
} gp_pipes;

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Serve the three pipes until gnuplot has closed its output and error streams. Returns 0 or
 * CC_ERR_NOMEM / CC_ERR_IO (poll failed). A gnuplot that stops reading its script (it died)
 * makes the write fail with EPIPE: the rest of the script is dropped and its exit status
 * tells the story. */
static int pump(gp_pipes *p, const gp_script *script, sink *image, sink *messages)
{
    size_t sent = 0;
    char buf[65536];
    while (p->out >= 0 || p->errp >= 0) {
        struct pollfd fds[3] = {{p->in, POLLOUT, 0}, {p->out, POLLIN, 0}, {p->errp, POLLIN, 0}};
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            return CC_ERR_IO;
        }
        if (p->in >= 0 && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = write(p->in, script->data + sent, script->len - sent);
            if (n > 0)
                sent += (size_t)n;
            if ((n < 0 && errno != EAGAIN && errno != EINTR) || sent == script->len)
                close_fd(&p->in);
        }
        int *fd[2] = {&p->out, &p->errp};
        sink *to[2] = {image, messages};
        for (int i = 0; i < 2; i++) {
            if (*fd[i] < 0 || !(fds[i + 1].revents & (POLLIN | POLLERR | POLLHUP)))
                continue;
            ssize_t n = read(*fd[i], buf, sizeof buf);
            if (n > 0 && sink_add(to[i], buf, (size_t)n) != 0)
                return CC_ERR_NOMEM;
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                close_fd(fd[i]);
        }
    }
    close_fd(&p->in);
    return 0;
}

/* Start gnuplot with its stdin, stdout and stderr on new pipes (our ends in p). 0 or errno. */
static int spawn(const char *program, pid_t *pid, gp_pipes *p)
{
    int in[2] = {-1, -1}, out[2] = {-1, -1}, er[2] = {-1, -1}, rc;
    if (pipe(in) || pipe(out) || pipe(er)) {
        rc = errno;
        goto out;
    }
    int *ends[6] = {&in[0], &in[1], &out[0], &out[1], &er[0], &er[1]};
    for (int i = 0; i < 6; i++) /* gnuplot gets only its three ends, as 0, 1 and 2 */
        fcntl(*ends[i], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    if ((rc = posix_spawn_file_actions_init(&fa)) != 0)
        goto out;
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, er[1], 2);
    /* Nor any other descriptor of ours: HDF5 opens the results file without close-on-exec. */
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    char *argv[] = {(char *)program, NULL};
    rc = posix_spawnp(pid, program, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
out:
    close_fd(&in[0]);
    close_fd(&out[1]);
    close_fd(&er[1]);
    if (rc == 0) {
        *p = (gp_pipes){in[1], out[0], er[0]};
        fcntl(p->in, F_SETFL, fcntl(p->in, F_GETFL) | O_NONBLOCK);
    } else {
        close_fd(&in[1]);
        close_fd(&out[0]);
        close_fd(&er[0]);
    }
    return rc;
}

int gp_run(const char *program, const gp_script *script, char **image, size_t *image_len, cc_error *err)
{
    *image = NULL;
    *image_len = 0;
    if (!program)
        program = "gnuplot";
    if (script->failed)
        return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory building a gnuplot script");
    sink img = {0}, msg = {.limit = STDERR_KEEP};
    gp_pipes p = {-1, -1, -1};
    pid_t pid;
    struct sigaction ignore = {.sa_handler = SIG_IGN}, old;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, &old);
    int ret = 0, status = 0, rc = spawn(program, &pid, &p);
    if (rc != 0) {
        ret = cc_error_set(err, CC_ERR_IO, NULL, 0, NULL,
                           rc == ENOENT ? "gnuplot not found: '%s' is not on PATH (install gnuplot-nox, "
                                          "e.g. with scripts/install-deps.sh)"
                                        : "cannot start gnuplot ('%s'): %s",
                           program, strerror(rc));
        goto out;
    }
    int pumped = pump(&p, script, &img, &msg);
    close_fd(&p.in);
    close_fd(&p.out);
    close_fd(&p.errp);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    char text[MESSAGE_KEEP];
    one_line(msg.data, text, sizeof text);
    if (pumped != 0)
        ret = cc_error_set(err, pumped, NULL, 0, NULL, "talking to gnuplot failed: %s", strerror(errno));
    else if (WIFSIGNALED(status))
        ret = cc_error_set(err, CC_ERR_IO, NULL, 0, NULL, "gnuplot was killed by signal %d%s%s", WTERMSIG(status),
                           *text ? ": " : "", text);
    else if (WEXITSTATUS(status) != 0)
        ret = cc_error_set(err, CC_ERR_IO, NULL, 0, NULL, "gnuplot failed (exit status %d): %s", WEXITSTATUS(status),
                           *text ? text : "no message");
    else if (img.len == 0)
        ret = cc_error_set(err, CC_ERR_IO, NULL, 0, NULL, "gnuplot wrote no image%s%s", *text ? ": " : "", text);
out:
    sigaction(SIGPIPE, &old, NULL);
    free(msg.data);
    if (ret == 0) {
        *image = img.data;
        *image_len = img.len;
    } else {
        free(img.data);
    }
    return ret;
}
