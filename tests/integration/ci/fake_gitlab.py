"""A tiny stand-in for GitLab's REST API on 127.0.0.1: merge-request notes and issues, in memory."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class GitLabState:
    notes: list[dict[str, Any]] = field(default_factory=list)
    issues: list[dict[str, Any]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    token: str = "glpat-test"


def _handler(state: GitLabState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _reply(self, body: Any, status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _handle(self) -> None:
            url = urlparse(self.path)
            state.calls.append(f"{self.command} {url.path}")
            if self.headers.get("PRIVATE-TOKEN") != state.token:
                return self._reply({"message": "401 Unauthorized"}, 401)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else {}
            parts = url.path.split("/")[5:]   # /api/v4/projects/ID/...
            match (self.command, parts):
                case ("GET", ["merge_requests", _, "notes"]):
                    return self._reply(state.notes)
                case ("POST", ["merge_requests", _, "notes"]):
                    state.notes.append({"id": len(state.notes) + 1, "body": body["body"]})
                    return self._reply(state.notes[-1], 201)
                case ("PUT", ["merge_requests", _, "notes", note_id]):
                    note = next(n for n in state.notes if n["id"] == int(note_id))
                    note["body"] = body["body"]
                    return self._reply(note)
                case ("GET", ["issues"]):
                    query = parse_qs(url.query)
                    return self._reply([i for i in state.issues if i["state"] == query["state"][0]
                                        and query["labels"][0] in i["labels"]])
                case ("POST", ["issues"]):
                    state.issues.append({"iid": len(state.issues) + 1, "title": body["title"], "state": "opened",
                                         "description": body["description"], "labels": [body["labels"]],
                                         "notes": []})
                    return self._reply(state.issues[-1], 201)
                case ("PUT", ["issues", iid]):
                    issue = state.issues[int(iid) - 1]
                    if body.get("state_event") == "close":
                        issue["state"] = "closed"
                    if "description" in body:
                        issue["description"] = body["description"]
                    return self._reply(issue)
                case ("POST", ["issues", iid, "notes"]):
                    state.issues[int(iid) - 1]["notes"].append(body["body"])
                    return self._reply({}, 201)
            return self._reply({"message": "404 Not Found"}, 404)

        do_GET = do_POST = do_PUT = _handle

    return Handler


@contextmanager
def fake_gitlab() -> Iterator[tuple[str, GitLabState]]:
    """(the API v4 base url, the state the tests inspect)."""
    state = GitLabState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v4", state
    finally:
        server.shutdown()
        server.server_close()
