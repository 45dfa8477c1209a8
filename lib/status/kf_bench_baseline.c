/* What the benchmark's baseline is asked for: see kf_bench_baseline.h. */
#include "kf_bench_baseline.h"

#include <stdlib.h>
#include <string.h>

long kf_bench_baseline_bytes(const char *query)
{
    if (!query || strncmp(query, "bytes=", 6) != 0) {
        return 0;
    }
    char *end = NULL;
    long n = strtol(query + 6, &end, 10);
    if (end == query + 6 || *end != '\0' || n < 1 || n > KF_BENCH_BASELINE_MAX_BYTES) {
        return 0;
    }
    return n;
}
