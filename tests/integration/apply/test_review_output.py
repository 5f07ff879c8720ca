"""What reviewers and CI read: apply counts resources and says what it left undone (exit 2), a plan
limited by --address says it is partial, the comment names target, commit and the command to
reproduce it, and stdout holds only the document asked for."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from applykit import SANDBOX_ENV, Product, copy_example, run, served_sandbox, write_catalog, write_target


def test_a_blocked_replacement_is_not_apply_complete(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1"), Product("B-2")], categories=("Shirts", "Hats"))
    assert run("apply", catalog, "--auto-approve").exit_code == 0
    write_catalog(catalog, [Product("A-1", category="Hats", price="25.00"), Product("B-2")],
                  categories=("Shirts", "Hats"))
    report = tmp_path / "report.json"
    result = run("apply", catalog, "--auto-approve", "--report", report)
    assert result.exit_code == 2, result.output
    assert "Apply incomplete: 1 updated; 0 failed, 0 skipped" in result.output
    assert 'left undone: 1 blocked replacement (apply with --allow-replace to make it): product["A-1"]' in result.output
    assert json.loads(report.read_text())["left_undone"] == ['product["A-1"]']
    only_blocked = run("apply", catalog, "--auto-approve")
    assert only_blocked.exit_code == 2
    assert "Nothing to apply: the remaining changes are blocked or unsupported" in only_blocked.output


def test_apply_counts_resources_like_the_plan_did(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1", sizes=["S", "M", "L"])])
    result = run("apply", catalog, "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "Plan: 6 to create," in result.output   # category, group, product, 3 variants
    assert "Apply complete: 6 created; 0 failed, 0 skipped" in result.output
    shop = copy_example("tshirt-shop", tmp_path)   # a product and its variant images are two steps
    applied = run("apply", shop, "--auto-approve").output
    planned = re.search(r"Plan: (\d+) to create", applied)
    assert planned is not None and f"Apply complete: {planned.group(1)} created;" in applied


def test_a_plan_limited_by_address_says_it_is_partial(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1"), Product("B-2")])
    text = run("plan", catalog, "--address", 'product["A-1"]')
    assert text.exit_code == 0
    assert ('Partial plan: limited by --address to product["A-1"] and what they depend on; other differences '
            "are not shown.") in text.output
    markdown = run("plan", catalog, "--address", 'product["A-1"]', "--format", "markdown").stdout
    assert "> [!NOTE]\n> Partial plan: limited by --address to product\\[\"A-1\"\\]" in markdown
    assert "Partial plan" not in run("plan", catalog).output


def test_an_apply_limited_by_address_says_it_is_partial(tmp_path: Path) -> None:
    """apply shows the --address scope as plan does (it records nothing else of a saved plan's metadata)."""
    catalog = write_catalog(tmp_path / "shop", [Product("A-1"), Product("B-2")])
    applied = run("apply", catalog, "--auto-approve", "--address", 'product["A-1"]')
    assert applied.exit_code == 0, applied.output
    assert ('Partial plan: limited by --address to product["A-1"] and what they depend on; other differences '
            "are not shown.") in applied.output
    rest = run("apply", catalog, "--auto-approve")
    assert rest.exit_code == 0, rest.output
    assert "Partial plan" not in rest.output and 'product["B-2"]' in rest.output


def test_the_comment_names_target_commit_and_the_command_to_reproduce_it(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1")])
    for args in (["init", "--quiet"], ["add", "-A"], ["-c", "user.name=a", "-c", "user.email=a@b", "commit",
                                                      "--quiet", "-m", "c"]):
        subprocess.run(["git", *args], cwd=catalog, check=True, capture_output=True)
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=catalog, capture_output=True,
                          text=True).stdout.strip()
    markdown = run("plan", catalog, "--format", "markdown", "--address", 'product["A-1"]').stdout
    footer = markdown.strip().splitlines()[-1]
    assert footer.startswith("<sub>Target `embedded` · catalog at commit `") and head in footer
    assert f"reproduce with `catalogctl plan {catalog} --address 'product[\"A-1\"]'`" in footer
    (catalog / "catalog.yaml").write_text((catalog / "catalog.yaml").read_text().replace("20.00", "21.00"))
    assert f"`{head}+dirty`" in run("plan", catalog, "--format", "markdown").stdout


def test_stdout_is_only_the_document_asked_for(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1")])
    out = tmp_path / "plan.json"
    result = run("plan", catalog, "--format", "markdown", "--out", out)
    assert result.exit_code == 0
    assert "Saved the plan" not in result.stdout and f"Saved the plan to {out}" in result.stderr
    assert result.stdout.startswith("### catalogctl plan for `embedded`")
    as_json = run("plan", catalog, "--format", "json")
    assert json.loads(as_json.stdout)["target"] == "embedded"
    page = tmp_path / "plan.html"
    as_html = run("plan", catalog, "--format", "html", "--out", page)
    assert as_html.exit_code == 0 and as_html.stdout == "", as_html.stdout
    assert "Plan: " in as_html.stderr and f"Wrote the HTML plan to {page}" in as_html.stderr
    assert "<html" in page.read_text().lower()


def test_concurrency_on_the_command_line_applies_to_the_embedded_target_too(tmp_path: Path) -> None:
    from catalogctl.cli.plan import with_concurrency
    from catalogctl.config.targets import resolve_target
    from catalogctl.session import make_provider

    catalog = write_catalog(tmp_path / "shop", [Product("E-1")])
    embedded = resolve_target(catalog, None)
    assert embedded.embedded and embedded.concurrency == 8
    narrowed = with_concurrency(embedded, 2)
    assert narrowed.embedded and narrowed.concurrency == 2
    assert make_provider(narrowed)._concurrency == 2  # what the embedded sandbox's reads are bounded by
    assert run("apply", catalog, "--auto-approve", "--concurrency", "1").exit_code == 0


def test_concurrency_on_the_command_line_overrides_the_targets(tmp_path: Path) -> None:
    from catalogctl.cli.plan import with_concurrency
    from catalogctl.config.targets import resolve_target

    catalog = write_catalog(tmp_path / "shop", [Product(f"C-{n}") for n in range(6)])
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url, concurrency=4)
        target = resolve_target(catalog, "http")
        assert target.concurrency == 4 and with_concurrency(target, 1).concurrency == 1
        assert with_concurrency(target, None) is target
        result = run("apply", catalog, "--target", "http", "--auto-approve", "--concurrency", "1", env=SANDBOX_ENV)
        assert result.exit_code == 0, result.output
        assert run("plan", catalog, "--target", "http", "--concurrency", "65", env=SANDBOX_ENV).exit_code == 1
