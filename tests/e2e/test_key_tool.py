"""konfirmado-key makes the key KonfirmadoKeyFile names: 32 random bytes, mode 0640, group
www-data when it exists, and never overwrites a file (the key alone opens what it sealed)."""
import grp
import hashlib
import os
import stat
import subprocess
from pathlib import Path

from conftest import configtest, render_conf, _scratch_dir

TOOL = str(Path(__file__).resolve().parents[2] / "tools" / "konfirmado-key")


def make_key(path):
    return subprocess.run([TOOL, path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=30)


def test_a_new_key_is_32_random_bytes_others_cannot_read():
    d = _scratch_dir("keytool-")
    first, second = os.path.join(d, "a.key"), os.path.join(d, "b.key")
    assert make_key(first).returncode == 0 and make_key(second).returncode == 0
    for path in (first, second):
        st = os.stat(path)
        assert st.st_size == 32
        assert stat.S_IMODE(st.st_mode) == 0o640
        try:
            assert st.st_gid == grp.getgrnam("www-data").gr_gid
        except KeyError:
            pass                        # no www-data group: the owner's group stays
    with open(first, "rb") as a, open(second, "rb") as b:
        assert a.read() != b.read()
    # the module takes it as it is
    code, out = configtest(render_conf({"KonfirmadoKeyFile": "KonfirmadoKeyFile " + first}))
    assert code == 0, out


def test_an_existing_file_is_never_overwritten():
    d = _scratch_dir("keytool-")
    path = os.path.join(d, "master.key")
    assert make_key(path).returncode == 0
    with open(path, "rb") as f:
        before = hashlib.sha256(f.read()).hexdigest()
    again = make_key(path)
    assert again.returncode == 1
    assert "never overwritten" in again.stderr and path in again.stderr
    with open(path, "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == before
    # nor a symbolic link, wherever it points
    link = os.path.join(d, "link.key")
    os.symlink(os.path.join(d, "elsewhere"), link)
    assert make_key(link).returncode == 1
    assert not os.path.exists(os.path.join(d, "elsewhere"))


def test_usage_errors():
    for args in ([], ["a", "b"], ["--force"]):
        p = subprocess.run([TOOL] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=30)
        assert p.returncode == 2 and "usage" in p.stderr
