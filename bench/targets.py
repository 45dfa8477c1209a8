"""The performance targets, each a ratio to a limit measured in the same run or a latency at a
load set from that run's own maximum (docs/performance.md says why each limit is what it is).
bench/run prints them after a run and bench/table makes the README's table from them; both
read only a run's figures, so every verdict can be recomputed from bench/results/runs.jsonl.

targets(figures, cores) -> [{"target", "figure", "limit", "verdict"}], the verdict PASS, FAIL,
or "not measured" where the run recorded no figure or no limit for it (runs made before
the limits were recorded). The runs of other kinds have theirs: two_server_targets (a run
of `bench/run --servers 2`), seeded_targets (a run on a year of data beside the newest run
on an empty database) and soak_targets (a line of bench/results/soak.jsonl)."""

PROVIDERS = ("wompi", "stripe", "airwallex")
NOT_MEASURED = "not measured"


def _row(target, fn):
    try:
        figure, limit, ok = fn()
    except (KeyError, TypeError, ZeroDivisionError):
        return {"target": target, "figure": "—", "limit": "—", "verdict": NOT_MEASURED}
    return {"target": target, "figure": figure, "limit": limit, "verdict": "PASS" if ok else "FAIL"}


def _paced(f, prefix):
    return ("p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms"
            % (f[prefix + "p50_ms"], f[prefix + "p99_ms"], f[prefix + "p999_ms"]))


def hold_limit(f):
    """What PostgreSQL's hold insert alone (best client count) and httpd's cost of an answer of
    a hold's size (the in-memory baseline) allow together: each takes its share of the same
    cores, so a hold takes 1/a + 1/b of the machine's seconds."""
    return 1.0 / (1.0 / f["hold_insert_best_per_s"] + 1.0 / f["baseline_hold_size_rps"])


def approvals_allowed(f, provider, cores):
    """The approvals a second PostgreSQL's measured CPU per approval allows on the cores."""
    return cores * 1000.0 / f["webhook_%s_postgres_cpu_ms" % provider]


def _approval_bound(f, k):
    """What else shared the cores during the maximum: httpd's own CPU per approval, and the
    connections the maximum was found at (runs before these were recorded have neither)."""
    if k + "httpd_cpu_ms" not in f:
        return ""
    return "; httpd's CPU %.3f ms each; %d connections" % (f[k + "httpd_cpu_ms"], f[k + "clients"])


def _machine(f, prefix):
    """The machine's own p99 at the paced load's CPU use (bench/machine_probe.c), where the run
    measured it: the least any server could answer in on that machine at that CPU use, and the
    load's p99 as a multiple of it."""
    if prefix + "machine_p99_ms" not in f:
        return ""
    return ("; the machine alone at its CPU use (%.0f %% busy): p99 %.1f ms, the load's %.2f × it"
            % (f[prefix + "busy_pct"], f[prefix + "machine_p99_ms"],
               f[prefix + "p99_ms"] / max(0.01, f[prefix + "machine_p99_ms"])))


def targets(f, cores):
    rows = []

    def add(target, fn):
        rows.append(_row(target, fn))

    add("availability, cached: ≥ 90 % of the baseline, p99 ≤ 2 × the baseline's",
        lambda: ("%.1f %%, p99 %.1f ms" % (f["cached_pct_of_baseline"], f["cached_p99_ms"]),
                 "baseline p99 %.1f ms" % f["baseline_p99_ms"],
                 f["cached_pct_of_baseline"] >= 90 and f["cached_p99_ms"] <= 2 * f["baseline_p99_ms"]))
    add("availability, uncached: ≥ 75 % of the baseline, p99 ≤ 2 × the baseline's",
        lambda: ("%.1f %%, p99 %.1f ms" % (f["uncached_pct_of_baseline"], f["uncached_p99_ms"]),
                 "baseline p99 %.1f ms" % f["baseline_p99_ms"],
                 f["uncached_pct_of_baseline"] >= 75 and f["uncached_p99_ms"] <= 2 * f["baseline_p99_ms"]))
    add("first requests after a graceful restart: p99 ≤ 1.5 × the warm children's",
        lambda: ("p99 %.1f ms" % f["graceful_first_p99_ms"], "warm p99 %.1f ms" % f["graceful_warm_p99_ms"],
                 f["graceful_first_p99_ms"] <= 1.5 * f["graceful_warm_p99_ms"]
                 and not f.get("graceful_first_non_200")))
    add("holds: the maximum ≥ 70 % of what the insert alone and the baseline's HTTP allow",
        lambda: ("%.1f %%" % (100.0 * f["holds_max_per_s"] / hold_limit(f)),
                 "%.0f/s (insert alone %.0f/s at %d clients; baseline %.0f/s at a hold's size)"
                 % (hold_limit(f), f["hold_insert_best_per_s"], f["hold_insert_best_clients"],
                    f["baseline_hold_size_rps"]),
                 f["holds_max_per_s"] >= 0.7 * hold_limit(f)))
    add("holds at 50 % of the maximum: p99 ≤ 20 ms from the due time",
        lambda: (_paced(f, "holds_paced50_"), "%.0f/s asked%s; at 80 %%: p99 %.1f ms"
                 % (f["holds_paced50_asked_per_s"], _machine(f, "holds_paced50_"), f["holds_paced80_p99_ms"]),
                 f["holds_paced50_p99_ms"] <= 20))
    add("holds: no dropped connection, one winner per slot",
        lambda: ("%d dropped, %s" % (f["holds_socket_errors"], "one winner"
                                     if f["same_slot_one_winner"] and f["holds_no_overlap"] else "NOT one winner"),
                 "", f["holds_socket_errors"] == 0 and f["same_slot_one_winner"] and f["holds_no_overlap"]))
    add("a class's places and a series' occurrences: one winner per place under 200 clients",
        lambda: ("class %s, series %s" % tuple("one winner each" if f[k] else "NOT one winner"
                                               for k in ("same_class_one_winner_per_place",
                                                         "same_series_one_winner")),
                 "", f["same_class_one_winner_per_place"] and f["same_series_one_winner"]))
    for provider in PROVIDERS:
        name, k = provider.capitalize(), "webhook_%s_" % provider
        add("webhook approvals, %s: the maximum ≥ 85 %% of what PostgreSQL's CPU allows" % name,
            lambda k=k, p=provider: ("%.1f %%" % (100.0 * f[k + "per_s"] / approvals_allowed(f, p, cores)),
                                     "%.0f/s (%.3f ms of PostgreSQL's CPU each, %d cores)%s"
                                     % (approvals_allowed(f, p, cores), f[k + "postgres_cpu_ms"], cores,
                                        _approval_bound(f, k)),
                                     f[k + "per_s"] >= 0.85 * approvals_allowed(f, p, cores)))
        add("webhook approvals, %s, at 50 %% of the maximum: p99 ≤ 20 ms from the due time" % name,
            lambda k=k: (_paced(f, k + "paced50_"), "%.0f/s asked%s; at 80 %%: p99 %.1f ms"
                         % (f[k + "paced50_asked_per_s"], _machine(f, k + "paced50_"), f[k + "paced80_p99_ms"]),
                         f[k + "paced50_p99_ms"] <= 20))
    add("an approval costs PostgreSQL ≤ 3.5 × a hold's insert",
        lambda: ("%.2f ×" % (f["webhook_wompi_postgres_cpu_ms"] / f["hold_insert_cpu_ms"]),
                 "%.3f ms per approval (Wompi), %.3f ms per insert alone (%d clients)"
                 % (f["webhook_wompi_postgres_cpu_ms"], f["hold_insert_cpu_ms"], f["hold_insert_cpu_clients"]),
                 f["webhook_wompi_postgres_cpu_ms"] <= 3.5 * f["hold_insert_cpu_ms"]))
    add("the merchants' figures: a refresh of a 79,000-booking day ≤ 5 % of recomputing it",
        lambda: ("%.2f %% (%.1f ms after a minute's %s)"
                 % (100.0 * f["figures_refresh_ms"] / f["figures_full_day_ms"], f["figures_refresh_ms"],
                    "60 bookings"),
                 "the day computed whole: %.1f ms (%d bookings)" % (f["figures_full_day_ms"],
                                                                   f["figures_day_bookings"]),
                 f["figures_refresh_ms"] <= 0.05 * f["figures_full_day_ms"]))
    return rows


# The cores are the bound of a load when they were at least this busy (share of all their time)
CORES_BOUND_PCT = 90


def two_server_targets(f):
    rows = []

    def add(target, fn):
        rows.append(_row(target, fn))

    add("two servers on one database: a hold on one is gone from the other's answers, p99 ≤ 50 ms",
        lambda: ("p99 %.1f ms (median %.1f ms)" % (f["cross_server_hold_p99_ms"], f["cross_server_hold_median_ms"]),
                 "", f["cross_server_hold_p99_ms"] <= 50))

    def scaling():
        one, two = f["two_servers_holds_1_per_s"], f["two_servers_holds_2_per_s"]
        busy, cpu = f["two_servers_busy_1_pct"], f["two_servers_cpu_1"]
        bound = busy >= CORES_BOUND_PCT
        where = ("the cores are the bound: %.0f %% busy with one server (%% of a core: %s)"
                 % (busy, ", ".join("%s %.0f" % kv for kv in sorted(cpu.items()))))
        if not bound:
            where = where.replace("the cores are the bound", "the cores are not the bound")
        # where the cores already bind one server, a second one can only share them: it must
        # not cost what it cannot add
        return ("%.2f × (%.0f holds/s on one, %.0f on two)" % (two / one, one, two), where,
                two / one >= (0.9 if bound else 1.6))
    add("two servers: summed holds ≥ 1.6 × one server's where the cores are not the bound"
        " (where they are: ≥ 0.9 ×)", scaling)
    return rows


# The figures a year of data may not worsen by more than 10 %: (what, how it reads from a
# run's figures, 1 when more is better or -1 when less is)
SEEDED_FIGURES = (
    ("availability cached, % of the baseline", lambda f, c: f["cached_pct_of_baseline"], 1),
    ("availability uncached, % of the baseline", lambda f, c: f["uncached_pct_of_baseline"], 1),
    ("holds' maximum, % of its limit", lambda f, c: f["holds_max_per_s"] / hold_limit(f), 1),
    ("holds at 50 %, p50", lambda f, c: f["holds_paced50_p50_ms"], -1),
) + tuple(("approvals %s, %% of what PostgreSQL's CPU allows" % p.capitalize(),
           lambda f, c, p=p: f["webhook_%s_per_s" % p] / approvals_allowed(f, p, c), 1)
          for p in PROVIDERS)


def seeded_targets(seeded, empty, cores):
    """A run on a year of data (`seeded`) beside one on an empty database (`empty`)."""
    rows = []

    def add(target, fn):
        rows.append(_row(target, fn))

    def within():
        worst, name = None, None
        for what, read, better in SEEDED_FIGURES:
            change = read(seeded, cores) / read(empty, cores) - 1.0
            loss = -change * better
            if worst is None or loss > worst:
                worst, name = loss, what
        return ("at worst %s: %+.1f %%" % (name, -100.0 * worst), "the empty database's figures",
                worst <= 0.10)
    add("with a year of data: every figure within 10 % of the empty database's", within)
    add("the hourly purge and retention on a year of data: each look ≤ 10 ms",
        lambda: ("purge %.1f ms, retention %.1f ms, abandoned bookings %.1f ms"
                 % (seeded["hourly_purge_hold_leftovers_ms"], seeded["hourly_retention_expired_ms"],
                    seeded["hourly_retention_abandoned_ms"]), "",
                 max(seeded["hourly_purge_hold_leftovers_ms"], seeded["hourly_retention_expired_ms"],
                     seeded["hourly_retention_abandoned_ms"]) <= 10))
    return rows


def soak_targets(soak):
    """A line of bench/results/soak.jsonl (bench/run soak)."""
    return [_row("a %d-minute soak of mixed traffic: no child grows more than 2 MB after its warm-up"
                 % round(soak["seconds"] / 60),
                 lambda: ("at most %.1f MB (its own %.1f MB, shared caches %.1f MB); %d error lines"
                          % (soak["largest_growth_kb"] / 1024.0, soak["largest_private_growth_kb"] / 1024.0,
                             soak["largest_shared_growth_kb"] / 1024.0, soak["error_lines"]),
                          "", soak["largest_growth_kb"] <= 2048 and soak["error_lines"] == 0))]
