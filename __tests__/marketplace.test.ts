/** Marketplace metadata of the three actions, as GitHub checks it when a release is published. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers/run-action.js';

// GitHub's branding colours, all of them.
const COLORS = [
  'white',
  'black',
  'yellow',
  'blue',
  'green',
  'orange',
  'red',
  'purple',
  'gray-dark',
];
// Part of GitHub's branding icons (Feather icons that GitHub lists), enough to choose from;
// an icon outside this list must be checked against GitHub's docs before it is added.
const ICONS = [
  'activity',
  'alert-triangle',
  'bar-chart-2',
  'battery-charging',
  'calendar',
  'check-circle',
  'clock',
  'cpu',
  'filter',
  'git-pull-request',
  'pie-chart',
  'sliders',
  'trending-up',
  'upload-cloud',
  'watch',
  'zap',
];

describe.each(['action.yml', 'gate/action.yml', 'publish/action.yml'])('%s', (file) => {
  const action = parse(readFileSync(join(ROOT, file), 'utf8'));

  it('has a name and a description of at most 125 characters', () => {
    expect(typeof action.name).toBe('string');
    expect(action.name.length).toBeGreaterThan(0);
    expect(typeof action.description).toBe('string');
    expect(action.description.length, action.description).toBeLessThanOrEqual(125);
  });

  it('has branding with an icon and a colour from the allowed sets', () => {
    expect(ICONS).toContain(action.branding?.icon);
    expect(COLORS).toContain(action.branding?.color);
  });
});

it('names the three actions apart on the Marketplace', () => {
  const names = ['action.yml', 'gate/action.yml', 'publish/action.yml'].map(
    (f) => parse(readFileSync(join(ROOT, f), 'utf8')).name,
  );
  expect(new Set(names).size).toBe(3);
});
