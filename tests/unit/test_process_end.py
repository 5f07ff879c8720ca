"""The `catalogctl` program ends without the interpreter's teardown (cli/process_end.py), but only where
nothing can tell: the status, every line written and the atexit handlers are kept, and anything the
teardown would still do (close a SQLite connection or a file, wait for a thread, write a profile) takes
the normal exit instead."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogctl.cli import main

ROOT = Path(__file__).resolve().parents[2]
# Standard streams buffered, as they are by default (not PYTHONUNBUFFERED, which this environment sets).
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}, "PYTHONPATH": str(ROOT)}

# A module-level object whose finalizer runs only in the interpreter's teardown: the witness.
_WITNESS = """
import sys
class Witness:
    def __del__(self):
        sys.stderr.write("teardown ran\\n")
witness = Witness()
"""
_SCRIPT = _WITNESS + """
import atexit
atexit.register(lambda: sys.stderr.write("atexit ran\\n"))
{setup}
print("x" * 100_000)   # more than a pipe's buffer: its end is still in stdout's buffer when the process ends
from catalogctl.cli.process_end import end_process
end_process({status}, sys._getframe())
sys.stderr.write("normal exit\\n")
sys.exit({status})
"""


def _ended(setup: str = "", status: str = "3", tmp_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _SCRIPT.format(setup=setup, status=status)], capture_output=True,
                          text=True, env=ENV, cwd=tmp_path, stdin=subprocess.DEVNULL, check=False, timeout=60)


def test_the_status_the_output_and_the_atexit_handlers_are_kept_and_the_teardown_skipped() -> None:
    done = _ended()
    assert done.returncode == 3
    assert done.stdout == "x" * 100_000 + "\n"
    assert done.stderr == "atexit ran\n"   # no "normal exit", no "teardown ran"


@pytest.mark.parametrize("setup", [
    "import sqlite3; connection = sqlite3.connect('store.sqlite')",
    "log = open('log.txt', 'w'); log.write('kept')",
    "import threading, time; threading.Thread(target=time.sleep, args=(2,)).start()",
    "sys.setprofile(lambda *args: None)",
    "import sys; sys.modules['coverage'] = sys",
    "import gc; gc.freeze()",
], ids=["sqlite-connection", "open-file", "running-thread", "profiler", "coverage", "frozen-objects"])
def test_whatever_the_teardown_still_has_to_do_takes_the_normal_exit(setup: str, tmp_path: Path) -> None:
    done = _ended(setup, tmp_path=tmp_path)
    assert done.returncode == 3, done.stderr
    assert done.stdout == "x" * 100_000 + "\n"
    assert "normal exit\natexit ran\n" in done.stderr
    if "log.txt" in setup:
        assert (tmp_path / "log.txt").read_text() == "kept"


def test_a_thread_ending_a_moment_later_is_waited_for_and_the_teardown_still_skipped() -> None:
    """As the embedded sandbox's AnyIO workers do on a busy machine: the thread ends within the wait, its
    last words come before the atexit handlers' (the order of a normal exit), and there is no teardown."""
    setup = ("import threading, time\n"
             "threading.Thread(target=lambda: (time.sleep(0.15), sys.stderr.write('thread ended\\n'))).start()")
    done = _ended(setup)
    assert done.returncode == 3, done.stderr
    assert done.stdout == "x" * 100_000 + "\n"
    assert done.stderr == "thread ended\natexit ran\n"


def test_a_message_status_takes_the_normal_exit() -> None:
    done = _ended(status="'the message'")
    assert done.returncode == 1
    assert "normal exit\nthe message\natexit ran\n" in done.stderr


def test_a_stdout_nobody_reads_takes_the_normal_exit() -> None:
    """`catalogctl plan | head -1`: the last flush fails, and Python's own exit reports it (status 120)."""
    script = _SCRIPT.format(setup="", status="0").replace('print("x" * 100_000)', 'print("x")')
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, env=ENV, text=True)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()   # long before the child's first flush: it is still importing
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 120, stderr
    assert "normal exit\natexit ran\n" in stderr and "BrokenPipeError" in stderr


def test_the_program_keeps_its_exit_codes_and_its_output() -> None:
    """`python -m catalogctl` (the console script's run()) against in-process main.cli: same code, same text."""
    for args in (["--version"], ["schema"], ["no-such-command"], ["validate", str(ROOT / "examples" / "pod-store")]):
        done = subprocess.run([sys.executable, "-m", "catalogctl", *args], capture_output=True, text=True, env=ENV,
                              stdin=subprocess.DEVNULL, check=False, timeout=120)
        in_process = CliRunner().invoke(main.cli, args, prog_name="catalogctl")
        assert done.returncode == in_process.exit_code, (args, done.stderr)
        assert done.stdout == in_process.stdout, args


def test_a_profiled_run_still_writes_its_profile(tmp_path: Path) -> None:
    profile = tmp_path / "run.prof"
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "catalogctl", "--version"],
                          capture_output=True, text=True, env=ENV, stdin=subprocess.DEVNULL, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert profile.stat().st_size > 0


def test_a_signal_while_the_process_ends_waits_and_is_not_a_traceback() -> None:
    """SIGINT, SIGTERM and SIGHUP are held back while the process ends: here one arrives from an atexit handler."""
    setup = "import os, signal; atexit.register(lambda: os.kill(os.getpid(), signal.SIGINT))"
    done = _ended(setup)
    assert done.returncode == 3, done.stderr
    assert done.stderr == "atexit ran\n"


def test_a_caller_that_runs_the_program_in_its_own_process_goes_on_after_it(tmp_path: Path) -> None:
    """runpy.run_module (or a debugger) runs catalogctl's __main__ inside another program: that one goes on."""
    code = ("import runpy, sys\n"
            "for args in (['--version'], ['validate', sys.argv[1]]):\n"
            "    sys.argv = ['catalogctl', *args]\n"
            "    try:\n"
            "        runpy.run_module('catalogctl', run_name='__main__')\n"
            "    except SystemExit as done:\n"
            "        print('caller goes on after', args[0], done.code)\n")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT / "examples" / "pod-store")], capture_output=True,
                          text=True, env=ENV, cwd=tmp_path, stdin=subprocess.DEVNULL, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "caller goes on after --version 0" in done.stdout
    assert "caller goes on after validate 0" in done.stdout


def _witnessed_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a program whose teardown says so: sitecustomize makes the witness first."""
    (tmp_path / "sitecustomize.py").write_text(_WITNESS)
    return {**ENV, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}


def test_the_program_itself_ends_without_the_teardown(tmp_path: Path) -> None:
    """`python -m catalogctl` (runpy above the program's __main__) takes the fast end: the witness, made
    by sitecustomize before the program starts, is never finalized."""
    env = _witnessed_env(tmp_path)
    for args in (["validate", str(ROOT / "examples" / "pod-store")], ["--version"]):
        done = subprocess.run([sys.executable, "-m", "catalogctl", *args], capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL, check=False, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "teardown ran" not in done.stderr, args
    # The witness does speak when the interpreter tears down, as after a plain Python program:
    plain = subprocess.run([sys.executable, "-c", "import catalogctl"], capture_output=True, text=True, env=env,
                           stdin=subprocess.DEVNULL, check=False, timeout=120)
    assert plain.returncode == 0 and "teardown ran" in plain.stderr, plain.stderr


def test_an_apply_to_the_embedded_sandbox_closes_its_store_and_ends_fast(tmp_path: Path) -> None:
    """The embedded sandbox's SQLite connections close with the provider: the WAL is folded back into the
    database file before the program ends, and nothing is left open to keep the teardown."""
    catalog = tmp_path / "shop"
    shutil.copytree(ROOT / "examples" / "pod-store", catalog, ignore=shutil.ignore_patterns(".catalogctl"))
    done = subprocess.run([sys.executable, "-m", "catalogctl", "apply", str(catalog), "--auto-approve"],
                          capture_output=True, text=True, env=_witnessed_env(tmp_path), stdin=subprocess.DEVNULL,
                          check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "teardown ran" not in done.stderr
    assert sorted(path.name for path in (catalog / ".catalogctl").glob("sandbox.sqlite*")) == ["sandbox.sqlite"]
