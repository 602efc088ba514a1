/** Parse and validate every action input; all problems are reported together. */
import { MODES, type Mode } from './usage/tracker.js';

export type RequestedMode = Mode | 'auto' | 'pace';

/** The validated inputs of the main action. */
/** Whose billing the API reads: `user:NAME`, `org:NAME` or `enterprise:NAME`. */
export interface BillingEntity {
  kind: 'user' | 'org' | 'enterprise';
  name: string;
}

export const UNITS = ['ai-credits', 'premium-requests'] as const;
export type Unit = (typeof UNITS)[number];

export interface Inputs {
  quota: number;
  /** Used so far, as given; with a token it is only the fallback for when the API fails. */
  used: number | undefined;
  /** A token that may read billing usage; '' for none. */
  token: string;
  /** Whose usage; undefined means the token's own user. */
  billingEntity: BillingEntity | undefined;
  unit: Unit;
  product: string;
  resetDay: number;
  mode: RequestedMode;
  /** With mode pace: the share of the quota to land on at the reset, in percent. */
  targetPercent: number;
  dryRun: boolean;
  /** The moment to evaluate; the clock unless the `now` input is set. */
  now: Date;
  historyFile: string;
  config: string;
  workflowsDir: string;
  backupDir: string;
}

/** Defaults, mirroring action.yml (a test keeps the two equal). */
export const DEFAULTS = Object.freeze({
  'reset-day': '1',
  mode: 'auto',
  'dry-run': 'false',
  'history-file': '.github/orchestrator-history.json',
  config: '.github/orchestrator.yml',
  'workflows-dir': '.github/workflows',
  'backup-dir': '',
  token: '',
  'billing-entity': '',
  unit: 'ai-credits',
  product: 'copilot',
  'target-percent': '95',
});

export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? `Invalid input: ${problems[0]}`
        : `Invalid inputs:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
    this.name = 'InputError';
  }
}

/** Reads one raw input; undefined when the runner did not set it at all. */
export type InputGetter = (name: string) => string | undefined;

/** The runner's way: input `reset-day` arrives as the variable INPUT_RESET-DAY. */
export function envInputs(env: NodeJS.ProcessEnv = process.env): InputGetter {
  return (name) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/** Parses inputs; throws InputError naming every bad input at once. */
export function parseInputs(get: InputGetter): Inputs {
  const problems: string[] = [];
  const defaults: Record<string, string> = DEFAULTS;
  const raw = (name: string): string => get(name)?.trim() || defaults[name] || '';

  const number = (name: string, rule: string, ok: (n: number) => boolean): number => {
    const text = raw(name);
    const n = Number(text);
    if (text === '') problems.push(`'${name}' is required: ${rule}`);
    else if (!NUMBER.test(text) || !Number.isFinite(n) || !ok(n))
      problems.push(`'${name}' must be ${rule}, got '${text}'`);
    return n;
  };

  const quota = number('quota', 'a number greater than 0 (the monthly allowance)', (n) => n > 0);
  const token = get('token')?.trim() ?? '';
  // With a token, usage comes from the billing API and `used` is only its fallback.
  const used =
    token && raw('used') === ''
      ? undefined
      : number(
          'used',
          `a number of 0 or more (fractions allowed)${token ? '' : ', or give a token to read it from the billing API'}`,
          (n) => n >= 0,
        );

  const entityText = raw('billing-entity');
  const entity = /^(user|org|enterprise):([A-Za-z0-9][A-Za-z0-9._-]*)$/.exec(entityText);
  if (entityText !== '' && !entity) {
    problems.push(
      `'billing-entity' must be user:NAME, org:NAME or enterprise:NAME, or empty for the token's own user, got '${entityText}'`,
    );
  }
  const unit = raw('unit');
  if (!(UNITS as readonly string[]).includes(unit)) {
    problems.push(`'unit' must be one of ${UNITS.join(', ')}, got '${unit}'`);
  }
  const product = raw('product');
  if (!/^[A-Za-z0-9._ -]+$/.test(product)) {
    problems.push(`'product' must be a product name such as copilot, got '${product}'`);
  }
  const resetDay = number(
    'reset-day',
    'a whole number from 1 to 31 (the day of the month the quota resets)',
    (n) => Number.isInteger(n) && n >= 1 && n <= 31,
  );

  const targetPercent = number(
    'target-percent',
    'a percentage greater than 0 and at most 100',
    (n) => n > 0 && n <= 100,
  );
  const modeText = raw('mode');
  const modes: readonly string[] = ['auto', 'pace', ...MODES];
  if (!modes.includes(modeText)) {
    problems.push(`'mode' must be one of ${modes.join(', ')}, got '${modeText}'`);
  }

  const dryRunText = raw('dry-run');
  if (!TRUE.includes(dryRunText) && !FALSE.includes(dryRunText)) {
    problems.push(`'dry-run' must be true or false, got '${dryRunText}'`);
  }

  const nowText = raw('now');
  let now = new Date();
  if (nowText !== '') {
    // A time without an offset is read as UTC, not as the runner's local time.
    const withZone = /[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(nowText) ? `${nowText}Z` : nowText;
    now = new Date(withZone.replace(' ', 'T'));
    if (!ISO_8601.test(nowText) || Number.isNaN(now.getTime())) {
      problems.push(
        `'now' must be an ISO 8601 time such as 2025-11-12T00:00:00Z, or empty for the clock, got '${nowText}'`,
      );
    }
  }

  if (problems.length > 0) throw new InputError(problems);
  return {
    quota,
    used,
    token,
    billingEntity: entity
      ? { kind: entity[1] as BillingEntity['kind'], name: entity[2] as string }
      : undefined,
    unit: unit as Unit,
    product,
    resetDay,
    mode: modeText as RequestedMode,
    targetPercent,
    dryRun: TRUE.includes(dryRunText),
    now,
    // Unlike the others, a history-file set to empty is meaningful: it turns history off.
    historyFile: get('history-file')?.trim() ?? DEFAULTS['history-file'],
    config: raw('config'),
    workflowsDir: raw('workflows-dir'),
    backupDir: raw('backup-dir'),
  };
}
