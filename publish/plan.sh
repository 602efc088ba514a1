#!/usr/bin/env bash
# Checks every input of the publish step at once, then tells the later steps what to do:
# outputs changed, add-paths (exactly the files to stage), title and body.
set -euo pipefail

problems=()
add_problem() { problems+=("$1"); }

# A path the step may stage: relative, inside the workspace, one line.
safe_path() {
  case "$1" in
  '' | /* | *$'\r'* | *$'\n'*) return 1 ;;
  esac
  case "/$1/" in
  */../* | */./*) return 1 ;;
  esac
  return 0
}

if ! jq -e 'type == "object"' >/dev/null 2>&1 <<<"${REPORT:-}"; then
  add_problem "report must be the main step's report output, a JSON object (got ${#REPORT} characters that are not one)"
  REPORT='{}'
else
  jq -e '.alert | IN("ok", "warning", "critical")' >/dev/null <<<"$REPORT" ||
    add_problem 'report.alert must be ok, warning or critical'
  jq -e '.changed | type == "boolean"' >/dev/null <<<"$REPORT" ||
    add_problem 'report.changed must be true or false'
  jq -e '.mode | type == "string" and test("^[a-z-]{1,40}$")' >/dev/null <<<"$REPORT" ||
    add_problem 'report.mode must be a mode name such as normal or pace'
  jq -e '(.changedFiles // []) | type == "array" and all(type == "string")' >/dev/null <<<"$REPORT" ||
    add_problem 'report.changedFiles must be a list of paths'
fi

case "${PULL_REQUEST:-}" in
true | false) ;;
*) add_problem "pull-request must be true or false (got '${PULL_REQUEST:-}')" ;;
esac
if [ "${PULL_REQUEST:-}" = true ] && [ -z "${TOKEN:-}" ]; then
  add_problem 'token is empty: the schedule pull request needs a token that may change workflow files (docs/permissions.md), or set pull-request: false'
fi
if [ -n "${HISTORY_FILE:-}" ] && ! safe_path "$HISTORY_FILE"; then
  add_problem "history-file must be a path inside the workspace, or empty to turn the commit off (got '$HISTORY_FILE')"
fi
if [ "${PULL_REQUEST:-}" = true ] && ! git check-ref-format --branch "${BRANCH:-}" >/dev/null 2>&1; then
  add_problem "branch must be a valid branch name (got '${BRANCH:-}')"
fi
if [ -n "${ALERT_LABEL:-}" ] && ! [[ "${ALERT_REPEAT_DAYS:-}" =~ ^[1-9][0-9]{0,3}$ ]]; then
  add_problem "alert-repeat-days must be a whole number of days from 1 to 9999 (got '${ALERT_REPEAT_DAYS:-}')"
fi
if [ -n "${NOW:-}" ] && ! date -u -d "$NOW" +%s >/dev/null 2>&1; then
  add_problem "now must be an ISO 8601 time such as 2026-12-01T00:07:00Z, or empty for the clock (got '$NOW')"
fi

# The files to stage: the changed files minus the history (committed on its own), and for an
# agentic workflow (.md) its compiled .lock.yml beside it.
paths=()
while IFS= read -r path; do
  [ -n "$path" ] || continue
  if ! safe_path "$path"; then
    add_problem "report.changedFiles has a path outside the workspace: '$path'"
    continue
  fi
  [ "$path" = "${HISTORY_FILE:-}" ] && continue
  paths+=("$path")
  if [[ "$path" == *.md ]] && [ -f "${path%.md}.lock.yml" ]; then
    paths+=("${path%.md}.lock.yml")
  fi
done < <(jq -r '(.changedFiles // [])[] | strings' <<<"$REPORT" 2>/dev/null)

if [ ${#problems[@]} -gt 0 ]; then
  message="publish: ${problems[0]}"
  for p in "${problems[@]:1}"; do message+="; $p"; done
  echo "::error::${message//$'\n'/%0A}"
  exit 1
fi

changed=false
if [ "$(jq -r '.changed' <<<"$REPORT")" = true ]; then
  if [ ${#paths[@]} -gt 0 ]; then
    changed=true
  else
    echo "::warning::publish: the report says the schedules changed but names no workflow file; no pull request"
  fi
fi

title=$(jq -r '"Pace schedules: \(.mode) mode"' <<<"$REPORT")
body=$(jq -r '
  "Dynamic orchestrator chose **\(.mode)** mode: usage is \(.usagePercent)% of the quota at " +
  "\(.timePercent)% of the period (efficiency \(.efficiency)), projected \(.projected) at the reset.\n\n" +
  ([.workflows[]? | select(.changed) | "- `\(.path)`: \(.runsPerDayBefore) to \(.runsPerDayAfter) runs a day"] | join("\n")) +
  "\n\nThe job summary of the run has the chart and every schedule in words."
' <<<"$REPORT")

# A delimiter no value can contain, so a multi-line output cannot end early.
delimiter="publish_$(date +%s%N)_$RANDOM"
{
  echo "changed=$changed"
  echo "title=$title"
  echo "add-paths<<$delimiter"
  [ ${#paths[@]} -eq 0 ] || printf '%s\n' "${paths[@]}" | awk '!seen[$0]++'
  echo "$delimiter"
  echo "body<<$delimiter"
  echo "$body"
  echo "$delimiter"
} >>"$GITHUB_OUTPUT"
echo "Schedules changed: $changed; files for the pull request: ${#paths[@]}"
