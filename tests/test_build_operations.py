"""The build as an operator meets it: two builds at once in one checkout, a build killed between
the two renames of its swap. Real `mkdocs build` processes on the small site."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

from conftest import GONGKAI, MKDOCS, mkdocs_build, run, run_env, tree_hashes


def start_build(site: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen([MKDOCS, "build", "-f", str(site / "mkdocs.yml")], cwd=site,
                            env=run_env(**env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def finish(proc: subprocess.Popen) -> tuple[int, str]:
    out, _ = proc.communicate(timeout=300)
    return proc.returncode, out.decode("utf-8", "replace")


def set_option(site: Path, plugin: str, **options) -> None:
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = config["plugins"]
    for i, entry in enumerate(plugins):
        name = entry if isinstance(entry, str) else next(iter(entry))
        if name == plugin:
            settings = {} if isinstance(entry, str) else dict(entry[name] or {})
            settings.update(options)
            plugins[i] = {name: settings}
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


# The first build holds site/'s lock until the test lets it swap: the second is then sure to find
# it taken, however slowly the machine starts processes (the test once raced them).
HOLD_BEFORE_SWAP = '''
import os, time
_replace, _held = os.replace, []
def replace(src, dst, *args, **kwargs):
    if not _held and (str(dst).endswith("site.previous") or str(src).endswith("site.building")):
        _held.append(1)
        deadline = time.monotonic() + 120
        while not os.path.exists(os.environ["GONGKAI_TEST_RELEASE"]) and time.monotonic() < deadline:
            time.sleep(0.05)
    return _replace(src, dst, *args, **kwargs)
os.replace = replace
'''


def opened(pid: int, path: Path) -> bool:
    """Whether process `pid` has `path` open (it is then trying to lock it)."""
    try:
        return any(os.path.realpath(f"/proc/{pid}/fd/{fd}") == str(path.resolve())
                   for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


def locked_by_another(path: Path) -> bool:
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_two_builds_at_once_are_serialised(small_site, tmp_path):
    """Both builds of one checkout write site.building: run together they made a site without
    index.html, both exiting 0. Now the second waits for the first, and says so."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HOLD_BEFORE_SWAP, encoding="utf-8")
    path = os.pathsep.join([str(hook), *filter(None, [os.environ.get("PYTHONPATH")])])
    lock = small_site / ".site.lock"
    for round_ in range(2):
        release = tmp_path / f"release-{round_}"
        first = start_build(small_site, PYTHONPATH=path, GONGKAI_TEST_RELEASE=str(release))
        wait_for(lambda: locked_by_another(lock))  # the first holds the lock, its swap held back
        second = start_build(small_site)
        wait_for(lambda: opened(second.pid, lock))  # the second is at the lock
        time.sleep(0.5)
        release.touch()
        (code1, out1), (code2, out2) = finish(first), finish(second)
        assert code1 == 0 and code2 == 0, out1[-2000:] + out2[-2000:]
        assert (small_site / "site" / "index.html").is_file()
        assert (small_site / "site" / "units" / "zrj" / "index.html").is_file()
        assert not (small_site / "site.building").exists()
        assert "is writing site/; waiting for it" in out2
    assert lock.is_file()


def test_a_build_gives_up_after_the_lock_wait_with_one_line(small_site):
    set_option(small_site, "gongkai/catalog", lock_wait=1)
    before = tree_hashes(small_site / "site")
    fd = os.open(small_site / ".site.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        started = time.monotonic()
        result = mkdocs_build(small_site)
        assert time.monotonic() - started < 60
    finally:
        os.close(fd)
    assert result.returncode == 1 and "Traceback" not in result.output
    assert "is still writing site/ after 1 s; this build stopped and wrote nothing" in result.output
    assert tree_hashes(small_site / "site") == before


KILL_BETWEEN_RENAMES = '''
import os, signal
_replace = os.replace
def replace(src, dst, *args, **kwargs):
    _replace(src, dst, *args, **kwargs)
    if str(dst).endswith("site.previous"):  # site/ moved aside, the new one not yet in
        os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace
'''


def test_a_build_killed_between_the_renames_is_recovered(small_site, tmp_path):
    before = tree_hashes(small_site / "site")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(KILL_BETWEEN_RENAMES, encoding="utf-8")
    path = os.pathsep.join([str(hook), *filter(None, [os.environ.get("PYTHONPATH")])])
    code, out = finish(start_build(small_site, PYTHONPATH=path))
    assert code == -9, out[-2000:]
    assert not (small_site / "site").exists() and (small_site / "site.previous").is_dir()

    # The next build fails on a content error: it must not claim what is false, and it restores.
    bad = small_site / "content" / "units" / "zrj" / "powers" / "XK-001.md"
    good = bad.read_text(encoding="utf-8")
    bad.write_text(good.replace("行政许可", "行政许可证"), encoding="utf-8")
    result = mkdocs_build(small_site)
    assert result.returncode == 1 and "Traceback" not in result.output
    assert "restored the last good one from site.previous/" in result.output
    assert "site/ was left as it was" in result.output
    assert tree_hashes(small_site / "site") == before and not (small_site / "site.previous").exists()

    bad.write_text(good, encoding="utf-8")
    assert mkdocs_build(small_site).returncode == 0
    assert (small_site / "site" / "index.html").is_file() and not (small_site / "site.previous").exists()


def test_a_failed_first_build_says_no_site_was_written(fresh_site):
    bad = fresh_site / "content" / "units" / "zrj" / "powers" / "XK-001.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("行政许可", "行政许可证"), encoding="utf-8")
    result = mkdocs_build(fresh_site)
    assert result.returncode == 1 and "no site/ was written" in result.output
    assert "was left as it was" not in result.output


def test_export_takes_no_lock_on_site(small_site, tmp_path):
    """The bundle is built in a temporary directory: a build holding site/ does not stop it."""
    fd = os.open(small_site / ".site.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = run([GONGKAI, "export", "-o", str(tmp_path / "out.zip")], cwd=small_site)
    finally:
        os.close(fd)
    assert result.returncode == 0, result.output[-2000:]
    assert (tmp_path / "out.zip").is_file()  # its content is tested in test_export.py


# --- pathological bodies: refused before they cost memory ----------------------------------------

MEASURED = ("import resource, subprocess, sys\n"
            "code = subprocess.run(sys.argv[1:], stdout=sys.stderr).returncode\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, code)\n")


def build_measured(site: Path) -> tuple[int, int, str]:
    """(exit status, peak memory in MB of the build and its helper process, output)."""
    proc = subprocess.run([sys.executable, "-c", MEASURED, MKDOCS, "build", "-f", str(site / "mkdocs.yml")],
                          cwd=site, env=run_env(), capture_output=True, timeout=600)
    megabytes, code = proc.stdout.decode().split()
    return int(code), int(megabytes), proc.stderr.decode("utf-8", "replace")


PARAGRAPH = "各股室：现将有关事项通知如下，请认真贯彻执行。"  # 23 characters


def set_body(site: Path, body: str) -> Path:
    doc = site / "content" / "units" / "zrj" / "documents" / "2021-gz.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("各股室：现将有关事项通知如下。", body), encoding="utf-8")
    return doc


def test_a_five_million_character_line_is_refused_with_its_place(fresh_site):
    set_body(fresh_site, PARAGRAPH * 220_000)  # 5,060,000 characters on one line
    code, megabytes, out = build_measured(fresh_site)
    assert code == 1 and "Traceback" not in out, out[-2000:]
    assert "2021-gz.md:7:200001: error: line is 5,060,000 characters long, over the limit of 200,000" in out
    assert megabytes < 400, f"{megabytes} MB"
    check = run([GONGKAI, "check", "--content", "content"], cwd=fresh_site)
    assert check.returncode == 1 and "over the limit of 200,000" in check.stdout


def test_a_body_at_the_limits_builds_in_bounded_memory(fresh_site):
    """Just under both limits: ~950,000 characters in lines of ~190,000."""
    line = PARAGRAPH * 8_200  # 188,600 characters
    set_body(fresh_site, "\n\n".join([line] * 5))
    code, megabytes, out = build_measured(fresh_site)
    assert code == 0, out[-2000:]
    assert megabytes < 600, f"{megabytes} MB"
