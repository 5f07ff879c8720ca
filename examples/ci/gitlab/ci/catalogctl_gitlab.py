"""The GitLab side of the catalogctl recipe: one sticky merge-request note, one drift issue.

    python ci/catalogctl_gitlab.py note plan.md "<!-- catalogctl-plan:production -->"
    python ci/catalogctl_gitlab.py drift EXITCODE drift.md

Uses GitLab's REST API (CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID from the job, and
GITLAB_TOKEN, a project access token with the `api` scope). Standard library only.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.parse
import urllib.request
from typing import Any

DRIFT_LABEL = "catalogctl-drift"


def api(method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    url = f"{os.environ['CI_API_V4_URL']}/projects/{os.environ['CI_PROJECT_ID']}{path}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={
        "PRIVATE-TOKEN": os.environ["GITLAB_TOKEN"], "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def note(path: str, marker: str) -> None:
    """Create the merge request's plan note, or update the one that starts with `marker`."""
    body = f"{marker}\n{open(path, encoding='utf-8').read()}"
    notes_path = f"/merge_requests/{os.environ['CI_MERGE_REQUEST_IID']}/notes"
    existing = [n for n in api("GET", f"{notes_path}?per_page=100&sort=asc") if n["body"].startswith(marker)]
    if existing:
        api("PUT", f"{notes_path}/{existing[0]['id']}", {"body": body})
    else:
        api("POST", notes_path, {"body": body})


def drift(exitcode: str, path: str) -> None:
    """Exit 2 (changes): open or update the drift issue; exit 0: close it."""
    title = f"catalogctl: the store has drifted from the catalog ({os.environ.get('CATALOGCTL_TARGET', 'target')})"
    query = urllib.parse.urlencode({"state": "opened", "labels": DRIFT_LABEL, "per_page": 100})
    issue = next((i for i in api("GET", f"/issues?{query}") if i["title"] == title), None)
    if exitcode == "2":
        body = open(path, encoding="utf-8").read() + f"\n\nFound by {os.environ.get('CI_JOB_URL', 'a scheduled job')}."
        if issue:
            api("PUT", f"/issues/{issue['iid']}", {"description": body})
        else:
            api("POST", "/issues", {"title": title, "description": body, "labels": DRIFT_LABEL})
    elif issue:
        api("POST", f"/issues/{issue['iid']}/notes", {"body": "No drift any more: the store matches the catalog."})
        api("PUT", f"/issues/{issue['iid']}", {"state_event": "close"})


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["note", path, marker]:
            note(path, marker)
        case ["drift", exitcode, path]:
            drift(exitcode, path)
        case _:
            sys.exit(__doc__)
