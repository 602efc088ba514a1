import { describe, expect, it } from 'vitest';
import { hasFleetSection, parseFleetConfig } from '../../src/fleet/config.js';
import { FileProblems, parseConfig } from '../../src/schedule/config.js';

const problems = (text: string): string[] => {
  try {
    parseFleetConfig(text, 'c.yml');
  } catch (error) {
    if (error instanceof FileProblems) return error.problems;
    throw error;
  }
  return [];
};

describe('the fleet section', () => {
  it('reads listed repositories with priorities and floors, the organization from their owner', () => {
    const fleet = parseFleetConfig(
      "fleet:\n  repositories:\n    - acme/web\n    - repo: acme/agents\n      priority: 2\n      floor: '15%'\n    - repo: acme/docs\n      floor: 5\n",
      'c.yml',
    );
    expect(fleet.organization).toBe('acme');
    expect(fleet.visibility).toBe('selected');
    expect(fleet.repositories.map((r) => [r.repo, r.priority, r.floorShare, r.line])).toEqual([
      ['acme/web', 0, undefined, 3],
      ['acme/agents', 2, 0.15, 4],
      ['acme/docs', 0, 0.05, 7],
    ]);
  });

  it('reads an organization and a topic, with visibility and budgets', () => {
    const fleet = parseFleetConfig(
      'fleet:\n  organization: acme\n  topic: paced-by-orchestrator\n  visibility: private\n  max-requests: 900\n  timeout: 120\n',
      'c.yml',
    );
    expect(fleet).toMatchObject({
      organization: 'acme',
      topic: 'paced-by-orchestrator',
      visibility: 'private',
      maxRequests: 900,
      timeoutSeconds: 120,
      repositories: [],
    });
  });

  it('lists every problem at once, each with file and line', () => {
    const found = problems(
      'fleet:\n  visibility: everyone\n  max-requests: -3\n  speed: 2\n  repositories:\n    - acme\n    - repo: acme/web\n      floor: 140\n    - repo: acme/web\n    - repo: other/x\n',
    );
    expect(found).toEqual([
      "c.yml:4: fleet: unknown key 'speed'; allowed: organization, repositories, topic, visibility, max-requests, timeout",
      'c.yml:2: fleet.visibility must be one of selected, all, private',
      'c.yml:3: fleet.max-requests must be a whole number of API requests, 1 or more',
      'c.yml:6: fleet.repositories[0] must be a repository as owner/name, got "acme"',
      "c.yml:8: fleet.repositories[1].floor must be a percentage of the pool from 0 to 100, such as 10 or '10%'",
      'c.yml:1: the repositories belong to acme, other; one plan variable belongs to one organization: set fleet.organization and list only its repositories',
    ]);
  });

  it('refuses a topic without an organization, floors over 100%, and a repository of another owner', () => {
    expect(problems('fleet:\n  topic: paced\n')).toEqual([
      'c.yml:2: fleet.topic needs fleet.organization, whose repositories it selects',
    ]);
    expect(
      problems(
        'fleet:\n  repositories:\n    - repo: a/x\n      floor: 60\n    - repo: a/y\n      floor: 50\n',
      ),
    ).toEqual([
      'c.yml:3: the floors add up to 110% of the pool; together they may be at most 100%',
    ]);
    expect(problems('fleet:\n  organization: acme\n  repositories: [beta/x]\n')).toEqual([
      'c.yml:3: beta/x is not in the organization acme, whose variable holds the plan',
    ]);
    expect(problems('fleet: []\n')[0]).toMatch(/^c\.yml:1: 'fleet' must be a mapping/);
  });

  it('sits beside workflows in the schedule config, which still refuses other keys', () => {
    const text = 'fleet:\n  repositories: [acme/web]\nworkflows:\n  a.yml:\n    preset: agents\n';
    expect(hasFleetSection(text)).toBe(true);
    expect(parseConfig(text, 'c.yml').workflows.map((w) => w.file)).toEqual(['a.yml']);
    expect(parseConfig('fleet:\n  repositories: [acme/web]\n', 'c.yml').workflows).toEqual([]);
    expect(hasFleetSection('workflows: {}\n')).toBe(false);
    // A fleet config that does not parse is the fleet's to report, not single-repository mode's.
    expect(hasFleetSection('fleet: [\n')).toBe(true);
    expect(() => parseFleetConfig('fleet: [\n', 'c.yml')).toThrow(/^c\.yml:\d+: not valid YAML/);
    expect(hasFleetSection('workflows: [\n')).toBe(false);
    expect(() => parseConfig('fleets: {}\n', 'c.yml')).toThrow(/unknown key 'fleets'/);
  });
});
