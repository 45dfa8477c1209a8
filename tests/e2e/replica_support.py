"""A hot standby of the stack's cluster for a test or a benchmark: pg_basebackup of it, on a
port of its own, streaming from it (asynchronously: the stack's cluster names no synchronous
standby), stopped and deleted after."""
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time

from conftest import psql, read_stack_env

PGBIN = "/usr/lib/postgresql/15/bin"


def as_postgres(cmd):
    """PostgreSQL refuses to run as root: as the postgres user then."""
    return (["runuser", "-u", "postgres", "--"] + cmd) if os.getuid() == 0 else cmd


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def on_standby(port, sql):
    return subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                           "-p", str(port), "-U", "konfirmado", "-d", "konfirmado", "-c", sql],
                          check=True, stdout=subprocess.PIPE, text=True).stdout.strip()


@contextlib.contextmanager
def standby():
    """A hot standby of the stack's cluster on its own port, streaming; stopped after."""
    stack = read_stack_env()
    home = tempfile.mkdtemp(prefix="kf-standby-")
    data = os.path.join(home, "data")
    if os.getuid() == 0:
        shutil.chown(home, "postgres", "postgres")
    os.chmod(home, 0o700)
    port = free_port()
    subprocess.run(as_postgres([PGBIN + "/pg_basebackup", "-h", "127.0.0.1", "-p",
                                stack["KF_PGPORT"], "-U", "postgres", "-D", data, "-R",
                                "-X", "stream", "-c", "fast"]),
                   check=True, cwd="/", stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    options = "-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c hot_standby=on" % port
    subprocess.run(as_postgres([PGBIN + "/pg_ctl", "-D", data, "-l", os.path.join(home, "log"),
                                "-w", "-t", "60", "-o", options, "start"]),
                   check=True, cwd="/", stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        yield port
    finally:
        subprocess.run(as_postgres([PGBIN + "/pg_ctl", "-D", data, "-m", "immediate", "-w",
                                    "stop"]), cwd="/", stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
        shutil.rmtree(home, ignore_errors=True)


def caught_up(port):
    """Waits until the standby replayed what the primary wrote so far."""
    lsn = psql("SELECT pg_current_wal_lsn()")
    deadline = time.time() + 30
    while on_standby(port, "SELECT pg_last_wal_replay_lsn() >= '%s'::pg_lsn" % lsn) != "t":
        assert time.time() < deadline, "the standby does not catch up"
        time.sleep(0.05)
