#!/usr/bin/env bash
# Keeps one open issue for the quota alert. It comments only when the level changes, or again
# after ALERT_REPEAT_DAYS at the same level, and closes the issue once the alert is back to ok.
# The last level and time live in a hidden marker in the issue, so each run can read them back.
set -euo pipefail

level=$(jq -r '.alert' <<<"$REPORT")
now=$(date -u -d "${NOW:-now}" +%s)
stamp=$(date -u -d "@$now" +%Y-%m-%dT%H:%M:%SZ)
marker="<!-- dynamic-orchestrator-alert level=$level at=$stamp -->"

issues=$(gh issue list --state open --label "$ALERT_LABEL" --json number,body,comments --limit 1)
number=$(jq -r '.[0].number // empty | select(type == "number")' <<<"$issues")
# The newest marker, from the body and the comments in order; none in an issue written by hand.
last=$(jq -r '
  [.[0] | .body, (.comments // [])[].body | strings
    | capture("<!-- dynamic-orchestrator-alert level=(?<level>ok|warning|critical) at=(?<at>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z) -->")]
  | last // empty | "\(.level) \(.at)"
' <<<"$issues")
last_level=${last%% *}
last_at=${last#* }

body=$(jq -r --arg run "$RUN_URL" --arg marker "$marker" '
  "**Alert: \(.alert)**. Used \(.used) of \(.quota) (\(.usagePercent)%) at \(.timePercent)% of the period; " +
  "projected \(.projected) at the reset, \(.daysUntilReset) days away. Mode: \(.mode).\n\n[Run](\($run))\n\n\($marker)"
' <<<"$REPORT")

if [ -z "$number" ]; then
  if [ "$level" = ok ]; then
    echo "Alert ok and no open $ALERT_LABEL issue"
  else
    gh label create "$ALERT_LABEL" --color B60205 --description 'Copilot quota at risk' --force
    url=$(gh issue create --title 'Copilot quota at risk' --label "$ALERT_LABEL" --body "$body")
    number=${url##*/}
    [[ "$number" =~ ^[0-9]+$ ]] || number=''
    echo "Opened the $ALERT_LABEL issue $url"
  fi
elif [ "$level" = ok ]; then
  gh issue close "$number" --comment "The alert is back to **ok**. [Run]($RUN_URL)

$marker"
  echo "Alert back to ok: closed issue #$number"
elif [ "$level" != "$last_level" ]; then
  gh issue comment "$number" --body "$body"
  echo "Alert now $level (was ${last_level:-unknown}): commented on issue #$number"
elif [ $((now - $(date -u -d "$last_at" +%s))) -ge $((ALERT_REPEAT_DAYS * 86400)) ]; then
  gh issue comment "$number" --body "$body"
  echo "Alert still $level since $last_at: reminded on issue #$number"
else
  echo "Alert still $level since $last_at: no new comment on issue #$number"
fi
echo "alert-issue=$number" >>"$GITHUB_OUTPUT"
