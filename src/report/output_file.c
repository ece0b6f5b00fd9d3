/* An output file written whole or not at all (report.h: cc_output_write): a temporary file
 * beside the target, filled, flushed, renamed over it. The charts, the CSV export, the HTML
 * report and the regions table all go through here. */
#include "carecast/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cc_output_write(const char *path, int sync, cc_output_fill fill, void *user, cc_error *err)
{
    const char *slash = strrchr(path, '/');
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    snprintf(tmp, n, "%.*s.%s.tmp-XXXXXX", slash ? (int)(slash - path + 1) : 0, path, slash ? slash + 1 : path);
    int fd = mkstemp(tmp), rc = 0;
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        rc = cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot create a temporary file beside it (%s); an existing "
                          "file is left as it was", strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return rc;
    }
    if (fchmod(fd, 0644) != 0) {
        rc = cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot set the mode of its temporary file (%s); an "
                          "existing file is left as it was", strerror(errno));
        fclose(f);
        unlink(tmp);
        free(tmp);
        return rc;
    }
    errno = 0;
    rc = fill(f, user, err);
    int saved = ferror(f) ? errno : 0; /* why a write inside fill failed (a full disk, say) */
    errno = 0;
    int written = fflush(f) == 0 && !ferror(f) && (!sync || fsync(fd) == 0);
    saved = saved ? saved : errno;
    written = fclose(f) == 0 && written;
    if (!rc && !written)
        rc = cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot write it (%s); an existing file is left as it was",
                          strerror(saved ? saved : errno ? errno : EIO));
    if (!rc && rename(tmp, path) != 0)
        rc = cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot move the finished file into place (%s); an "
                          "existing file is left as it was", strerror(errno));
    if (rc)
        unlink(tmp);
    free(tmp);
    return rc;
}
