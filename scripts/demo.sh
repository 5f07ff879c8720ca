#!/usr/bin/env bash
# The main job on a fresh clone (`make demo`): for each example catalog, validate it, plan it
# against the embedded sandbox, apply it, and show that a second plan has no changes.
# The examples are copied to a workspace (default: demo-workspace/ in the repository, ignored by
# git; DEMO_DIR=... to choose), so the embedded sandbox and the state (DIR/.catalogctl/) are
# created there. The workspace is kept afterwards, to look at and to try commands in; each run of
# the demo starts it afresh.
set -euo pipefail
CATALOGCTL=${1:-catalogctl}
WORK=${DEMO_DIR:-$PWD/demo-workspace}
rm -rf "$WORK"
mkdir -p "$WORK"

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

# The two other store APIs, each against its embedded sandbox (a target without `url`):
# Shoprocket bootstraps a store and its staff (create-only); Shoplazza only verifies the shop.
cp -R examples/shoprocket-bootstrap "$WORK/shoprocket-bootstrap"
dir="$WORK/shoprocket-bootstrap"
export NORTHWIND_OWNER_PASSWORD="demo-owner-$RANDOM$RANDOM" NORTHWIND_PACKER_PASSWORD="demo-packer-$RANDOM$RANDOM"
echo "=== shoprocket-bootstrap: plan, apply, plan again (target bootstrap: embedded Shoprocket sandbox)"
"$CATALOGCTL" plan "$dir" --target bootstrap --no-color | tail -n 1
"$CATALOGCTL" apply "$dir" --target bootstrap --auto-approve --no-color | tail -n 1
"$CATALOGCTL" plan "$dir" --target bootstrap --no-color --detailed-exitcode | tail -n 1
cp -R examples/shoplazza-verified "$WORK/shoplazza-verified"
echo "=== shoplazza-verified: plan (the shop's facts are preconditions; exit 0: it is the right shop)"
"$CATALOGCTL" plan "$WORK/shoplazza-verified" --target shop --no-color --detailed-exitcode | tail -n 1

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
cat <<NEXT

The workspace is kept: $WORK
  tshirt-shop/ and pod-store/ each hold the catalog, and in .catalogctl/ the sandbox store
  (sandbox.sqlite) and the state that the apply wrote (pod-store also holds the change the
  HTML plan above shows, not applied).
Try it yourself (catalogctl is in the venv: $CATALOGCTL):
  $CATALOGCTL plan $WORK/tshirt-shop                  # no changes
  edit $WORK/tshirt-shop/products/zip-hoodie.yaml      # e.g. base: 49.00 -> 54.00
  $CATALOGCTL plan $WORK/tshirt-shop                  # 8 variants: price +5.00
  $CATALOGCTL apply $WORK/tshirt-shop                 # asks; type yes
Next steps: README.md "After the demo" (your own catalog, import a store, then
"Run catalogctl in pull requests").
NEXT
