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

# Pictures (issue 15): a browsable preview of each example, and the HTML plan of a change to the
# applied pod-store (a price rise, a poster size dropped). Written to demo-output/ to open afterwards.
OUT=${CATALOGCTL_DEMO_OUT:-demo-output}
for example in tshirt-shop pod-store; do
  "$CATALOGCTL" preview "examples/$example" --out "$OUT/preview-$example"
done
changed="$WORK/pod-store/products"
sed 's/14\.99/16.99/g' "$changed/mug-monday.yaml" > "$changed/mug-monday.new" && mv "$changed/mug-monday.new" "$changed/mug-monday.yaml"
sed 's/\[8x10, 12x16, 18x24\]/[12x16, 18x24]/' "$changed/pr-periodic.yaml" > "$changed/pr-periodic.new" && mv "$changed/pr-periodic.new" "$changed/pr-periodic.yaml"
"$CATALOGCTL" plan "$WORK/pod-store" --format html --out "$OUT/plan.html"
echo "=== open in a browser (no server or network needed):"
echo "    preview:   file://$PWD/$OUT/preview-pod-store/index.html"
echo "    preview:   file://$PWD/$OUT/preview-tshirt-shop/index.html"
echo "    HTML plan: file://$PWD/$OUT/plan.html"
