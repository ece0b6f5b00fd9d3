/* Where a results file (or another command's output file: a report) may go (README,
 * "Reliability"): checked before any replication runs, so a run is never thrown away at its end
 * for a bad -o, and nothing but a regular file (or nothing) is ever replaced:
 *  - the path must be non-empty, must not end in '/', and its temporary name (".NAME.tmp-PID-
 *    XXXXXX" beside it) must fit the system's name and path limits;
 *  - its folder must exist and be writable;
 *  - if it exists, it must be a regular file (not a directory, device node, FIFO, socket or
 *    symbolic link: the final rename would replace the link itself, or turn a device into a
 *    file), and not one of the run's own inputs (same device and inode).
 * Temporary files of earlier runs that were killed before they could clean up are removed when
 * their owner process is gone and they are older than this run: only names of our own
 * pattern for this target are touched. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>

#include "carecast/results.h"

/* The folder and the file name of path (folder "." when there is no slash). */
static int split_path(const char *path, char *dir, size_t dir_size, const char **name)
{
    const char *slash = strrchr(path, '/');
    *name = slash ? slash + 1 : path;
    size_t len = slash ? (slash == path ? 1 : (size_t)(slash - path)) : 1;
    if (len >= dir_size)
        return -1;
    if (slash)
        memcpy(dir, path, len);
    else
        dir[0] = '.';
    dir[len] = '\0';
    return 0;
}

void cc_results_library_prepare(void)
{
    H5dont_atexit();
}

int cc_results_temp_name(const char *path, char *out, size_t size)
{
    char dir[PATH_MAX];
    const char *name;
    if (split_path(path, dir, sizeof dir, &name) != 0)
        return -1;
    int n = snprintf(out, size, "%s/.%s.tmp-%ld-XXXXXX", dir, name, (long)getpid());
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Remove ".NAME.tmp-PID-XXXXXX" files in dir whose process is gone and that are older than
 * `before`. Best effort: a file that cannot be removed is left. */
static void remove_stale_temps(const char *dir, const char *name, time_t before)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t prefix_len = strlen(name) + 6; /* "." NAME ".tmp-" */
    char *prefix = malloc(prefix_len + 1);
    if (!prefix) {
        closedir(d);
        return;
    }
    snprintf(prefix, prefix_len + 1, ".%s.tmp-", name);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, prefix_len) != 0)
            continue;
        char *end;
        long pid = strtol(e->d_name + prefix_len, &end, 10);
        if (end == e->d_name + prefix_len || *end != '-' || strlen(end + 1) != 6 || pid <= 0)
            continue; /* not our pattern */
        if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* its owner may still be writing it */
        char full[PATH_MAX];
        struct stat st;
        if (snprintf(full, sizeof full, "%s/%s", dir, e->d_name) >= (int)sizeof full)
            continue;
        /* a dead owner's file, up to this second: a run streams into its temporary file from
         * its start, so one killed a moment ago leaves a file of this very second */
        if (lstat(full, &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime <= before)
            unlink(full);
    }
    free(prefix);
    closedir(d);
}

int cc_results_check_target(const char *path, const char *const *inputs, int ninputs, cc_error *err)
{
    char dir[PATH_MAX], temp[PATH_MAX + 64];
    const char *name;
    struct stat st, in;
    if (!path || !path[0])
        return cc_error_set(err, CC_ERR_USAGE, "command line", 0, "output", "the output file name is empty");
    if (split_path(path, dir, sizeof dir, &name) != 0 || !name[0])
        return cc_error_set(err, CC_ERR_USAGE, path, 0, "output",
                            "names a folder, not a file: give the output file's name");
    long name_max = pathconf(dir, _PC_NAME_MAX);
    if (name_max <= 0)
        name_max = NAME_MAX;
    /* the temporary name is the longest: "." NAME ".tmp-" PID "-XXXXXX" */
    if ((long)strlen(name) + 32 > name_max || cc_results_temp_name(path, temp, PATH_MAX) != 0)
        return cc_error_set(err, CC_ERR_USAGE, path, 0, "output",
                            "the file name is too long (at most %ld characters here, with room for the "
                            "temporary name it is written under)", name_max - 32);
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return cc_error_set(err, CC_ERR_IO, path, 0, "output", "output folder '%s' does not exist", dir);
    if (access(dir, W_OK | X_OK) != 0)
        return cc_error_set(err, CC_ERR_IO, path, 0, "output", "output folder '%s' is not writable", dir);
    if (lstat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return cc_error_set(err, CC_ERR_USAGE, path, 0, "output", "is a folder: give the output file's name");
        if (S_ISLNK(st.st_mode))
            return cc_error_set(err, CC_ERR_USAGE, path, 0, "output",
                                "is a symbolic link: the output replaces its target's name by rename, "
                                "so give the real path");
        if (!S_ISREG(st.st_mode))
            return cc_error_set(err, CC_ERR_USAGE, path, 0, "output",
                                "is not a regular file (a device, FIFO or socket); it is never replaced");
        for (int i = 0; i < ninputs; i++)
            if (inputs[i] && stat(inputs[i], &in) == 0 && in.st_dev == st.st_dev && in.st_ino == st.st_ino)
                return cc_error_set(err, CC_ERR_USAGE, path, 0, "output",
                                    "is one of this command's inputs (%s): choose another output file", inputs[i]);
    } else if (errno != ENOENT) {
        return cc_error_set(err, CC_ERR_IO, path, 0, "output", "cannot inspect: %s", strerror(errno));
    }
    remove_stale_temps(dir, name, time(NULL));
    return 0;
}
