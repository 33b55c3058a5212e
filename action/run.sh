#!/usr/bin/env bash
# The GitHub Action's step (action.yml): install replycoach, lint, optionally write SARIF.
# Inputs come as INPUT_* variables; the exit status is replycoach's. Tested on a real git
# repository by tests/test_action.py (with REPLYCOACH_ACTION_INSTALL=skip: the replycoach
# on PATH is used).
set -uo pipefail

if [[ "${REPLYCOACH_ACTION_INSTALL:-}" != "skip" ]]; then
  if [[ -n "${INPUT_VERSION:-}" ]]; then
    python -m pip install --quiet --disable-pip-version-check "replycoach==${INPUT_VERSION}" || exit 2
  else
    python -m pip install --quiet --disable-pip-version-check "${GITHUB_ACTION_PATH:?}" || exit 2
  fi
fi

base="${INPUT_DIFF_BASE:-}"
if [[ "$base" == "auto" ]]; then
  if [[ -n "${GITHUB_BASE_REF:-}" ]]; then
    # a pull request: its base branch, fetched when the checkout was shallow
    git rev-parse --verify --quiet "origin/${GITHUB_BASE_REF}^{commit}" >/dev/null \
      || git fetch --quiet --no-tags origin "${GITHUB_BASE_REF}:refs/remotes/origin/${GITHUB_BASE_REF}"
    base="$(git merge-base HEAD "origin/${GITHUB_BASE_REF}")" || exit 2
  else
    base=""   # a push: every finding
  fi
fi

read -r -a paths <<< "${INPUT_PATHS:-.}"
read -r -a extra <<< "${INPUT_ARGS:-}"
diff_args=()
[[ -n "$base" ]] && diff_args=(--diff-base "$base")

replycoach lint --format github "${diff_args[@]}" "${extra[@]}" "${paths[@]}"
status=$?
if [[ "${INPUT_SARIF:-false}" == "true" ]]; then
  # the same run as SARIF for code scanning; its own status is the one above
  GITHUB_STEP_SUMMARY="" replycoach lint --format sarif -o replycoach.sarif "${diff_args[@]}" "${extra[@]}" \
    "${paths[@]}" || true
fi
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  echo "exit-code=$status" >> "$GITHUB_OUTPUT"
fi
exit "$status"
