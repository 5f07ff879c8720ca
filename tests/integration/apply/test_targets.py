"""catalogctl.yaml: the targets contract, its errors (with file:line), and secrets at use time."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogctl.config.targets import EMBEDDED, load_targets, resolve_target, target_entry
from catalogctl.errors import TargetError
from catalogctl.providers.groovekart import GrooveKartSettings

GOOD = """\
targets:
  production:
    provider: groovekart          # groovekart | sandbox
    url: https://mystore.example.com
    api_user: teescape
    auth_token_env: GROOVEKART_AUTH_TOKEN
    api_key_env: GROOVEKART_API_KEY
    concurrency: 8
    requests_per_second: 20
    prune: false
    max_destructive_share: 0.25
  local:
    provider: sandbox
    url: http://127.0.0.1:8750
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "catalogctl.yaml").write_text(text)
    return tmp_path


def test_the_contract_shape_parses(tmp_path: Path) -> None:
    targets = load_targets(write(tmp_path, GOOD))
    assert targets is not None
    production = targets.targets["production"]
    assert isinstance(production, GrooveKartSettings)  # the `provider:` tag picked the model
    assert production.provider == "groovekart" and production.requests_per_second == 20
    assert targets.targets["local"].concurrency == 8
    assert target_entry(production)["auth_token_env"] == "GROOVEKART_AUTH_TOKEN"


def test_no_file_or_no_target_means_the_embedded_sandbox(tmp_path: Path) -> None:
    target = resolve_target(tmp_path, None)
    assert target.name == EMBEDDED and target.embedded
    assert target.sandbox_db == tmp_path / ".catalogctl" / "sandbox.sqlite"


def test_credentials_come_from_the_named_variables_and_never_print(tmp_path: Path) -> None:
    target = resolve_target(write(tmp_path, GOOD), "production")
    env = {"GROOVEKART_AUTH_TOKEN": "tok-SECRET", "GROOVEKART_API_KEY": "key-SECRET"}
    credentials = target.credentials(env)
    assert credentials is not None and credentials.auth_token == "tok-SECRET" and credentials.api_user == "teescape"
    assert "SECRET" not in repr(credentials) + str(credentials) + repr(target)


def test_a_missing_variable_is_named(tmp_path: Path) -> None:
    target = resolve_target(write(tmp_path, GOOD), "production")
    with pytest.raises(TargetError, match="environment variable GROOVEKART_API_KEY is not set"):
        target.credentials({"GROOVEKART_AUTH_TOKEN": "x"})


def test_unknown_key_is_reported_with_file_line(tmp_path: Path) -> None:
    write(tmp_path, GOOD.replace("    prune: false", "    prune: false\n    auth_token: oops"))
    with pytest.raises(TargetError) as caught:
        load_targets(tmp_path)
    message = str(caught.value)
    assert "catalogctl.yaml:11:5: targets.production.auth_token: unknown key" in message
    assert "oops" not in message


def test_bad_values_and_missing_fields_are_reported_with_positions(tmp_path: Path) -> None:
    write(tmp_path, "targets:\n  prod:\n    provider: groovekart\n    url: https://x.example\n    concurrency: 0\n")
    with pytest.raises(TargetError) as caught:
        load_targets(tmp_path)
    message = str(caught.value)
    assert "catalogctl.yaml:5:18: targets.prod.concurrency: Input should be greater than or equal to 1" in message
    write(tmp_path, "targets:\n  prod:\n    provider: groovekart\n    url: https://x.example\n")
    with pytest.raises(TargetError, match="needs `api_user`, `auth_token_env`, `api_key_env`"):
        load_targets(tmp_path)


def test_unknown_target_lists_the_defined_ones(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match=r"no target 'staging' .* \(defined: local, production\)"):
        resolve_target(write(tmp_path, GOOD), "staging")


def test_the_embedded_name_is_reserved(tmp_path: Path) -> None:
    write(tmp_path, "targets:\n  embedded:\n    provider: sandbox\n    url: http://127.0.0.1:1\n")
    with pytest.raises(TargetError, match=r"catalogctl\.yaml:2:3: target name 'embedded' is reserved"):
        load_targets(tmp_path)


def test_an_unknown_provider_names_the_known_ones_with_file_line(tmp_path: Path) -> None:
    write(tmp_path, "targets:\n  prod:\n    provider: shopify\n    url: https://x.example\n")
    with pytest.raises(TargetError) as caught:
        load_targets(tmp_path)
    assert "catalogctl.yaml:3:5: targets.prod: `provider` must be one of: groovekart, sandbox" in str(caught.value)


def test_unknown_keys_list_the_keys_of_that_provider(tmp_path: Path) -> None:
    write(tmp_path, "targets:\n  prod:\n    provider: sandbox\n    url: http://127.0.0.1:1\n    sr_auth_env: X\n")
    with pytest.raises(TargetError) as caught:
        load_targets(tmp_path)
    message = str(caught.value)
    assert "catalogctl.yaml:5:5: targets.prod.sr_auth_env: unknown key (allowed: " in message
    assert "page_size" in message and "groovekart" not in message.split("allowed:")[0]
