/**
 * The action's inputs in fleet mode (the config has a `fleet:` section): the same reader and
 * the same all-problems-at-once error as src/inputs.ts, with `quota: seats`, `copilot-plan` and
 * `plan-variable` added; a token is required.
 */
import { DEFAULTS, type InputGetter, type Inputs, inputReader } from '../inputs.js';
import { DEFAULT_PLAN_VARIABLE, variableNameProblem } from './plan.js';

/** AI credits per seat a month (README: Business 1,900, Enterprise 3,900). */
export const SEAT_CREDITS = Object.freeze({ business: 1900, enterprise: 3900 });

export const FLEET_DEFAULTS = Object.freeze({
  ...DEFAULTS,
  'plan-variable': DEFAULT_PLAN_VARIABLE,
  'copilot-plan': '',
});

/** The fleet's inputs: the main action's billing and period inputs, and its own. */
export interface FleetInputs
  extends Pick<
    Inputs,
    | 'token'
    | 'billingEntity'
    | 'unit'
    | 'product'
    | 'billingTimeout'
    | 'resetDay'
    | 'targetPercent'
    | 'dryRun'
    | 'now'
    | 'historyFile'
    | 'config'
  > {
  /** A number, or the seats × credits per seat to work out. */
  quota: number | 'seats';
  /** Credits per seat, from copilot-plan; needed with quota: seats. */
  seatCredits: number | undefined;
  planVariable: string;
}

/** Parses the fleet's inputs; throws InputError naming every bad one. */
export function parseFleetInputs(get: InputGetter): FleetInputs {
  const read = inputReader(get, FLEET_DEFAULTS);
  const quotaText = read.raw('quota');
  const quota =
    quotaText === 'seats'
      ? 'seats'
      : read.number(
          'quota',
          "a number greater than 0 (the pool's monthly allowance), or seats to work it out from the organization's Copilot seats",
          (n) => n > 0,
        );
  const planText = read.raw('copilot-plan').toLowerCase();
  let seatCredits: number | undefined;
  if (planText in SEAT_CREDITS) seatCredits = SEAT_CREDITS[planText as keyof typeof SEAT_CREDITS];
  else if (/^\d+(\.\d+)?$/.test(planText) && Number(planText) > 0) seatCredits = Number(planText);
  else if (planText !== '') {
    read.problems.push(
      `'copilot-plan' must be business (1,900 credits a seat), enterprise (3,900) or a number of credits a seat, got '${planText.slice(0, 40)}'`,
    );
  }
  if (quota === 'seats' && seatCredits === undefined && planText === '') {
    read.problems.push(
      "'copilot-plan' is required with quota: seats: business, enterprise or a number of credits a seat",
    );
  }
  const billing = read.billing();
  if (!billing.token) {
    read.problems.push(
      "'token' is required in fleet mode (the config has a fleet: section): a token that reads the fleet's repositories and billing and writes the organization's variables (docs/permissions.md)",
    );
  }
  if (billing.billingEntity?.kind === 'user' || billing.billingEntity?.member) {
    read.problems.push(
      "'billing-entity' in fleet mode is the pool: org:NAME or enterprise:NAME (empty means the fleet's organization)",
    );
  }
  const planVariable = read.raw('plan-variable');
  const problem = variableNameProblem(planVariable);
  if (problem) read.problems.push(`'plan-variable': ${problem}`);
  const inputs: FleetInputs = {
    quota,
    seatCredits,
    ...billing,
    resetDay: read.resetDay(),
    targetPercent: read.number(
      'target-percent',
      'a percentage greater than 0 and at most 100',
      (n) => n > 0 && n <= 100,
    ),
    dryRun: read.boolean('dry-run'),
    now: read.now(),
    historyFile: get('history-file')?.trim() ?? DEFAULTS['history-file'],
    config: read.raw('config'),
    planVariable,
  };
  read.done();
  return inputs;
}
