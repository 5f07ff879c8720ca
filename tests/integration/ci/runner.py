"""A small stand-in for a GitHub Actions runner: runs a workflow job's `run:` steps in order with
the environment a runner provides (GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, CI, no TTY), `shell: bash`
as `bash --noprofile --norc -eo pipefail`, `${{ }}` expressions in `env:` from a context, and our
own composite action (action.yml) expanded. After a failed step only the steps whose `if:` asks
for it (`always()`, `failure()`, `!cancelled()`) run, and `steps.ID.outcome` is set. Other actions
(checkout, upload-artifact, github-script) are recorded, not run: the test checks what they would
read exists (`run_github_script` runs a github-script step in node against a stand-in client)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[3]
OUR_ACTION = "your-org/catalogctl@"
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass
class StepResult:
    name: str
    kind: str                      # "run" or the action used
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    with_: dict[str, Any] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class JobResult:
    steps: list[StepResult]
    summary: str

    def step(self, name: str) -> StepResult:
        return next(s for s in self.steps if s.name == name)

    @property
    def ok(self) -> bool:
        return all(s.returncode == 0 for s in self.steps)


def shim_dir(tmp_path: Path) -> Path:
    """A PATH directory whose `catalogctl` is this checkout's (what the action would install)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "catalogctl"
    shim.write_text(f"#!/bin/sh\nPYTHONPATH={REPO} exec {sys.executable} -m catalogctl \"$@\"\n")
    shim.chmod(0o755)
    return bin_dir


def evaluate(text: str, context: Mapping[str, Any]) -> str:
    """`${{ a.b.c }}` replaced by that path in `context` ('' when absent, as GitHub does)."""
    def lookup(match: re.Match[str]) -> str:
        value: Any = context
        for part in match.group(1).split("."):
            value = value.get(part, "") if isinstance(value, Mapping) else ""
        return str(value)

    return _EXPRESSION.sub(lookup, text)


def load(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text())
    if True in document:   # PyYAML reads the key `on` as True
        document["on"] = document.pop(True)
    return document


def run_job(workflow: Path, job: str, workspace: Path, context: dict[str, Any], base_env: Mapping[str, str]
            ) -> JobResult:
    """Run `job` of `workflow` in `workspace`; after a failed step, only the steps meant to run then."""
    document = load(workflow)
    spec = document["jobs"][job]
    context = {**context, "env": {}, "steps": {}}
    env: dict[str, str] = {}
    for scope in (document.get("env", {}), spec.get("env", {})):
        env.update({k: evaluate(str(v), context) for k, v in scope.items()})
    context["env"] = env
    summary = workspace.parent / f"summary-{job}.md"
    summary.write_text("")
    results: list[StepResult] = []
    failed = False
    for number, step in enumerate(spec["steps"]):
        if failed and not _runs_after_failure(step):
            continue
        result = _step(step, number, workspace, context, {**base_env, **env}, summary)
        results.append(result)
        if "id" in step:
            outcome = "success" if result.returncode == 0 else "failure"
            context["steps"][step["id"]] = {"outputs": result.outputs, "outcome": outcome}
        failed = failed or result.returncode != 0
    return JobResult(results, summary.read_text())


def _runs_after_failure(step: dict[str, Any]) -> bool:
    condition = str(step.get("if", ""))
    return any(call in condition for call in ("always()", "failure()", "!cancelled()"))


def _step(step: dict[str, Any], number: int, workspace: Path, context: dict[str, Any], env: Mapping[str, str],
          summary: Path) -> StepResult:
    name = step.get("name", f"step {number}")
    step_env = {k: evaluate(str(v), context) for k, v in step.get("env", {}).items()}
    if "run" in step:
        return _bash(name, step["run"], workspace, {**env, **step_env}, summary)
    uses = step["uses"]
    with_ = {k: evaluate(str(v), context) for k, v in step.get("with", {}).items()}
    if uses.startswith(OUR_ACTION):
        return _our_action(name, with_, workspace, {**env, **step_env}, summary)
    return StepResult(name, uses, with_=with_, env=step_env)


def _our_action(name: str, inputs: dict[str, str], workspace: Path, env: Mapping[str, str],
                summary: Path) -> StepResult:
    """action.yml's `run:` steps with its inputs (its install step is the shim already on PATH)."""
    action = load(REPO / "action.yml")
    values = {k: str(v.get("default", "")) for k, v in action["inputs"].items()} | inputs
    context = {"inputs": values}
    outputs: dict[str, str] = {}
    for step in action["runs"]["steps"]:
        if "run" not in step or step.get("id") == "install":
            continue
        if step.get("if") == "inputs.command != ''" and not values["command"]:
            continue
        step_env = {k: evaluate(str(v), context) for k, v in step.get("env", {}).items()}
        result = _bash(name, step["run"], workspace, {**env, **step_env, "GITHUB_ACTION_PATH": str(REPO)}, summary)
        outputs.update(result.outputs)
        if result.returncode != 0:
            return result
    return StepResult(name, "our action", outputs=outputs)


def _bash(name: str, script: str, workspace: Path, env: Mapping[str, str], summary: Path) -> StepResult:
    output_file = workspace.parent / "github-output"
    output_file.write_text("")
    full_env = {**env, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output_file)}
    process = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=workspace,
                             env=full_env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    outputs = dict(line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line)
    return StepResult(name, "run", process.returncode, process.stdout, process.stderr, outputs)


def runner_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """What a hosted runner's environment has (and not: no TTY, no HOME config of ours)."""
    return {"PATH": f"{shim_dir(tmp_path)}{os.pathsep}{os.environ['PATH']}", "HOME": str(tmp_path / "home"),
            "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "acme/shop", "GITHUB_RUN_ID": "4242",
            "GITHUB_SERVER_URL": "https://github.com", "RUNNER_TEMP": str(tmp_path), "LANG": "C.UTF-8", **extra}


_GITHUB_SCRIPT = """
const calls = [];
const record = (kind) => async (args) => { calls.push({kind, ...args}); return {}; };
const github = {paginate: async () => JSON.parse(process.env.EXISTING_COMMENTS),
                rest: {issues: {listComments: null, updateComment: record('update'), createComment: record('create')}}};
const context = {repo: {owner: 'acme', repo: 'shop'}, serverUrl: 'https://github.com', runId: 4242,
                 issue: {number: 7}};
const body = require('fs').readFileSync(0, 'utf8');
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('require', 'github', 'context', body)(require, github, context)
  .then(() => console.log(JSON.stringify(calls)));
"""


def run_github_script(step: StepResult, workspace: Path, existing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run a recorded actions/github-script step's script in node against a stand-in `github` client
    holding `existing` comments; the API calls it made."""
    import json

    process = subprocess.run(["node", "-e", _GITHUB_SCRIPT], input=step.with_["script"], cwd=workspace,
                             env={"PATH": os.environ["PATH"], **step.env,
                                  "EXISTING_COMMENTS": json.dumps(existing)},
                             capture_output=True, text=True, timeout=60, check=True)
    calls: list[dict[str, Any]] = json.loads(process.stdout)
    return calls
