import { describe, expect, it } from 'vitest';
import { FileProblems, parseConfig } from '../../src/schedule/config.js';
import { cronProblem } from '../../src/schedule/cron.js';
import { PRESETS } from '../../src/schedule/presets.js';

const PATH = '.github/orchestrator.yml';

function problems(text: string): string[] {
  try {
    parseConfig(text, PATH);
  } catch (error) {
    if (error instanceof FileProblems) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('parseConfig', () => {
  it('reads crons, lists and presets, with overrides on top of a preset', () => {
    const config = parseConfig(
      `workflows:
  agent-spawner.yml:
    aggressive: '17 */2 * * *'
    normal: '17 */3 * * *'
    conservative: '17 */6 * * *'
  learn-from-hackernews.yml:
    aggressive: ['5 */2 * * *']
    normal: ['0 8 * * *', '0 14 * * *', '0 20 * * *']
    conservative: '0 8 * * *'
  idea-generator.yml:
    preset: ideas
    conservative: ['0 9 * * 1', '0 9 * * 4']
`,
      PATH,
    );
    expect(config.workflows.map((w) => [w.file, w.line])).toEqual([
      ['agent-spawner.yml', 2],
      ['learn-from-hackernews.yml', 6],
      ['idea-generator.yml', 10],
    ]);
    expect(config.workflows[1]?.schedules.normal).toEqual([
      '0 8 * * *',
      '0 14 * * *',
      '0 20 * * *',
    ]);
    expect(config.workflows[2]?.schedules).toEqual({
      aggressive: PRESETS.ideas?.aggressive,
      normal: PRESETS.ideas?.normal,
      conservative: ['0 9 * * 1', '0 9 * * 4'],
    });
  });

  it('ships presets whose crons GitHub accepts and that avoid the top of the hour', () => {
    expect(Object.keys(PRESETS).sort()).toEqual(['agents', 'ai-ideas', 'ideas', 'learning']);
    for (const preset of Object.values(PRESETS)) {
      for (const cron of Object.values(preset).flat()) {
        expect(cronProblem(cron)).toBeUndefined();
        expect(cron.split(' ')[0]).not.toBe('0');
      }
    }
  });

  it.each([
    [
      'a bad cron, quoted with its entry and line',
      "workflows:\n  a.yml:\n    preset: agents\n    normal: '0 0 * * * *'\n",
      `${PATH}:4: workflows.a.yml.normal: cron '0 0 * * * *' is not valid for GitHub: expected 5 fields`,
    ],
    [
      'a Quartz cron',
      "workflows:\n  a.yml:\n    preset: agents\n    normal: ['0 0 L * *']\n",
      `${PATH}:4: workflows.a.yml.normal: cron '0 0 L * *'`,
    ],
    [
      'an unknown preset',
      'workflows:\n  a.yml:\n    preset: turbo\n',
      `${PATH}:3: workflows.a.yml.preset 'turbo' is not a preset; choose one of learning, ideas, ai-ideas, agents`,
    ],
    [
      'a missing mode',
      "workflows:\n  a.yml:\n    normal: '0 1 * * *'\n",
      `${PATH}:2: workflows.a.yml has no 'aggressive' schedule`,
    ],
    [
      'an unknown key',
      'workflows:\n  a.yml:\n    preset: agents\n    speed: 3\n',
      `${PATH}:4: workflows.a.yml: unknown key 'speed'`,
    ],
    [
      'an empty list',
      'workflows:\n  a.yml:\n    preset: agents\n    normal: []\n',
      `${PATH}:4: workflows.a.yml.normal is an empty list`,
    ],
    [
      'a path instead of a file name',
      'workflows:\n  ../x.yml:\n    preset: agents\n',
      `${PATH}:2: '../x.yml' must be a workflow file name`,
    ],
    [
      'a top-level typo',
      'workflow:\n  a.yml:\n    preset: agents\n',
      `${PATH}:1: unknown key 'workflow'`,
    ],
    ['not YAML', 'workflows: [\n', `${PATH}:`],
  ])('refuses %s', (_what, text, start) => {
    const found = problems(text);
    expect(found[0]).toContain(start);
  });

  it('reads cost and priority for pace mode, with defaults 1 and 0', () => {
    const config = parseConfig(
      'workflows:\n  a.yml:\n    preset: agents\n    cost: 13\n    priority: 2\n  b.yml:\n    preset: ideas\n',
      PATH,
    );
    expect(config.workflows.map((w) => [w.file, w.cost, w.priority])).toEqual([
      ['a.yml', 13, 2],
      ['b.yml', 1, 0],
    ]);
    expect(problems('workflows:\n  a.yml:\n    preset: agents\n    cost: 0\n')[0]).toContain(
      `${PATH}:4: workflows.a.yml.cost must be a number greater than 0`,
    );
    expect(problems('workflows:\n  a.yml:\n    preset: agents\n    priority: high\n')[0]).toContain(
      'priority must be a number',
    );
  });

  it('reports every problem of the file at once', () => {
    const found = problems(
      "workflows:\n  a.yml:\n    preset: nope\n  b.yml:\n    preset: agents\n    normal: '@daily'\n",
    );
    expect(found).toHaveLength(2);
    expect(found[0]).toContain(':3:');
    expect(found[1]).toContain(':6:');
  });

  it("takes an agentic workflow (.md) with tiers in gh-aw's words, crons or a preset", () => {
    const config = parseConfig(
      `workflows:
  digest.md:
    aggressive: every 2h
    normal: [every 6h, '0 9 * * 1']
    conservative: daily  on   weekdays
  triage.md:
    preset: agents
`,
      PATH,
    );
    expect(config.workflows.map((w) => [w.file, w.schedules])).toEqual([
      [
        'digest.md',
        {
          aggressive: ['every 2h'],
          normal: ['every 6h', '0 9 * * 1'],
          conservative: ['daily on weekdays'],
        },
      ],
      ['triage.md', { ...PRESETS.agents }],
    ]);
  });

  it('refuses lock files, gh-aw words for a .yml, and forms gh-aw rejects, each with its line', () => {
    expect(
      problems(`workflows:
  report.lock.yml:
    preset: agents
  agent.yml:
    aggressive: every 2h
    normal: '17 */3 * * *'
    conservative: '17 */6 * * *'
  digest.md:
    aggressive: every 5h
    normal: monthly
    conservative: daily
`),
    ).toEqual([
      `${PATH}:2: 'report.lock.yml' is a gh-aw lock file, compiled from report.md: manage report.md instead (the next 'gh aw compile' would put the lock file's old schedule back, and an edited lock file no longer matches its source)`,
      expect.stringMatching(
        /^\.github\/orchestrator\.yml:5: workflows\.agent\.yml\.aggressive: cron 'every 2h' is not valid for GitHub: expected 5 fields .*; gh-aw's schedule words \(daily, …\) are for a \.md agentic workflow only$/,
      ),
      expect.stringMatching(
        /^\.github\/orchestrator\.yml:9: workflows\.digest\.md\.aggressive: schedule 'every 5h' is not a form gh-aw accepts \(every 5h is not an hour interval gh-aw accepts: use 1, 2, 3, 4, 6, 8, 12 \(hours that divide the day\)\); accepted forms: /,
      ),
      expect.stringMatching(
        /^\.github\/orchestrator\.yml:10: workflows\.digest\.md\.normal: schedule 'monthly'/,
      ),
    ]);
  });
});
