/**
 * gh-aw's schedule words (the "fuzzy" forms of an agentic workflow's frontmatter, such as
 * `daily on weekdays` or `every 2h`): which forms gh-aw's compiler accepts, and how many runs a
 * day each makes. gh-aw scatters the minute (and often the hour and day) of a fuzzy form from a
 * hash of the workflow's path when it compiles, so nothing here ever picks one for a file: the
 * model crons below only place runs in time for counting and for the simulator.
 *
 * Facts from gh-aw's docs (reference/schedule-syntax, reference/fuzzy-schedule-specification):
 * minute intervals are fixed `*\/N` crons with a 5-minute minimum (documented: 5, 10, 15, 20, 30);
 * hour intervals must divide 24 (1, 2, 3, 4, 6, 8, 12); `on weekdays` restricts daily, hourly and
 * hour-interval forms to Monday-Friday; `every N days` compiles to `0 0 *\/N * *`; `monthly` and
 * `daily at <time>` are rejected.
 */

const DAY_OF_WEEK = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
export const MINUTE_INTERVALS = [5, 10, 15, 20, 30] as const;
export const HOUR_INTERVALS = [1, 2, 3, 4, 6, 8, 12] as const;

/** The forms, in words, for error messages. */
export const ACCEPTED_FORMS =
  "daily, daily on weekdays, daily around 14:00, daily between 9:00 and 17:00 (each may end in 'on weekdays'), hourly, every Nh (N = 1, 2, 3, 4, 6, 8 or 12; may end in 'on weekdays'), every N minutes (N = 5, 10, 15, 20 or 30), weekly, weekly on monday (may add 'around <time>' or 'between <time> and <time>'), bi-weekly, tri-weekly, every N days, every N weeks (1 to 4), every N months (1 to 12); times as 14:00, 9am, 3:30pm, noon or midnight, each with an optional utc+N or utc-N offset";

/** One parsed fuzzy form. */
export interface FuzzyForm {
  /** The words as written, trimmed, spaces collapsed. */
  text: string;
  /** Average runs a day (the table). */
  runsPerDay: number;
  /**
   * A cron that places runs the way the form does, for counting and simulation only: gh-aw's own
   * cron where the form has one (`every 10 minutes`, `every 2 days`), else one at the middle of
   * the form's window. Never written to a file.
   */
  model: string;
  /** The form's cron meaning is fixed (no scattering): the model is what gh-aw compiles. */
  fixed: boolean;
}

/** A schedule string that starts with a letter is words, not a cron (a cron's minute field never does). */
export function isWords(value: string): boolean {
  return /^\s*[A-Za-z]/.test(value);
}

/**
 * Whether a string on its own reads as a schedule (its first word starts a form, or a rejected
 * one): how gh-aw's `on: daily` shorthand is told from an event name such as `on: push`.
 */
export function startsSchedule(value: string): boolean {
  return /^\s*(daily|hourly|weekly|bi-weekly|tri-weekly|every|monthly|yearly)\b/i.test(value);
}

const normalize = (value: string) => value.trim().replace(/\s+/g, ' ');

/** Minutes after UTC midnight of a time with an optional utc offset, or a problem. */
function parseTime(tokens: string[], at: number): { minutes: number; next: number } | string {
  const word = tokens[at];
  if (word === undefined) return 'a time is missing (such as 14:00, 9am or noon)';
  let minutes: number | undefined;
  const h24 = /^(\d{1,2}):(\d{2})$/.exec(word);
  const h12 = /^(\d{1,2})(?::(\d{2}))?(am|pm)$/.exec(word);
  if (word === 'noon') minutes = 12 * 60;
  else if (word === 'midnight') minutes = 0;
  else if (h24) {
    const [hour, minute] = [Number(h24[1]), Number(h24[2])];
    if (hour <= 23 && minute <= 59) minutes = hour * 60 + minute;
  } else if (h12) {
    const [hour, minute] = [Number(h12[1]), Number(h12[2] ?? 0)];
    if (hour >= 1 && hour <= 12 && minute <= 59)
      minutes = ((hour % 12) + (h12[3] === 'pm' ? 12 : 0)) * 60 + minute;
  }
  if (minutes === undefined) {
    return `'${word}' is not a time: use 24-hour HH:MM (0-23), 12-hour such as 9am or 3:30pm, noon or midnight`;
  }
  let next = at + 1;
  const offset = /^utc([+-])(\d{1,2})(?::(\d{2}))?$/.exec(tokens[next] ?? '');
  if (offset) {
    const size = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
    const signed = offset[1] === '-' ? -size : size;
    if (signed < -12 * 60 || signed > 14 * 60 || Number(offset[3] ?? 0) > 59) {
      return `'${tokens[next]}' is not a UTC offset gh-aw accepts (utc-12 to utc+14)`;
    }
    minutes = (((minutes - signed) % 1440) + 1440) % 1440;
    next++;
  } else if (/^utc/.test(tokens[next] ?? '')) {
    return `'${tokens[next]}' is not a UTC offset: write utc+9, utc-5 or utc+05:30`;
  }
  return { minutes, next };
}

/** The window a time constraint leaves (start minute and length), from `at` on. */
function parseWindow(
  tokens: string[],
  at: number,
): { start: number; length: number; next: number } | string | undefined {
  if (tokens[at] === 'around') {
    const time = parseTime(tokens, at + 1);
    if (typeof time === 'string') return `after 'around': ${time}`;
    return { start: time.minutes - 60, length: 120, next: time.next };
  }
  if (tokens[at] === 'between') {
    const from = parseTime(tokens, at + 1);
    if (typeof from === 'string') return `after 'between': ${from}`;
    if (tokens[from.next] !== 'and') return "'between' needs two times: between 9:00 and 17:00";
    const to = parseTime(tokens, from.next + 1);
    if (typeof to === 'string') return `after 'and': ${to}`;
    const length = (to.minutes - from.minutes + 1440) % 1440 || 1440;
    return { start: from.minutes, length, next: to.next };
  }
  if (tokens[at] === 'at') {
    return "'at <time>' is not gh-aw syntax: use 'around <time>' (gh-aw scatters within an hour of it) or a cron for a fixed time";
  }
  return undefined;
}

const hm = (minutes: number) => {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${m % 60} ${Math.floor(m / 60)}`;
};

const WEEKDAYS = 5 / 7;

function parseTokens(tokens: string[]): Omit<FuzzyForm, 'text'> | string {
  const [head] = tokens;
  let at = 1;
  const weekdaysAt = (i: number) => tokens[i] === 'on' && tokens[i + 1] === 'weekdays';
  const end = (form: Omit<FuzzyForm, 'text'>) =>
    at === tokens.length
      ? form
      : `'${tokens.slice(at).join(' ')}' cannot follow '${tokens.slice(0, at).join(' ')}'`;
  if (head === 'daily') {
    const window = parseWindow(tokens, at);
    if (typeof window === 'string') return window;
    if (window) at = window.next;
    const weekdays = weekdaysAt(at);
    if (weekdays) at += 2;
    const middle = window ? window.start + window.length / 2 : 12 * 60;
    return end({
      runsPerDay: weekdays ? WEEKDAYS : 1,
      model: `${hm(middle)} * * ${weekdays ? '1-5' : '*'}`,
      fixed: false,
    });
  }
  const joined = head === 'every' ? /^(\d+)(h|hours?)$/.exec(tokens[1] ?? '') : null;
  const apart = /^\d+$/.test(tokens[1] ?? '') && /^(h|hours?)$/.test(tokens[2] ?? '');
  if (head === 'hourly' || joined || (head === 'every' && apart)) {
    let hours = 1;
    if (head === 'every') {
      hours = Number(joined ? joined[1] : tokens[1]);
      at = joined ? 2 : 3;
      if (!(HOUR_INTERVALS as readonly number[]).includes(hours)) {
        return `every ${hours}h is not an hour interval gh-aw accepts: use ${HOUR_INTERVALS.join(', ')} (hours that divide the day)`;
      }
    }
    const weekdays = weekdaysAt(at);
    if (weekdays) at += 2;
    return end({
      runsPerDay: (24 / hours) * (weekdays ? WEEKDAYS : 1),
      model: `30 ${hours === 1 ? '*' : `*/${hours}`} * * ${weekdays ? '1-5' : '*'}`,
      fixed: false,
    });
  }
  if (head === 'weekly') {
    let day = 1;
    if (tokens[at] === 'on') {
      const index = DAY_OF_WEEK.indexOf(tokens[at + 1] ?? '');
      if (index === -1) {
        return `'${tokens[at + 1] ?? ''}' is not a weekday: use one of ${DAY_OF_WEEK.join(', ')}`;
      }
      day = index;
      at += 2;
    }
    const window = parseWindow(tokens, at);
    if (typeof window === 'string') return window;
    if (window) at = window.next;
    const middle = window ? window.start + window.length / 2 : 12 * 60;
    return end({ runsPerDay: 1 / 7, model: `${hm(middle)} * * ${day}`, fixed: false });
  }
  if (head === 'bi-weekly' || head === 'tri-weekly') {
    const days = head === 'bi-weekly' ? 14 : 21;
    return end({ runsPerDay: 1 / days, model: `0 12 */${days} * *`, fixed: false });
  }
  if (head === 'every') return interval(tokens);
  if (head === 'monthly' || head === 'yearly') {
    return `'${head}' is not a form gh-aw accepts`;
  }
  return `'${head}' does not start a form gh-aw accepts`;
}

function undefinedInterval(tokens: string[]): string {
  return `'${tokens.join(' ')}' is not an interval: write every 2h, every 10 minutes or every 2 days`;
}

/** `every N minutes|days|weeks|months`: fixed crons in gh-aw. */
function interval(tokens: string[]): Omit<FuzzyForm, 'text'> | string {
  const joined = /^(\d+)([a-z]+)$/.exec(tokens[1] ?? '');
  const n = Number(joined ? joined[1] : tokens[1]);
  const unit = joined ? joined[2] : tokens[2];
  const at = joined ? 2 : 3;
  if (!Number.isInteger(n) || unit === undefined || (!joined && !/^\d+$/.test(tokens[1] ?? ''))) {
    return undefinedInterval(tokens);
  }
  if (at !== tokens.length) {
    return `'${tokens.slice(at).join(' ')}' cannot follow '${tokens.slice(0, at).join(' ')}' (only hour intervals take 'on weekdays')`;
  }
  if (n < 1) return `every ${n} ${unit}: the interval must be 1 or more`;
  if (/^(m|mins?|minutes?)$/.test(unit)) {
    if (n < 5) return `every ${n} minutes is below gh-aw's minimum interval of 5 minutes`;
    if (!(MINUTE_INTERVALS as readonly number[]).includes(n)) {
      return `every ${n} minutes is not a minute interval gh-aw documents: use ${MINUTE_INTERVALS.join(', ')}`;
    }
    return { runsPerDay: 1440 / n, model: `*/${n} * * * *`, fixed: true };
  }
  if (/^(d|days?)$/.test(unit)) {
    if (n > 31) return `every ${n} days: the interval must be 1 to 31 days`;
    return { runsPerDay: 1 / n, model: n === 1 ? '0 0 * * *' : `0 0 */${n} * *`, fixed: true };
  }
  if (/^(w|weeks?)$/.test(unit)) {
    if (n > 4) return `every ${n} weeks: the interval must be 1 to 4 weeks`;
    return {
      runsPerDay: 1 / (7 * n),
      model: n === 1 ? '0 0 * * 0' : `0 0 */${7 * n} * *`,
      fixed: true,
    };
  }
  if (/^(mo|months?)$/.test(unit)) {
    if (n > 12) return `every ${n} months: the interval must be 1 to 12 months`;
    return {
      runsPerDay: 12 / 365.25 / n,
      model: n === 1 ? '0 0 1 * *' : `0 0 1 */${n} *`,
      fixed: true,
    };
  }
  return `'${unit}' is not a unit: use minutes, h (hours), days, weeks or months`;
}

const parsed = new Map<string, FuzzyForm | string>();

/** Parses a fuzzy form; a string names what is wrong (the caller adds the file and line). */
export function parseFuzzy(value: string): FuzzyForm | string {
  const text = normalize(value);
  let result = parsed.get(text);
  if (result === undefined) {
    const tokens = text.toLowerCase().split(' ');
    const form = parseTokens(tokens);
    result = typeof form === 'string' ? form : { text, ...form };
    parsed.set(text, result);
  }
  return result;
}

/** What is wrong with a fuzzy form, with the accepted forms; undefined when gh-aw accepts it. */
export function fuzzyProblem(value: string): string | undefined {
  const form = parseFuzzy(value);
  if (typeof form !== 'string') return undefined;
  return `schedule '${normalize(value)}' is not a form gh-aw accepts (${form}); accepted forms: ${ACCEPTED_FORMS}`;
}

/** The form of a schedule string that is words, or undefined for a cron (or a rejected form). */
export function fuzzyForm(value: string): FuzzyForm | undefined {
  if (!isWords(value)) return undefined;
  const form = parseFuzzy(value);
  return typeof form === 'string' ? undefined : form;
}

/**
 * The forms pace may write for a rate, slowest first: each gh-aw form spelling a run count a
 * day that a person reads at a glance. Pace never writes a time window or a weekday name: those
 * would be choices of the file's author.
 */
export const PACE_FORMS: readonly FuzzyForm[] = [
  'weekly',
  'daily on weekdays',
  'daily',
  ...[12, 8, 6, 4, 3, 2].flatMap((n) => [`every ${n}h on weekdays`, `every ${n}h`]),
  'hourly on weekdays',
  'hourly',
  ...[30, 20, 15, 10, 5].map((n) => `every ${n} minutes`),
]
  .map((text) => parseFuzzy(text) as FuzzyForm)
  .sort((a, b) => a.runsPerDay - b.runsPerDay);

/** Whether a tier list speaks in gh-aw's words: its first schedule string is a fuzzy form. */
export function inWords(crons: readonly string[]): boolean {
  return crons[0] !== undefined && isWords(crons[0]);
}

/** The pace form whose rate is nearest a rate (the slower one on a tie: under the budget). */
export function formForRate(rate: number): string {
  let best = PACE_FORMS[0] as FuzzyForm;
  for (const form of PACE_FORMS) {
    if (Math.abs(form.runsPerDay - rate) < Math.abs(best.runsPerDay - rate) - 1e-9) best = form;
  }
  return best.text;
}
