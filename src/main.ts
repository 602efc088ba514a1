/** The action's front door: inputs in, pipeline, outputs out; one place that fails the step. */
import { checkDiffApplies } from './apply-check.js';
import { isFleetConfig } from './fleet/config.js';
import { parseFleetInputs } from './fleet/inputs.js';
import { fleetLines, fleetOutputs, fleetSummary } from './fleet/report.js';
import { runFleet } from './fleet/run.js';
import { DEFAULTS, InputError, parseInputs } from './inputs.js';
import { orchestrate } from './orchestrate.js';
import { outputsOf, statusLines } from './report/outputs.js';
import { renderSummary } from './report/summary.js';
import { parseRepositoryPlan, repositoryPlanStep } from './repository-plan.js';
import * as runner from './runner.js';
import { getErrorMessage } from './secret.js';

// Kept for code that still imports it from the front door; new code imports ./secret.js.
export { getErrorMessage };

/** Runs the action; exported as `run` so that @github/local-action can run it too. */
export async function run(): Promise<void> {
  const get = runner.input;
  // Masked before anything else can print it; also scrubbed from every line we write.
  const redact = runner.guardSecret(get('token')?.trim() ?? '');
  try {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    // A config with a fleet: section makes this the fleet's control run (src/fleet/run.ts).
    if (isFleetConfig(workspace, get('config')?.trim() || DEFAULTS.config)) {
      const refused: string[] = [];
      if (['true', 'True', 'TRUE'].includes(get('repository-variable')?.trim() ?? '')) {
        refused.push(
          "'repository-variable: true' is for one repository: in fleet mode (the config has a fleet: section) the plan goes to the organization variable plan-variable; remove repository-variable",
        );
      }
      // A gh aw logs file belongs to one repository; the fleet learns each cost from the pool.
      if (get('run-costs')?.trim()) {
        refused.push(
          "'run-costs' is for one repository: in fleet mode each repository's cost per run is its config's cost, or learned from the pool's history when it gives none; remove run-costs",
        );
      }
      // Every problem in one error: the fleet's own inputs are checked as well.
      let inputs: ReturnType<typeof parseFleetInputs> | undefined;
      try {
        inputs = parseFleetInputs(get);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        refused.push(...error.problems);
      }
      if (refused.length > 0 || !inputs) throw new InputError(refused);
      const result = await runFleet({ ...inputs, workspace });
      for (const line of fleetLines(result)) runner.info(redact(line));
      for (const warning of result.warnings) runner.warning(redact(warning));
      for (const [name, value] of Object.entries(fleetOutputs(result))) {
        runner.setOutput(name, redact(value));
      }
      await runner.appendSummary(redact(fleetSummary(result)));
      return;
    }
    const inputs = parseInputs(get);
    // With repository-variable, the decision also goes to a repository variable, as a plan.
    const target = parseRepositoryPlan(get, inputs);
    const step = target ? repositoryPlanStep(target, inputs) : undefined;
    const result = await orchestrate({
      ...inputs,
      workspace,
      checkDiff: async (diff, changes) => {
        const check = await checkDiffApplies(diff, changes);
        if (!check.checked && diff !== '') runner.debug(check.reason);
      },
      ...(step ? { beforeWrite: step.beforeWrite } : {}),
    });
    const planned = step?.report(result, inputs.dryRun);
    for (const line of statusLines(result)) runner.info(redact(line));
    for (const note of result.notes) runner.info(redact(note));
    for (const line of planned?.lines ?? []) runner.info(redact(line));
    for (const warning of result.warnings) runner.warning(redact(warning));
    for (const [name, value] of Object.entries({ ...outputsOf(result), ...planned?.outputs })) {
      runner.setOutput(name, redact(value));
    }
    await runner.appendSummary(redact(renderSummary(result)));
  } catch (error) {
    runner.setFailed(redact(getErrorMessage(error)));
  }
}
