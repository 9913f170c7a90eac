#!/usr/bin/env bash
# Runs the test suite against the lowest aws-cdk-lib that cdk-encryption-guard declares
# (the peer range floor), in a scratch copy of the repository, so the working tree and its
# node_modules stay on the development version.
#
#   scripts/cdk-floor.sh            # the floor from src/private/cdk-version.ts
#   CDK_FLOOR=2.262.0 scripts/cdk-floor.sh
#   CDK_FLOOR=2.262.0 scripts/cdk-floor.sh test/front-ends   # only these test paths
#
# What runs: every test file except those that need a newer aws-cdk-lib than the floor:
#  - the EncryptionChecks plugin needs CDK_FLOORS.PLUGIN (context.stackTemplates): at the floor,
#    its fail-fast error is tested instead (test/cli/cdk-version.test.ts runs in both);
#  - cdk-nag 3 (a test oracle only) needs aws-cdk-lib >= 2.257.
# Tests that exercise those are excluded by file when the floor is below what they need; the list
# of excluded files is printed.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
floor="${CDK_FLOOR:-$(sed -n "s/^  PACKAGE: '\(.*\)',$/\1/p" "$repo/src/private/cdk-version.ts")}"
plugin_floor="$(sed -n "s/^  PLUGIN: '\(.*\)',$/\1/p" "$repo/src/private/cdk-version.ts")"
if [ -z "$floor" ] || [ -z "$plugin_floor" ]; then
  echo "cdk-floor: could not read the floors from src/private/cdk-version.ts" >&2
  exit 1
fi
scratch="$(mktemp -d -t ceg-cdk-floor-XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
echo "aws-cdk-lib floor $floor (plugin $plugin_floor); scratch copy in $scratch"

# The tracked files (and the working tree's changes to them), without node_modules.
git -C "$repo" ls-files -z --cached --others --exclude-standard | (cd "$repo" && xargs -0 cp --parents -t "$scratch" 2>/dev/null || true)
cd "$scratch"

start=$(date +%s)
npm ci --no-audit --no-fund --prefer-offline --loglevel=error
# The floor replaces the development aws-cdk-lib; peers of test-only tools may be newer than the
# floor, hence --legacy-peer-deps. --no-save keeps the scratch lockfile as it is.
npm install --no-save --no-audit --no-fund --prefer-offline --legacy-peer-deps --loglevel=error "aws-cdk-lib@$floor"
installed=$(node -p "require('aws-cdk-lib/package.json').version")
if [ "$installed" != "$floor" ]; then
  echo "cdk-floor: expected aws-cdk-lib $floor in the scratch copy, found $installed" >&2
  exit 1
fi
echo "installed in $(( $(date +%s) - start )) s"

below() { # below A B: A < B
  [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$1" ]
}
exclude=()
if below "$floor" "$plugin_floor"; then
  # Files that register the validation plugin.
  while IFS= read -r file; do exclude+=("$file"); done < <(grep -lE 'EncryptionChecks|addPlugins|policyValidationBeta1' -r test --include='*.test.ts' | grep -v '^test/cli/cdk-version.test.ts$' || true)
fi
if below "$floor" "2.257.0"; then
  while IFS= read -r file; do exclude+=("$file"); done < <(grep -lE "cdk-nag|encryption-nag-pack|oracles/oracles" -r test --include='*.test.ts' || true)
fi
mapfile -t exclude < <(printf '%s\n' "${exclude[@]}" | sort -u | sed '/^$/d')
if [ ${#exclude[@]} -gt 0 ]; then
  echo "not run at aws-cdk-lib $floor (they need a newer one):"
  printf '  %s\n' "${exclude[@]}"
fi
# On the command line the patterns replace the configured ones: repeat those (the oracle suites run
# in `npm run test:oracles` on the development version only).
ignore=(--testPathIgnorePatterns /node_modules/ '<rootDir>/test/oracles/' '<rootDir>/test/cli.test.ts' '\.slow\.test\.ts$')
for file in "${exclude[@]}"; do ignore+=("$file"); done

export CEG_EXPECT_CDK_VERSION="$floor"
# Paths given on the command line go first: the ignore option takes every value after it.
npx jest --coverage=false --ci "$@" "${ignore[@]}"
echo "floor job took $(( $(date +%s) - start )) s"
