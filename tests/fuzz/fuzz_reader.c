/* libFuzzer target: a results file through the reader (carecast/reader.h): open, list every
 * dataset, read each with its axes and its units attribute. Seeds: small results files written
 * by carecast (make fuzz writes them). A crash inside libhdf5 itself on corrupted bytes is
 * recorded in the README with its input, not chased. */
#include "fuzz_common.h"

#include "carecast/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("r.h5", data, size);
    cc_reader *reader;
    cc_error err;
    if (cc_reader_open(&reader, path, &err) != 0)
        return 0;
    int n = cc_reader_count(reader);
    for (int i = 0; i < n && i < 200; i++) {
        const char *name = cc_reader_path(reader, i);
        cc_read_dataset d;
        if (cc_reader_read(reader, name, &d, &err) == 0)
            cc_read_dataset_free(&d);
        cc_read_attribute a;
        if (cc_reader_attribute(reader, name, "units", &a, &err) == 0)
            free(a.string);
    }
    cc_reader_close(reader);
    return 0;
}
