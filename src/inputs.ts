/** Parse and validate every action input; all problems are reported together. */
import { MODES, type Mode } from './usage/tracker.js';

export type RequestedMode = Mode | 'auto' | 'pace';

/** Whose billing the API reads: `user:NAME`, `org:NAME` or `enterprise:NAME`. */
export interface BillingEntity {
  kind: 'user' | 'org' | 'enterprise';
  name: string;
  /** With org: only this member's usage (`org:NAME/USER`). */
  member?: string;
}

export const UNITS = ['ai-credits', 'premium-requests'] as const;
export type Unit = (typeof UNITS)[number];

/** The validated inputs of the main action. */
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
  /** The billing read's time budget, in seconds. */
  billingTimeout: number;
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
  /** rewrite: change the schedules (pull-request flow); record: only record the mode, for gates. */
  apply: 'rewrite' | 'record';
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
  'billing-timeout': '60',
  'target-percent': '95',
  apply: 'rewrite',
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

/**
 * Reads inputs one by one and collects every problem, so that all are reported together. Shared
 * by the action and the gate step.
 */
export function inputReader(
  get: InputGetter,
  defaults: Readonly<Record<string, string>> = DEFAULTS,
) {
  const problems: string[] = [];
  const raw = (name: string): string => get(name)?.trim() || defaults[name] || '';
  const number = (name: string, rule: string, ok: (n: number) => boolean): number => {
    const text = raw(name);
    const n = Number(text);
    if (text === '') problems.push(`'${name}' is required: ${rule}`);
    else if (!NUMBER.test(text) || !Number.isFinite(n) || !ok(n))
      problems.push(`'${name}' must be ${rule}, got '${text}'`);
    return n;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T => {
    const text = raw(name);
    if (!(allowed as readonly string[]).includes(text)) {
      problems.push(`'${name}' must be one of ${allowed.join(', ')}, got '${text}'`);
    }
    return text as T;
  };
  const boolean = (name: string): boolean => {
    const text = raw(name);
    if (!TRUE.includes(text) && !FALSE.includes(text)) {
      problems.push(`'${name}' must be true or false, got '${text}'`);
    }
    return TRUE.includes(text);
  };
  const resetDay = () =>
    number(
      'reset-day',
      'a whole number from 1 to 31 (the day of the month the quota resets)',
      (n) => Number.isInteger(n) && n >= 1 && n <= 31,
    );
  const now = (): Date => {
    const text = raw('now');
    if (text === '') return new Date();
    // A time without an offset is read as UTC, not as the runner's local time.
    const withZone = /[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text;
    const at = new Date(withZone.replace(' ', 'T'));
    if (!ISO_8601.test(text) || Number.isNaN(at.getTime())) {
      problems.push(
        `'now' must be an ISO 8601 time such as 2025-11-12T00:00:00Z, or empty for the clock, got '${text}'`,
      );
    }
    return at;
  };
  /** token, billing-entity, unit, product and billing-timeout. */
  const billing = () => {
    const token = get('token')?.trim() ?? '';
    const entityText = raw('billing-entity');
    const entity =
      /^(user|org|enterprise):([A-Za-z0-9][A-Za-z0-9._-]*)(?:\/([A-Za-z0-9][A-Za-z0-9-]*))?$/.exec(
        entityText,
      );
    if (entityText !== '' && (!entity || (entity[3] !== undefined && entity[1] !== 'org'))) {
      problems.push(
        `'billing-entity' must be user:NAME, org:NAME, org:NAME/MEMBER or enterprise:NAME, or empty for the token's own user, got '${entityText}'`,
      );
    }
    const unit = oneOf('unit', UNITS);
    const product = raw('product');
    if (!/^[A-Za-z0-9._ -]+$/.test(product)) {
      problems.push(`'product' must be a product name such as copilot, got '${product}'`);
    }
    const billingEntity: BillingEntity | undefined = entity
      ? {
          kind: entity[1] as BillingEntity['kind'],
          name: entity[2] as string,
          ...(entity[3] ? { member: entity[3] } : {}),
        }
      : undefined;
    const billingTimeout = number(
      'billing-timeout',
      'a number of seconds greater than 0 and at most 600 (the whole billing read)',
      (n) => n > 0 && n <= 600,
    );
    return { token, billingEntity, unit, product, billingTimeout };
  };
  const done = () => {
    if (problems.length > 0) throw new InputError(problems);
  };
  return { problems, raw, number, oneOf, boolean, resetDay, now, billing, done };
}

/** Parses inputs; throws InputError naming every bad input at once. */
export function parseInputs(get: InputGetter): Inputs {
  const read = inputReader(get);
  const quota = read.number(
    'quota',
    'a number greater than 0 (the monthly allowance)',
    (n) => n > 0,
  );
  const billing = read.billing();
  // With a token, usage comes from the billing API and `used` is only its fallback.
  const used =
    billing.token && read.raw('used') === ''
      ? undefined
      : read.number(
          'used',
          `a number of 0 or more (fractions allowed)${billing.token ? '' : ', or give a token to read it from the billing API'}`,
          (n) => n >= 0,
        );
  const resetDay = read.resetDay();
  const targetPercent = read.number(
    'target-percent',
    'a percentage greater than 0 and at most 100',
    (n) => n > 0 && n <= 100,
  );
  const mode = read.oneOf<RequestedMode>('mode', ['auto', 'pace', ...MODES]);
  const dryRun = read.boolean('dry-run');
  const now = read.now();
  const apply = read.oneOf('apply', ['rewrite', 'record'] as const);
  // A line break in a path would split the changed-files output and the log line it is on.
  for (const name of ['config', 'workflows-dir', 'history-file', 'backup-dir']) {
    if (/\p{Cc}/u.test(get(name)?.trim() ?? '')) {
      read.problems.push(`'${name}' must be a path on one line, without control characters`);
    }
  }
  read.done();
  return {
    quota,
    used,
    ...billing,
    resetDay,
    mode,
    targetPercent,
    dryRun,
    now,
    // Unlike the others, a history-file set to empty is meaningful: it turns history off.
    historyFile: get('history-file')?.trim() ?? DEFAULTS['history-file'],
    config: read.raw('config'),
    workflowsDir: read.raw('workflows-dir'),
    backupDir: read.raw('backup-dir'),
    apply,
  };
}
