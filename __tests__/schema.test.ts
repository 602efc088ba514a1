import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hasFleetSection, parseFleetConfig } from '../src/fleet/config.js';
import { FileProblems, parseConfig } from '../src/schedule/config.js';
import { ROOT } from './helpers/run-action.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'schema/orchestrator.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);

const accepted = (text: string) => {
  try {
    parseConfig(text, 'c.yml');
    // A control repository's fleet section is read by the fleet's own parser.
    if (hasFleetSection(text)) parseFleetConfig(text, 'c.yml');
    return true;
  } catch (error) {
    if (error instanceof FileProblems) return false;
    throw error;
  }
};

describe('the published config schema', () => {
  it('accepts the example config', () => {
    const text = readFileSync(join(ROOT, 'examples/workspace/.github/orchestrator.yml'), 'utf8');
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    expect(accepted(text)).toBe(true);
  });

  it.each([
    ['preset only', 'workflows:\n  a.yml:\n    preset: agents\n', true],
    [
      'modes written out',
      "workflows:\n  a.yml:\n    aggressive: '1 * * * *'\n    normal: ['1 */2 * * *', '5 3 * * MON']\n    conservative: '1 3 * JAN-JUN *'\n",
      true,
    ],
    [
      'preset with an override',
      "workflows:\n  a.yml:\n    preset: ideas\n    normal: '7 7 * * *'\n",
      true,
    ],
    ['an unknown preset', 'workflows:\n  a.yml:\n    preset: turbo\n', false],
    [
      'cost and priority',
      'workflows:\n  a.yml:\n    preset: agents\n    cost: 13\n    priority: 2\n',
      true,
    ],
    ['a zero cost', 'workflows:\n  a.yml:\n    preset: agents\n    cost: 0\n', false],
    ['an unknown key', 'workflows:\n  a.yml:\n    preset: agents\n    speed: 2\n', false],
    ['a missing mode without preset', "workflows:\n  a.yml:\n    normal: '1 1 * * *'\n", false],
    ['six fields', "workflows:\n  a.yml:\n    preset: agents\n    normal: '0 0 0 * * *'\n", false],
    ['a macro', "workflows:\n  a.yml:\n    preset: agents\n    normal: '@daily'\n", false],
    ['an empty list', 'workflows:\n  a.yml:\n    preset: agents\n    normal: []\n', false],
    ['a path as the name', 'workflows:\n  sub/a.yml:\n    preset: agents\n', false],
    ['a top-level typo', 'workflow:\n  a.yml:\n    preset: agents\n', false],
    [
      'a fleet section',
      "fleet:\n  repositories:\n    - acme/web\n    - repo: acme/docs\n      priority: 2\n      floor: '10%'\n",
      true,
    ],
    ['a fleet by topic', 'fleet:\n  organization: acme\n  topic: paced\n  visibility: all\n', true],
    ['a fleet with a bad key', 'fleet:\n  repositories: [acme/web]\n  speed: 2\n', false],
    ['a fleet repository without owner', 'fleet:\n  repositories: [web]\n', false],
    [
      'gh-aw forms for an agentic workflow',
      "workflows:\n  a.md:\n    aggressive: every 2h\n    normal: [daily, '0 9 * * 1']\n    conservative: daily on weekdays\n",
      true,
    ],
    ['a preset for an agentic workflow', 'workflows:\n  a.md:\n    preset: agents\n', true],
    [
      'gh-aw forms for a .yml',
      'workflows:\n  a.yml:\n    preset: agents\n    normal: daily\n',
      false,
    ],
    [
      'a rejected gh-aw form',
      'workflows:\n  a.md:\n    preset: agents\n    normal: monthly\n',
      false,
    ],
    [
      "gh-aw's 'daily at'",
      "workflows:\n  a.md:\n    preset: agents\n    normal: 'daily at 9:00'\n",
      false,
    ],
    ['a gh-aw lock file', 'workflows:\n  a.lock.yml:\n    preset: agents\n', false],
  ])('agrees with the action on %s', (_what, text, ok) => {
    expect(validate(parse(text))).toBe(ok);
    expect(accepted(text)).toBe(ok);
  });
});
