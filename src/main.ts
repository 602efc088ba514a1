/** The action's front door: inputs in, pipeline, outputs out; one place that fails the step. */
import * as core from '@actions/core';
import { envInputs, parseInputs } from './inputs.js';
import { orchestrate } from './orchestrate.js';
import { outputsOf, statusLines } from './report/outputs.js';

/** Message of anything thrown, Error or not. */
export function getErrorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function run(): Promise<void> {
  try {
    const inputs = parseInputs(envInputs());
    const result = await orchestrate({
      ...inputs,
      workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
    });
    for (const line of statusLines(result)) core.info(line);
    for (const note of result.notes) core.info(note);
    for (const warning of result.warnings) core.warning(warning);
    for (const [name, value] of Object.entries(outputsOf(result))) core.setOutput(name, value);
  } catch (error) {
    core.setFailed(getErrorMessage(error));
  }
}
