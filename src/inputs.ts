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
  /** How late the usage figure is, in hours (pace adds what was spent since). */
  billingLagHours: number;
  dryRun: boolean;
  /** The moment to evaluate; the clock unless the `now` input is set. */
  now: Date;
  historyFile: string;
  config: string;
  workflowsDir: string;
  backupDir: string;
  /** How many backups of each file backup-dir keeps. */
  backupKeep: number;
  /** rewrite: change the schedules (pull-request flow); record: only record the mode, for gates. */
  apply: 'rewrite' | 'record';
  /** A `gh aw logs --json` file that sets each workflow's cost per run; '' for none. */
  runCosts: string;
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
  'backup-keep': '10',
  token: '',
  'billing-entity': '',
  unit: 'ai-credits',
  product: 'copilot',
  'billing-timeout': '60',
  'target-percent': '95',
  'billing-lag-hours': '0',
  apply: 'rewrite',
  'run-costs': '',
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

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
// Date, then optionally T (or a space) and a time, then optionally Z or an offset ±hh:mm.
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))?)?$/;
const NOW_FORMS =
  'an ISO 8601 time: YYYY-MM-DD, optionally followed by T (or a space) and hh:mm, hh:mm:ss or hh:mm:ss.fff, then optionally Z or an offset such as +02:00 (without one it is UTC), for example 2025-11-12T00:00:00Z; or empty for the clock';

const daysIn = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;

/**
 * Reads `now` by its own grammar into UTC, never through Date's parser: that reads some forms in
 * the runner's zone, rolls 2026-02-30 into March and maps years 0-99 to the 1900s.
 */
export function parseNow(text: string): Date | string {
  const m = ISO_8601.exec(text);
  if (!m) return `'now' must be ${NOW_FORMS}, got '${text}'`;
  const n = (i: number) => Number(m[i] ?? 0);
  const [year, month, day, hour, minute, second] = [n(1), n(2), n(3), n(4), n(5), n(6)];
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (year < 1970) return `'now' must be in 1970 or later, got '${text}' (${NOW_FORMS})`;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
    return `'now' names a day that does not exist, got '${text}' (${NOW_FORMS})`;
  }
  const [offsetHours, offsetMinutes] = [n(10), n(11)];
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) {
    return `'now' has a time that does not exist, got '${text}' (${NOW_FORMS})`;
  }
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset);
  if (at.getTime() < 0) return `'now' must be in 1970 or later, got '${text}' (${NOW_FORMS})`;
  return at;
}
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
    const at = parseNow(text);
    if (typeof at === 'string') {
      problems.push(at);
      return new Date(Number.NaN);
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
  const billingLagHours = read.number(
    'billing-lag-hours',
    'a number of hours from 0 to 72 (how late the usage figure is)',
    (n) => n >= 0 && n <= 72,
  );
  const mode = read.oneOf<RequestedMode>('mode', ['auto', 'pace', ...MODES]);
  const dryRun = read.boolean('dry-run');
  const now = read.now();
  const apply = read.oneOf('apply', ['rewrite', 'record'] as const);
  const backupKeep = read.number(
    'backup-keep',
    'a whole number from 1 to 1000 (the backups backup-dir keeps of each file)',
    (n) => Number.isInteger(n) && n >= 1 && n <= 1000,
  );
  // A line break in a path would split the changed-files output and the log line it is on.
  for (const name of ['config', 'workflows-dir', 'history-file', 'backup-dir', 'run-costs']) {
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
    billingLagHours,
    dryRun,
    now,
    // Unlike the others, a history-file set to empty is meaningful: it turns history off.
    historyFile: get('history-file')?.trim() ?? DEFAULTS['history-file'],
    config: read.raw('config'),
    workflowsDir: read.raw('workflows-dir'),
    backupDir: read.raw('backup-dir'),
    backupKeep,
    apply,
    runCosts: read.raw('run-costs'),
  };
}
