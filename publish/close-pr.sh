#!/usr/bin/env bash
# When the schedules on the base branch are already what the action wants, yesterday's open
# pull request would apply a stale decision if merged: close it and delete its branch.
set -euo pipefail

operation=none
number=''
open=$(gh pr list --head "$BRANCH" --state open --json number)
for n in $(jq -r '.[].number | select(type == "number")' <<<"$open"); do
  gh pr close "$n" --delete-branch \
    --comment 'The schedules on the base branch are already what the dynamic orchestrator wants; this pull request would apply a stale decision.'
  echo "Closed pull request #$n and deleted $BRANCH"
  operation=closed
  number=$n
done
[ "$operation" = closed ] || echo "No open pull request from $BRANCH"
{
  echo "pull-request-operation=$operation"
  echo "pull-request-number=$number"
} >>"$GITHUB_OUTPUT"
