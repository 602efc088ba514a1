#!/usr/bin/env bash
# Commits the history file when it changed and pushes it to the checked-out branch. A refused
# push (branch protection, or another push first) is retried once on the branch's new tip; a
# second refusal is a warning, not a failure, so the pull request and the alert still run.
set -euo pipefail

file=$HISTORY_FILE
bot=(-c user.name='github-actions[bot]' -c user.email='41898282+github-actions[bot]@users.noreply.github.com')

if [ ! -e "$file" ]; then
  echo "No history file at $file; nothing to commit"
  exit 0
fi
git add -- "$file"
if git diff --cached --quiet -- "$file"; then
  echo "History unchanged"
  exit 0
fi
if ! branch=$(git symbolic-ref --quiet --short HEAD); then
  echo "::warning::publish: the checkout is a detached HEAD, so the history has no branch to go to; check out a branch (actions/checkout does on schedule and workflow_dispatch)"
  exit 0
fi

saved=$(mktemp)
trap 'rm -f "$saved"' EXIT
cp -- "$file" "$saved"
message="Record Copilot usage for $(date -u -d "${NOW:-now}" +%F)"

# Only the history goes into the commit: the workflow changes stay in the working tree for the PR.
commit() { git "${bot[@]}" commit --quiet -m "$message" -- "$file" && ours=$(git rev-parse HEAD); }
push() { git push --quiet origin "HEAD:refs/heads/$branch"; }

# Puts today's history on the branch's new tip: a fast-forward that keeps the working tree, then
# our file on top. A fetched change to a file the run also changed stops it, losing nothing.
retry() {
  git fetch --quiet origin "$branch" || return 1
  git reset --quiet HEAD~1 || return 1
  if git cat-file -e "HEAD:$file" 2>/dev/null; then
    git checkout --quiet HEAD -- "$file" || return 1
  else
    rm -f -- "$file"
  fi
  git merge --quiet --ff-only FETCH_HEAD || return 1
  cp -- "$saved" "$file" && git add -- "$file" || return 1
  commit || return 1
  push
}

commit
if push; then
  echo "Committed the history to $branch"
  exit 0
fi
echo "The push to $branch was refused; trying once more on its new tip"
if retry; then
  echo "Committed the history to $branch on the second try"
  exit 0
fi

# Leave today's record in the working tree, uncommitted, so no later step carries the commit.
if [ "$(git rev-parse HEAD)" = "$ours" ]; then git reset --quiet HEAD~1; fi
cp -- "$saved" "$file"
echo "::warning::publish: the push of $file to $branch was refused twice (branch protection, or other pushes in between), so today's usage record is not committed. Let GitHub Actions push it (add the GitHub Actions app to the bypass list of the branch's ruleset), or turn the history off with history-file: ''; docs/permissions.md says how."
