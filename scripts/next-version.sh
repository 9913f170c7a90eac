#!/usr/bin/env bash
# nextVersionCommand of the projen release: the first release (no tag yet) is 0.1.0; after it,
# print nothing so that projen bumps from the commit history (fix: patch, feat: minor before 1.0).
if [ -z "${LATEST_TAG:-}" ]; then
  echo 0.1.0
fi
