/**
 * The one entry ncc bundles: every front door, so that the code they share (the billing client
 * above all) exists once in dist/. dist/index.js, dist/gate/index.js and dist/cli/index.js are
 * a few lines each that import this bundle and start their front door (scripts/bundle.mjs).
 */
export { cli } from './cli.js';
export { runGateStep as runGate } from './gate/main.js';
export { run as runAction } from './main.js';
