/** The gate step's front door: inputs in, `proceed`, `mode` and `reason` out. */
import { markdownText } from '../report/escape.js';
import * as runner from '../runner.js';
import { getErrorMessage } from '../secret.js';
import { parseGateInputs, runGate } from './run.js';

/** Runs the gate step; also exported as `run`, the name @github/local-action calls. */
export async function runGateStep(): Promise<void> {
  const get = runner.input;
  const redact = runner.guardSecret(get('token')?.trim() ?? '');
  try {
    const inputs = parseGateInputs(get);
    const result = await runGate(inputs, {
      workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
      event: process.env.GITHUB_EVENT_NAME ?? '',
      ...(process.env.GITHUB_EVENT_PATH ? { eventPath: process.env.GITHUB_EVENT_PATH } : {}),
    });
    for (const warning of result.warnings) runner.warning(redact(warning));
    runner.info(redact(`${result.proceed ? 'Proceed' : 'Skip'}: ${result.reason}`));
    runner.setOutput('proceed', String(result.proceed));
    runner.setOutput('mode', result.mode);
    runner.setOutput('reason', redact(result.reason));
    await runner.appendSummary(
      `### Dynamic orchestrator gate: ${result.proceed ? 'proceed' : 'skip'}\n\n${markdownText(redact(result.reason))}\n`,
    );
  } catch (error) {
    runner.setFailed(redact(getErrorMessage(error)));
  }
}

export { runGateStep as run };
