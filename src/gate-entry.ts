import { runGateStep } from './gate/main.js';

await runGateStep();
