#!/usr/bin/env bash
# Measures which aws-cdk-lib releases each part of cdk-encryption-guard works with: installs each
# release given (default: the releases around the floors) into a scratch directory and runs
# scripts/cdk-floor-probe.ts against it. Prints one line per release and part.
#   scripts/measure-cdk-floors.sh 2.244.0 2.245.0 ...
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
versions=("$@")
if [ ${#versions[@]} -eq 0 ]; then
  versions=(2.244.0 2.245.0 2.250.0 2.251.0 2.252.0 2.261.0 2.262.0)
fi
scratch="${CEG_SCRATCH:-$(mktemp -d -t ceg-floors-XXXXXX)}"
work="$scratch/work"
mkdir -p "$work"
cp -r "$repo/src" "$repo/examples" "$repo/scripts" "$repo/tsconfig.json" "$repo/package.json" "$work/"
for version in "${versions[@]}"; do
  dir="$scratch/v$version"
  if [ ! -d "$dir/node_modules/aws-cdk-lib" ]; then
    mkdir -p "$dir"
    echo '{"name":"ceg-floor-probe","version":"1.0.0","private":true}' > "$dir/package.json"
    (cd "$dir" && npm install --silent --no-audit --no-fund --legacy-peer-deps "aws-cdk-lib@$version" constructs@10.5.1 >/dev/null)
  fi
  ln -sfn "$dir/node_modules" "$work/node_modules"
  (cd "$work" && node -r "$repo/node_modules/ts-node/register/transpile-only" scripts/cdk-floor-probe.ts 2>&1 | grep -E "^[0-9]+\.[0-9]+\.[0-9]+ ")
done
