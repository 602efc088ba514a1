/**
 * Data that tries to become a workflow command, Markdown or HTML, or to carry the token out:
 * a billing login, file names, API messages. The bundles run as the runner runs them; the log
 * is read the way the runner reads it, line by line.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../helpers/fake-github.js';
import { NODES, ROOT, runActionAsync } from '../helpers/run-action.js';
import { makeWorkspace } from '../helpers/workspace.js';

const TOKEN = 'ghp_injection_TestToken0123456789';
const NOW = '2025-11-12T00:00:00Z';
let github: FakeGitHub | undefined;

afterEach(async () => {
  await github?.close();
  github = undefined;
});

/**
 * Every line the runner would take as a command: the runner splits at CR and LF, takes a line
 * whose first non-blank characters are `::`, and the legacy `##[name]` anywhere in a line.
 */
const commandLines = (log: string) =>
  log.split(/\r\n|\r|\n/).filter((line) => /^\s*::/.test(line) || line.includes('##['));

/** A workspace managing one workflow file of the given name. */
function managing(file: string) {
  return makeWorkspace({
    '.github/orchestrator.yml': `workflows:\n  ${JSON.stringify(file)}:\n    preset: agents\n`,
    [`.github/workflows/${file}`]: "on:\n  schedule:\n    - cron: '17 */3 * * *'\njobs: {}\n",
  });
}

/** GitHub renders the job summary as GFM with HTML allowed; so does this. */
const render = (markdown: string) => new MarkdownIt({ html: true }).render(markdown);

describe.each(NODES)('dist/index.js and hostile data, under %s', (_label, node) => {
  it.each([
    ['octo\n::add-mask::x', '::add-mask::x'],
    ['octo\n::warning title=y::z', '::warning title=y::z'],
    ['octo\r::error::z', '::error::z'],
  ])('a billing login of %j becomes no command', async (login, command) => {
    github = await startFakeGitHub({ token: TOKEN, login });
    for (const used of ['600', '']) {
      const run = await runActionAsync({
        node,
        workspace: managing('agent-spawner.yml'),
        inputs: { quota: '1500', used, token: TOKEN, now: NOW, 'history-file': '' },
        env: { GITHUB_API_URL: github.url },
      });
      expect(run.status).toBe(used ? 0 : 1);
      expect(run.stdout).toContain(`has login = ${JSON.stringify(login)}`);
      const lines = run.stdout.split(/\r\n|\r|\n/);
      expect(lines.filter((l) => l.trimStart().startsWith(command))).toEqual([]);
      // Only our own commands: the mask, and the warning or the error.
      expect(commandLines(run.stdout).map((l) => l.split('::')[1])).toEqual([
        'add-mask',
        used ? 'warning' : 'error',
      ]);
    }
  });

  it('a file name holding ##[add-mask] or ##[warning] becomes no command', async () => {
    for (const file of ['##[add-mask]x.yml', '##[warning title=y]z.yml']) {
      const run = await runActionAsync({
        node,
        workspace: managing(file),
        inputs: { quota: '1500', used: '300', now: NOW, 'history-file': '' },
      });
      expect(run.status).toBe(0);
      expect(commandLines(run.stdout)).toEqual([]);
      expect(run.stdout).toContain(`.github/workflows/##%5B${file.slice(3)}`);
      // Outputs are not log lines: there the name stays as it is.
      expect(run.outputs['changed-files']).toBe(`.github/workflows/${file}`);
    }
  });

  it('a config key or a path input with a line break is refused, naming where', async () => {
    const key = await runActionAsync({
      node,
      workspace: makeWorkspace({
        '.github/orchestrator.yml':
          'workflows:\n  a.yml:\n    preset: agents\n  "b\\n.yml":\n    preset: agents\n',
        '.github/workflows/a.yml': "on:\n  schedule:\n    - cron: '17 */3 * * *'\n",
      }),
      inputs: { quota: '1500', used: '300', now: NOW },
    });
    expect(key.status).toBe(1);
    expect(key.stdout).toMatch(
      /^::error::\.github\/orchestrator\.yml:4: the workflow file name "b\\n\.yml" holds a line break/m,
    );
    const input = await runActionAsync({
      node,
      workspace: managing('a.yml'),
      inputs: { quota: '1500', used: '300', 'history-file': 'h\n.json' },
    });
    expect(input.status).toBe(1);
    expect(input.stdout).toContain(
      "::error::Invalid input: 'history-file' must be a path on one line, without control characters",
    );
  });

  it('a file name with a backtick, <img> and ## renders as text in the summary', async () => {
    const file = 'a`b <img src=x> ## h.yml';
    const run = await runActionAsync({
      node,
      workspace: managing(file),
      inputs: { quota: '1500', used: '300', now: NOW, 'history-file': '' },
    });
    expect(run.status).toBe(0);
    const html = render(run.summary);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<h2>h');
    // The name is shown whole, as code, in the table and in the list of written files.
    const shown = `<code>.github/workflows/a\`b &lt;img src=x&gt; ## h.yml</code>`;
    expect(html.split(shown).length - 1).toBe(2);
  });

  it('an API message with Markdown, HTML and the token shows as text, without the token', async () => {
    const message = `bad token ${TOKEN}\n## heading <img src=x> **bold** [link](http://x)`;
    github = await startFakeGitHub({
      token: TOKEN,
      handler: (r) => (r.path === '/user' ? undefined : { status: 422, body: { message } }),
    });
    const run = await runActionAsync({
      node,
      workspace: managing('agent-spawner.yml'),
      inputs: { quota: '1500', used: '600', token: TOKEN, now: NOW, 'history-file': '' },
      env: { GITHUB_API_URL: github.url },
    });
    expect(run.status).toBe(0);
    const html = render(run.summary);
    expect(html).toMatch(
      /<li>Could not read billing usage .*: bad token \*\*\* ## heading &lt;img/,
    );
    expect(html).not.toMatch(/<img|<h2>heading|<strong>bold|<a href/);
    const everything = [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)].join();
    expect(everything.replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN);
    // The summary escapes `_`: the escaped form of the token is scrubbed too.
    expect(run.summary).not.toContain('ghp\\_injection\\_TestToken');
  });
});

describe.each(NODES)('dist/gate/index.js and hostile data, under %s', (_label, node) => {
  it('a workflow input with a line break is refused, and the log holds no command', async () => {
    const run = await runActionAsync({
      node,
      entry: join(ROOT, 'dist/gate/index.js'),
      workspace: makeWorkspace(),
      inputs: { workflow: 'x\n::add-mask::y.yml' },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error::Invalid input: 'workflow' must be/m);
    expect(commandLines(run.stdout).map((l) => l.split('::')[1])).toEqual(['error']);
  });

  it('an API message that echoes the token reaches the log as ***', async () => {
    github = await startFakeGitHub({
      token: TOKEN,
      handler: (r) =>
        r.path === '/user' ? undefined : { status: 422, body: { message: `no ${TOKEN}` } },
    });
    const run = await runActionAsync({
      node,
      entry: join(ROOT, 'dist/gate/index.js'),
      workspace: managing('agent-spawner.yml'),
      inputs: { workflow: 'agent-spawner.yml', token: TOKEN, quota: '1500', now: NOW },
      env: { GITHUB_API_URL: github.url },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error::Could not read billing usage .*: no \*\*\*$/m);
    const everything = [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)].join();
    expect(everything.replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN);
  });
});

/** Runs dist/cli/index.js without blocking the loop the fake API answers on. */
function cli(cwd: string, env: Record<string, string>, ...args: string[]) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/index.js'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('dist/cli/index.js', () => {
  it('never prints the token a server echoes, in warnings or errors', async () => {
    github = await startFakeGitHub({
      token: TOKEN,
      handler: (r) =>
        r.path === '/user'
          ? undefined
          : { status: 422, body: { message: `the token ${TOKEN} may not read this` } },
    });
    const ws = managing('agent-spawner.yml');
    const env = { DYNAMIC_ORCHESTRATOR_TOKEN: TOKEN, GITHUB_API_URL: github.url };
    const base = ['--quota', '1500', '--now', NOW, '--history-file', '', '--dry-run'];
    const warned = await cli(ws, env, ...base, '--used', '600');
    expect(warned.status).toBe(0);
    expect(warned.stderr).toContain('warning: Could not read billing usage');
    expect(warned.stderr).toContain('the token *** may not read this');
    const failed = await cli(ws, env, ...base);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('error: Could not read billing usage');
    expect(failed.stderr).toContain('the token *** may not read this');
    for (const out of [warned, failed]) {
      expect(out.stdout + out.stderr).not.toContain(TOKEN);
      // A terminal is no runner: the CLI does not print a mask command with the token.
      expect(out.stdout + out.stderr).not.toContain('::add-mask::');
    }
  });

  it('prints no workflow command out of a time zone in a workflow file', async () => {
    const ws = makeWorkspace({
      '.github/orchestrator.yml': 'workflows:\n  a.yml:\n    preset: agents\n',
      '.github/workflows/a.yml':
        'on:\n  schedule:\n    - cron: "17 */3 * * *"\n      timezone: "UTC\\n::warning title=y::z ##[add-mask]q"\njobs: {}\n',
    });
    const out = await cli(ws, {}, '--quota', '10', '--used', '1', '--history-file', '');
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('Invalid timezone');
    expect(commandLines(out.stdout + out.stderr)).toEqual([]);
  });
});
