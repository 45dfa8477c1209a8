/* The machine's own latency at a given CPU use, with no server, no database and no network:
 * one thread per core, each doing a fixed unit of arithmetic at a steady pace (open loop, like
 * bench/paced.lua's requests), the units together keeping BUSY % of the machine's cores busy.
 * A unit's latency runs from its due time to its end, so a unit that waits for the machine
 * counts that wait, and so do the units due behind it. On a machine that is never paused
 * the p99 stays near one unit; a virtual machine whose host takes its cores away for tens of
 * milliseconds now and then (more often the busier it is) shows those pauses here, and no
 * server measured on it at that CPU use can answer faster (docs/performance.md).
 *
 *   machine_probe SECONDS BUSY_PCT [UNIT_US]    prints one JSON line
 *
 * The unit is counted in iterations measured at the start (the fastest of several short
 * timings), not in time, so that a slowed machine makes the units late instead of short. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Arithmetic the compiler cannot drop: the result is kept in a volatile. */
static void work(unsigned long iterations)
{
    static volatile unsigned long sink;
    unsigned long x = sink | 1;
    for (unsigned long i = 0; i < iterations; i++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
    }
    sink = x;
}

/* Iterations a microsecond, the fastest of several timings of 20 ms. */
static double iterations_per_us(void)
{
    const unsigned long n = 2000000;
    double best = 0;
    for (int i = 0; i < 15; i++) {
        double t0 = now_s();
        work(n);
        double rate = (double)n / ((now_s() - t0) * 1e6);
        if (rate > best) {
            best = rate;
        }
    }
    return best;
}

typedef struct probe {
    double start, period_s;
    unsigned long unit;
    double *latency_ms;  /* one per unit, owned by main */
    size_t n;
} probe;

static void sleep_until(double due)
{
    double left = due - now_s();
    if (left > 0) {
        struct timespec s = {(time_t)left, (long)((left - (double)(time_t)left) * 1e9)};
        nanosleep(&s, NULL);
    }
}

static void *run(void *arg)
{
    probe *p = arg;
    for (size_t i = 0; i < p->n; i++) {
        double due = p->start + (double)i * p->period_s;
        sleep_until(due);
        work(p->unit);
        p->latency_ms[i] = (now_s() - due) * 1000.0;
    }
    return NULL;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: machine_probe SECONDS BUSY_PCT [UNIT_US]\n");
        return 2;
    }
    double seconds = atof(argv[1]), busy = atof(argv[2]) / 100.0;
    double unit_us = argc > 3 ? atof(argv[3]) : 500;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (seconds <= 0 || busy <= 0 || busy > 1 || unit_us <= 0 || cores < 1) {
        fprintf(stderr, "machine_probe: SECONDS > 0, 0 < BUSY_PCT <= 100, UNIT_US > 0\n");
        return 2;
    }
    double speed = iterations_per_us();
    double period_s = unit_us / 1e6 / busy;
    size_t n = (size_t)(seconds / period_s);
    probe *probes = calloc((size_t)cores, sizeof(*probes));
    double *all = calloc(n * (size_t)cores, sizeof(*all));
    pthread_t *threads = calloc((size_t)cores, sizeof(*threads));
    if (!probes || !all || !threads || n == 0) {
        fprintf(stderr, "machine_probe: out of memory\n");
        return 1;
    }
    double start = now_s() + 0.05;
    for (long c = 0; c < cores; c++) {
        /* the threads' units interleaved, not due at the same instants */
        probes[c] = (probe){start + period_s * (double)c / (double)cores, period_s,
                            (unsigned long)(unit_us * speed), all + (size_t)c * n, n};
        if (pthread_create(&threads[c], NULL, run, &probes[c]) != 0) {
            fprintf(stderr, "machine_probe: no thread\n");
            return 1;
        }
    }
    for (long c = 0; c < cores; c++) {
        pthread_join(threads[c], NULL);
    }
    size_t total = n * (size_t)cores;
    qsort(all, total, sizeof(*all), by_value);
    printf("{\"busy_pct\": %.1f, \"cores\": %ld, \"unit_us\": %.0f, \"units\": %zu, "
           "\"p50_ms\": %.2f, \"p99_ms\": %.2f, \"p999_ms\": %.2f, \"max_ms\": %.2f}\n",
           busy * 100.0, cores, unit_us, total, all[total / 2], all[total * 99 / 100],
           all[total * 999 / 1000], all[total - 1]);
    free(threads);
    free(all);
    free(probes);
    return 0;
}
