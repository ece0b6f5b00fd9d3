/* Shared by the libFuzzer targets (make fuzz): a private folder for the files an input becomes,
 * made once per process, with `data` linked to the project's scenarios/data so shipped scenarios
 * mutated by the fuzzer still find their tables. */
#ifndef CARECAST_FUZZ_COMMON_H
#define CARECAST_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *fuzz_dir(void)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/carecast-fuzz-XXXXXX");
        if (!mkdtemp(dir))
            abort();
        const char *data = getenv("CARECAST_DATA"); /* scenarios/data, set by make fuzz */
        if (data) {
            char link[128];
            snprintf(link, sizeof link, "%s/data", dir);
            if (symlink(data, link) != 0)
                abort();
        }
    }
    return dir;
}

/* Write size bytes to dir/name; returns the path (static storage, one per name slot). */
static const char *fuzz_file(const char *name, const uint8_t *bytes, size_t size)
{
    static char paths[4][256];
    static int next;
    char *path = paths[next++ % 4];
    snprintf(path, 256, "%s/%s", fuzz_dir(), name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, size, f) != size || fclose(f) != 0)
        abort();
    return path;
}

#endif
