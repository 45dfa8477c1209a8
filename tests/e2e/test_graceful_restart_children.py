"""A graceful restart's new children start as the old ones exit: Apache's parent is woken
by each child's exit (a SIGCHLD handler that does nothing; by default the signal does not
end the parent's one-second sleep between its looks for exited children). It is set only
where the scoreboard has a free slot for every child the server runs at most, which the
parent then fills with the new generation at once; without them the parent keeps its own
pace. Children keep SIGCHLD's default. And the server's count of its children stays right
across restarts: every request answered, as many children as it starts, none of an earlier
generation left, no child Apache does not know of."""
import os
import signal
import time

from conftest import render_conf, start_extra_httpd
from test_availability_cache_restart import children, restart_gracefully


def catches_sigchld(pid):
    """Whether process `pid` has a handler for SIGCHLD (the SigCgt mask of /proc)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("SigCgt:"):
                return bool(int(line.split()[1], 16) & (1 << (signal.SIGCHLD - 1)))
    raise AssertionError("no SigCgt in /proc/%d/status" % pid)


def parent_of(extra):
    with open(extra.pidfile) as f:
        return int(f.read().strip())


def restarted_with_four_children(extra):
    """A graceful restart, once every child of before it has exited and four children run:
    those four."""
    parent = parent_of(extra)
    restart_gracefully(extra)
    deadline = time.time() + 30
    while len(children(parent)) != 4:
        assert time.time() < deadline, "children after the restart: %s" % children(parent)
        time.sleep(0.05)
    return children(parent)


def test_the_parent_is_woken_by_a_childs_exit_and_its_children_are_not():
    # the stack's layout: four children of 200 threads, ServerLimit 8
    with start_extra_httpd() as extra:
        parent = parent_of(extra)
        assert catches_sigchld(parent)
        kids = children(parent)
        assert len(kids) == 4
        assert not any(catches_sigchld(k) for k in kids)
        # and again once the module was unloaded and loaded by a restart
        kids = restarted_with_four_children(extra)
        assert catches_sigchld(parent)
        assert not any(catches_sigchld(k) for k in kids)


def test_without_free_slots_for_a_new_generation_the_parent_keeps_apaches_pace():
    conf = render_conf({"ServerLimit": "    ServerLimit 4"})
    with start_extra_httpd(conf) as extra:
        parent = parent_of(extra)
        assert len(children(parent)) == 4
        assert not catches_sigchld(parent)
        assert extra.api().get("/api/health").status_code == 200


def test_restarts_in_a_row_leave_the_servers_children_as_they_were():
    with start_extra_httpd() as extra:
        parent = parent_of(extra)
        c = extra.api()
        for _ in range(4):
            kids = restarted_with_four_children(extra)
            assert c.get("/api/health").status_code == 200
        # no child the parent lost count of ("long lost child came home"), none ended by a signal
        lines = extra.error_lines()
        assert not [l for l in lines if "AH00488" in l or "AH00052" in l], lines[-20:]
        assert all(os.path.exists("/proc/%d" % k) for k in kids)
