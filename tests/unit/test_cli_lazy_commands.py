"""Commands are imported when asked for: `catalogctl plan` starts without the sandbox server, the
importer or the preview site, and every command still answers to its name and shows in --help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from catalogctl.cli import commands, main

ROOT = Path(__file__).resolve().parents[2]


def test_every_lazy_name_is_the_name_its_module_defines() -> None:
    for name, module in commands.BY_NAME.items():
        assert commands.load(module).name == name
    assert sorted(commands.BY_NAME.values()) == sorted(commands.COMMAND_MODULES)


def test_help_lists_every_command_without_registering_first() -> None:
    result = CliRunner().invoke(main.cli, ["--help"])
    assert result.exit_code == 0, result.output
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == set(commands.BY_NAME)


def _modules_after(*args: str) -> set[str]:
    code = ("import sys\nfrom catalogctl.cli import main\n"
            "try:\n    main.main()\nexcept SystemExit:\n    pass\n"
            "print('\\n'.join(sys.modules), file=sys.stderr)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, check=False)
    return set(done.stderr.splitlines())


def test_a_command_imports_only_its_own_module(tmp_path: Path) -> None:
    (tmp_path / "catalog.yaml").write_text("products: []\n")
    loaded = _modules_after("validate", str(tmp_path))
    assert "catalogctl.cli.validate" in loaded
    assert not {"catalogctl.cli.importer", "catalogctl.cli.sandbox", "catalogctl.cli.preview",
                "catalogctl.importer.job", "uvicorn"} & loaded


def test_an_unknown_command_still_gets_a_suggestion() -> None:
    result = CliRunner().invoke(main.cli, ["plann"])
    assert result.exit_code != 0
    assert "No such command 'plann'." in result.output
    assert "Did you mean 'plan'?" in result.output


_INTERRUPTED_IMPORT = """
import sys
class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "catalogctl.cli.validate":
            raise KeyboardInterrupt
        return None
sys.meta_path.insert(0, CtrlC())
from catalogctl.cli import main
main.main()
"""


def test_ctrl_c_while_the_command_is_imported_is_interrupted_not_aborted(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _INTERRUPTED_IMPORT, "--debug", "validate", str(tmp_path)],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip() == "Interrupted."


_AFTER_IMPORT = """
import gc, os, sys
from catalogctl.cli import main
main._load_asked_for(sys.argv[1:])
print(gc.isenabled(), gc.get_freeze_count(), os.environ.get("PYDANTIC_DISABLE_PLUGINS"),
      "catalogctl.cli.plan" in sys.modules)
"""


def test_the_command_is_imported_with_pydantic_plugins_off_unless_the_user_says_otherwise() -> None:
    def after(environ: dict[str, str]) -> str:
        env = {**environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", _AFTER_IMPORT, "plan", "--help"], capture_output=True,
                              text=True, env=env, stdin=subprocess.DEVNULL, check=True)
        return done.stdout.strip()

    unset = {name: value for name, value in os.environ.items() if name != "PYDANTIC_DISABLE_PLUGINS"}
    assert after(unset) == "True 0 __all__ True"   # and the collector on again, nothing left frozen
    assert after({**unset, "PYDANTIC_DISABLE_PLUGINS": "logfire"}) == "True 0 logfire True"
