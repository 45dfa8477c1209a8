#ifndef KF_BENCH_BASELINE_H
#define KF_BENCH_BASELINE_H
/* The benchmark's baseline (KonfirmadoBenchBaseline): the size of the body a request asks
 * for, which the module answers from memory with no application work. */

/* The largest body asked for (an availability answer of 14 days is about 50 KB). */
#define KF_BENCH_BASELINE_MAX_BYTES (1024 * 1024)

/* The query string's ?bytes=N, 1 to KF_BENCH_BASELINE_MAX_BYTES; 0 when absent (NULL), of
 * another parameter, or not such a whole number. */
long kf_bench_baseline_bytes(const char *query);

#endif
