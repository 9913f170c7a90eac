#!/usr/bin/env bash
# A consumer app made from the packed tarball (dist/js, written by `npx projen build`), in a scratch
# directory, as a user installs it: every construct at defaults under the gate, cdk-nag's four packs
# and the Control Tower controls. Fails on an unacknowledged in-scope finding on our resources.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tarball="$(ls "$repo"/dist/js/*.tgz 2>/dev/null | head -n1 || true)"
if [ -z "$tarball" ]; then
  echo "consumer-check: no tarball in dist/js: run npx projen build first" >&2
  exit 1
fi
version() { node -p "require('$repo/package.json').devDependencies['$1'].replace(/^[\\^~]/, '')"; }
scratch="$(mktemp -d -t ceg-consumer-XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
npm init -y >/dev/null
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tarball" \
  "aws-cdk-lib@$(version aws-cdk-lib)" "constructs@$(version constructs)" \
  "cdk-nag@$(version cdk-nag)" "@cdklabs/cdk-validator-cfnguard@$(version @cdklabs/cdk-validator-cfnguard)"
cp "$repo/scripts/consumer/app.js" .
node app.js "$scratch/cdk.out"
