/** The action's outputs and its log lines, rendered from a pipeline result. */
import type { OrchestrateResult } from '../orchestrate.js';

const round = (x: number, digits: number): string => String(Number(x.toFixed(digits)));

/** Every output of the action, as the strings the runner stores. */
export function outputsOf({ usage, decision }: OrchestrateResult): Record<string, string> {
  return {
    mode: decision.mode,
    'usage-percent': round(usage.usagePercent, 2),
    'time-percent': round(usage.timePercent, 2),
    efficiency: round(usage.efficiency, 3),
    'burn-rate': round(usage.burnRate, 2),
    projected: round(usage.projected, 2),
    remaining: round(usage.remaining, 2),
    'days-until-reset': round(usage.daysUntilReset, 2),
    alert: usage.alert,
  };
}

/** A short status a person reads in the log. */
export function statusLines({ usage, decision }: OrchestrateResult): string[] {
  const o = outputsOf({ usage, decision });
  return [
    `Period ${usage.period.start.toISOString()} to ${usage.period.end.toISOString()} (${o['days-until-reset']} days left)`,
    `Used ${usage.used} of ${usage.quota} (${o['usage-percent']}%) at ${o['time-percent']}% of the period: efficiency ${o.efficiency}`,
    `Burn rate ${o['burn-rate']}/day, projected ${o.projected} at reset, ${o.remaining} remaining, alert: ${usage.alert}`,
    `Mode: ${decision.mode} (${decision.reason})`,
  ];
}
