/**
 * One bounded request policy for the GitHub API clients. Every attempt has a timeout, the whole
 * read has a time budget, and a single retry rule covers server errors, time-outs and rate
 * limits alike: a few attempts, a wait the server asks for only when it is short and fits in
 * what is left of the budget. (The retry and throttling plugins each had their own rule; nested,
 * they made up to twelve requests for one 429 and waited out an hour-long Retry-After.)
 */

/** Defaults; the budget is the `billing-timeout` input. */
export const POLICY = Object.freeze({
  /** The whole read, in seconds. */
  budgetSeconds: 60,
  /** Attempts per request, the first included. */
  attempts: 3,
  /** Each attempt's timeout, in ms; never past the end of the budget. */
  attemptTimeoutMs: 20_000,
  /** The longest wait between attempts that is honoured, in ms. */
  longestWaitMs: 30_000,
  /** Backoff when the server names no wait: this, then 4x (attempt squared). */
  retryBaseMs: 1000,
});

export interface PolicyOptions {
  budgetMs: number;
  attempts?: number;
  attemptTimeoutMs?: number;
  longestWaitMs?: number;
  retryBaseMs?: number;
}

/** An attempt that got no answer in its time. */
export class TimedOut extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${seconds(ms)}`);
    this.name = 'TimedOut';
  }
}

/** The budget ran out, or the wait asked for would not fit in it; `last` is the last failure. */
export class OutOfTime extends Error {
  constructor(
    message: string,
    readonly budgetMs: number,
    readonly last: unknown,
    /** The wait the server asked for, in ms, when that is why the retries stopped. */
    readonly waitMs?: number,
  ) {
    super(message);
    this.name = 'OutOfTime';
  }
}

/** Whole seconds from 10 s on; below, to the hundredth (the budgets tests use). */
const seconds = (ms: number) => `${Number((ms / 1000).toFixed(ms >= 10_000 ? 0 : 2))} s`;

interface HttpFailure {
  status?: number;
  response?: { headers?: Record<string, string | undefined> };
}

/** The wait a Retry-After or rate-limit reset header asks for, in ms; undefined when none. */
export function askedWait(error: unknown, now = Date.now()): number | undefined {
  const headers = (error as HttpFailure).response?.headers ?? {};
  const after = headers['retry-after']?.trim();
  if (after) {
    if (/^\d+$/.test(after)) return Number(after) * 1000;
    const at = Date.parse(after);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = headers['x-ratelimit-reset'];
  if (headers['x-ratelimit-remaining'] === '0' && reset && /^\d+$/.test(reset)) {
    return Math.max(0, Number(reset) * 1000 - now);
  }
  return undefined;
}

/** Whether a failure is worth another attempt: time-outs, network errors, 5xx and rate limits. */
function retryable(error: unknown): boolean {
  if (error instanceof TimedOut) return true;
  const { status, response } = error as HttpFailure;
  if (status === undefined) return false;
  if (status === 429 || status >= 500) return true;
  // GitHub answers a rate limit with 403 too; other 403s are about the token.
  const headers = response?.headers ?? {};
  return (
    status === 403 &&
    (headers['retry-after'] !== undefined || headers['x-ratelimit-remaining'] === '0')
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A time budget shared by every request of one read. */
export class Budget {
  readonly options: Required<PolicyOptions>;
  private readonly end: number;

  constructor(options: PolicyOptions) {
    this.options = {
      attempts: POLICY.attempts,
      attemptTimeoutMs: POLICY.attemptTimeoutMs,
      longestWaitMs: POLICY.longestWaitMs,
      retryBaseMs: POLICY.retryBaseMs,
      ...options,
    };
    this.end = Date.now() + options.budgetMs;
  }

  /** Milliseconds left. */
  left(): number {
    return this.end - Date.now();
  }

  /**
   * Runs `attempt` under the policy: aborts it at its timeout or the end of the budget, and
   * retries what is retryable while attempts and time remain.
   */
  async run<T>(attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { attempts, attemptTimeoutMs, longestWaitMs, retryBaseMs, budgetMs } = this.options;
    const outOfTime = (last: unknown) =>
      new OutOfTime(`no answer within the ${seconds(budgetMs)} budget`, budgetMs, last);
    for (let n = 1; ; n++) {
      const left = this.left();
      if (left <= 0) throw outOfTime(undefined);
      const limit = Math.min(attemptTimeoutMs, left);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), limit);
      let failure: unknown;
      try {
        const result = await attempt(controller.signal);
        // A body cut off by the abort can come back as an empty answer rather than an error.
        if (!controller.signal.aborted) return result;
        failure = new TimedOut(limit);
      } catch (error) {
        failure = controller.signal.aborted ? new TimedOut(limit) : error;
      } finally {
        clearTimeout(timer);
      }
      // Timed out at the end of the budget, not at its own timeout: no time left to retry in.
      if (failure instanceof TimedOut && (limit < attemptTimeoutMs || this.left() <= 0)) {
        throw outOfTime(failure);
      }
      if (!retryable(failure) || n >= attempts) throw failure;
      const asked = askedWait(failure);
      const wait = asked ?? retryBaseMs * n * n;
      if (wait > longestWaitMs || wait >= this.left()) {
        const why =
          asked === undefined
            ? `the next retry would start after the ${seconds(budgetMs)} budget`
            : `the server asked to wait ${seconds(asked)}, longer than ${
                wait > longestWaitMs
                  ? `the longest wait honoured (${seconds(longestWaitMs)})`
                  : `what is left of the ${seconds(budgetMs)} budget`
              }`;
        throw new OutOfTime(why, budgetMs, failure, asked);
      }
      await sleep(wait);
    }
  }
}
