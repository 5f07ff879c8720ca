#!/usr/bin/env bash
# The main job on a fresh clone: validate the examples (plan/apply added by the plan issue).
set -euo pipefail
CATALOGCTL=${1:-catalogctl}
for example in examples/*/; do
  "$CATALOGCTL" validate "$example"
done
