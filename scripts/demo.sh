#!/usr/bin/env bash
# The main job on a fresh clone (`make demo`): for each example catalog, validate it, plan it
# against the embedded sandbox, apply it, and show that a second plan has no changes.
# The examples are copied to a temporary directory first, so the embedded sandbox and the
# state (DIR/.catalogctl/) are created there and the repository stays clean.
set -euo pipefail
CATALOGCTL=${1:-catalogctl}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/catalogctl-demo.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

for example in tshirt-shop pod-store; do
  cp -R "examples/$example" "$WORK/$example"
  dir="$WORK/$example"
  echo "=== $example: validate"
  "$CATALOGCTL" validate "$dir"
  echo "=== $example: plan (empty embedded sandbox in $dir/.catalogctl/)"
  "$CATALOGCTL" plan "$dir" --no-color | tail -n 3
  echo "=== $example: apply"
  "$CATALOGCTL" apply "$dir" --auto-approve --no-color | tail -n 1
  echo "=== $example: plan again (--detailed-exitcode: 0 means no changes)"
  status=0
  "$CATALOGCTL" plan "$dir" --no-color --detailed-exitcode || status=$?
  if [ "$status" -ne 0 ]; then
    echo "demo: the second plan of $example was not empty (exit $status)" >&2
    exit 1
  fi
done
echo "=== demo done: both examples applied; a second plan shows no changes."
