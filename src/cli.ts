/** The command-line front door: the same pipeline as the action, run against a checkout. */
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULTS, InputError, parseInputs } from './inputs.js';
import { orchestrate } from './orchestrate.js';
import { resolvePathInputs } from './paths.js';
import { plainText } from './report/escape.js';
import { describeSchedule, statusLines } from './report/outputs.js';
import { FileProblems, parseConfig } from './schedule/config.js';
import { formatFor } from './schedule/format.js';
import { getErrorMessage, redactor } from './secret.js';
import { FLEET_POLICIES, simulateFleet } from './simulate/fleet.js';
import {
  jsonReport,
  SEEDS_HEAD,
  seedRows,
  seedsJson,
  TABLE_HEAD,
  tableRows,
  terminalChart,
} from './simulate/report.js';
import { POLICIES, parseScenario, simulate } from './simulate/simulator.js';
import { readTextFile } from './text.js';
import { MODES } from './usage/tracker.js';

const USAGE = `Usage: dynamic-orchestrator [run|status|simulate] [options]

  run (default)   track usage, choose the mode and rewrite the managed schedules
  status          show each managed workflow's schedule now and in every mode; with
                  --quota and --used, the usage, the recommended mode, and each
                  workflow's current against its recommended schedule (nothing written)
  simulate        play a period with each policy: --scenario FILE [--json]
                  [--seeds N --noise X]

Options (the action's inputs):
  --quota N            monthly allowance (run: required)
  --used N             used so far this period (run: required)
  --reset-day D        day of the month the quota resets (default 1)
  --mode M             auto, pace, aggressive, normal or conservative (default auto)
  --target-percent P   with --mode pace, the share of the quota to land on (default 95)
  --apply A            rewrite (default) or record (only record the mode, for gates)
  --billing-entity E   user:NAME, org:NAME[/MEMBER] or enterprise:NAME; the token comes
                       from the DYNAMIC_ORCHESTRATOR_TOKEN variable, never from a flag
  --unit U             ai-credits (default) or premium-requests
  --product P          default copilot
  --billing-timeout S  seconds the whole billing read may take (default 60)
  --dry-run            write nothing; print the diff
  --now ISO            evaluate at this moment instead of the clock
  --config PATH        default .github/orchestrator.yml
  --workflows-dir DIR  default .github/workflows
  --history-file PATH  default .github/orchestrator-history.json ('' turns it off)
  --backup-dir DIR     keep a copy of each replaced file here
  --backup-keep N      backups kept of each file (default 10)
  --dir DIR            the checkout to work on (default: the current directory)
  --scenario FILE      simulate: the scenario (JSON)
  --json               simulate: print one JSON object instead of a table and chart
  --seeds N            simulate: play N seeds (1 to 1000) and report each policy's spread
  --noise X            simulate: scale each day's other use by a factor drawn from
                       [1-X, 1+X] (0 to 1; default 0, or 0.4 with --seeds)
  -h, --help           this text`;

const STRING_OPTIONS = [
  'quota',
  'used',
  'reset-day',
  'mode',
  'now',
  'config',
  'workflows-dir',
  'history-file',
  'backup-dir',
  'backup-keep',
  'dir',
  'scenario',
  'seeds',
  'noise',
  'target-percent',
  'apply',
  'billing-entity',
  'unit',
  'product',
  'billing-timeout',
];

/**
 * `--quota -5` as `--quota=-5`: a value that starts with a dash but is a number is that
 * option's value, so it gets the input's own message rather than the parser's.
 */
function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    const name = /^--([a-z-]+)$/.exec(arg)?.[1];
    if (name && STRING_OPTIONS.includes(name) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** Runs the CLI; returns the exit code. Output goes through `print` (stdout) and `fail` (stderr). */
export async function cli(
  argv: string[],
  toStdout: (line: string) => void = console.log,
  toStderr: (line: string) => void = console.error,
): Promise<number> {
  // Every line is scrubbed of the token and escaped: the CLI may run inside a workflow step,
  // where a file name or an API message could otherwise become a workflow command.
  const redact = redactor(process.env.DYNAMIC_ORCHESTRATOR_TOKEN?.trim() ?? '');
  const print = (line: string) => toStdout(plainText(redact(line)));
  const fail = (line: string) => toStderr(plainText(redact(line)));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv),
      allowPositionals: true,
      options: {
        ...Object.fromEntries(STRING_OPTIONS.map((name) => [name, { type: 'string' as const }])),
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail(`${getErrorMessage(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0] ?? 'run';
  if (values.help) {
    print(USAGE);
    return 0;
  }
  if (!['run', 'status', 'simulate'].includes(command) || positionals.length > 1) {
    fail(`Unknown command '${positionals.join(' ')}'\n\n${USAGE}`);
    return 2;
  }
  const get = (name: string) => {
    // A secret on the command line would land in shell history and process lists.
    if (name === 'token') return process.env.DYNAMIC_ORCHESTRATOR_TOKEN;
    const value = name === 'dry-run' ? (values['dry-run'] ? 'true' : undefined) : values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const workspace = resolve(get('dir') ?? '.');
  try {
    if (command === 'status') return await status(workspace, get, print);
    if (command === 'simulate') return simulateCommand(get, Boolean(values.json), print, fail);
    const inputs = parseInputs(get);
    const result = await orchestrate({ ...inputs, workspace });
    for (const line of statusLines(result)) print(line);
    for (const note of result.notes) print(note);
    for (const warning of result.warnings) fail(`warning: ${warning}`);
    if (inputs.dryRun && result.diff) print(`\n${result.diff}`);
    return 0;
  } catch (error) {
    if (error instanceof InputError || error instanceof FileProblems) {
      // Input names read as the flags that set them here.
      const names = new RegExp(`'(${[...STRING_OPTIONS, 'dry-run'].join('|')})'`, 'g');
      fail(`error: ${error.message.replace(names, '--$1')}`);
      return 1;
    }
    fail(`error: ${getErrorMessage(error)}`);
    return 1;
  }
}

/**
 * Each managed workflow's schedule now, and what every mode would set; given the usage, the
 * recommended mode and, per workflow, whether its schedule needs an update. Writes nothing.
 */
async function status(
  workspace: string,
  get: (name: string) => string | undefined,
  print: (line: string) => void,
): Promise<number> {
  if (get('quota') !== undefined || get('used') !== undefined) {
    const inputs = parseInputs((name) => (name === 'dry-run' ? 'true' : get(name)));
    const result = await orchestrate({ ...inputs, workspace });
    for (const line of statusLines(result).slice(0, 3)) print(line);
    print(`Recommended mode: ${result.decision.mode} (${result.decision.reason})`);
    for (const w of result.workflows) {
      print('');
      print(w.path);
      print(`  current:      ${describeSchedule(w.before)}`);
      print(`  recommended:  ${describeSchedule(w.after)} (${w.tier})`);
      print(`  status:       ${w.changed ? 'UPDATE NEEDED' : 'up to date'}`);
    }
    const stale = result.workflows.filter((w) => w.changed).length;
    print('');
    print(
      stale === 0
        ? 'Every managed schedule is what the recommended mode wants.'
        : `${stale} of ${result.workflows.length} workflows need an update: run without 'status' to apply it.`,
    );
    return 0;
  }
  // The same path rules and file reads as the action: inside the workspace, strict UTF-8.
  const paths = resolvePathInputs(workspace, {
    config: get('config') ?? DEFAULTS.config,
    historyFile: '',
    workflowsDir: get('workflows-dir') ?? DEFAULTS['workflows-dir'],
    backupDir: '',
  });
  const configPath = paths.config;
  const configText = paths.configFound
    ? readTextFile(join(paths.root, configPath), configPath)
    : undefined;
  if (configText === undefined) {
    throw new FileProblems([`no config at ${configPath} in ${workspace}: nothing is managed`]);
  }
  const config = parseConfig(configText, configPath);
  for (const managed of config.workflows) {
    const path = join(paths.workflowsDir, managed.file);
    const text = readTextFile(join(paths.root, path), path);
    if (text === undefined) {
      throw new FileProblems([
        `${configPath}:${managed.line}: workflows.${managed.file}: cannot read ${path} in ${workspace} (ENOENT); fix the name, --workflows-dir or --dir`,
      ]);
    }
    const now = formatFor(managed.file).read(text, path);
    print(`${path}`);
    print(`  now:          ${describeSchedule(now)}`);
    for (const mode of MODES) {
      const crons = managed.schedules[mode].map((cron) => ({ cron, timezone: now[0]?.timezone }));
      print(`  ${`${mode}:`.padEnd(14)}${describeSchedule(crons)}`);
    }
  }
  return 0;
}

/** Options a simulation does not use: the scenario file holds them, so a flag would be ignored. */
const NOT_FOR_SIMULATE: Record<string, string> = {
  'target-percent': "set 'targetPercent' in the scenario file",
  mode: 'simulate plays every policy (auto, pace, gate-auto, gate-pace) side by side',
};

/** Plays a scenario with every policy; prints JSON, or a table and the usage curves. */
function simulateCommand(
  get: (name: string) => string | undefined,
  json: boolean,
  print: (line: string) => void,
  fail: (line: string) => void,
): number {
  const file = get('scenario');
  if (!file) {
    fail(`simulate needs --scenario FILE\n\n${USAGE}`);
    return 2;
  }
  const problems = Object.entries(NOT_FOR_SIMULATE)
    .filter(([name]) => get(name) !== undefined)
    .map(([name, why]) => `--${name} does not apply to simulate: ${why}`);
  const seedsText = get('seeds');
  const noiseText = get('noise');
  const seeds = seedsText === undefined ? undefined : Number(seedsText);
  if (seeds !== undefined && !(Number.isInteger(seeds) && seeds >= 1 && seeds <= 1000))
    problems.push(`--seeds must be a whole number from 1 to 1000, got '${seedsText}'`);
  const noise = noiseText === undefined ? (seeds ? 0.4 : 0) : Number(noiseText);
  if (!(Number.isFinite(noise) && noise >= 0 && noise <= 1))
    problems.push(`--noise must be a share from 0 to 1, got '${noiseText}'`);
  if (problems.length > 0) {
    fail(`error: ${problems.join('\n')}`);
    return 2;
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`error: cannot read the scenario ${file}: ${getErrorMessage(error)}`);
    return 1;
  }
  const scenario = parseScenario(data, file);
  const name = basename(file, '.json');
  // A fleet scenario plays the fleet's policies; a single repository's, the action's.
  const policies: readonly string[] = scenario.repositories ? FLEET_POLICIES : POLICIES;
  const play = (policy: string, options: { seed?: number; noise: number }) =>
    scenario.repositories
      ? simulateFleet(scenario, policy as (typeof FLEET_POLICIES)[number], options)
      : simulate(scenario, policy as (typeof POLICIES)[number], options);
  if (seeds !== undefined) {
    const results = Object.fromEntries(
      policies.map((policy) => [
        policy,
        Array.from({ length: seeds }, (_, i) => play(policy, { seed: i + 1, noise })),
      ]),
    );
    if (json) print(JSON.stringify(seedsJson(results), null, 2));
    else print([...SEEDS_HEAD, ...seedRows(name, results)].join('\n'));
    return 0;
  }
  const results = Object.fromEntries(policies.map((policy) => [policy, play(policy, { noise })]));
  if (json) {
    print(JSON.stringify(jsonReport(results), null, 2));
    return 0;
  }
  print([...TABLE_HEAD, ...tableRows(name, results)].join('\n'));
  print('');
  print(terminalChart(scenario, results));
  return 0;
}
