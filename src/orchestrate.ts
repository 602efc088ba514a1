/** The pipeline, free of @actions/*: options in, figures, mode and file changes out. */
import type { Inputs } from './inputs.js';
import { computeUsage, type Decision, decideMode, type Usage } from './usage/tracker.js';

export interface OrchestrateOptions extends Inputs {
  /** Directory that relative paths (config, workflows, history) are resolved against. */
  workspace: string;
}

export interface OrchestrateResult {
  usage: Usage;
  decision: Decision;
}

/** Runs the whole pipeline for one moment. */
export async function orchestrate(options: OrchestrateOptions): Promise<OrchestrateResult> {
  const usage = computeUsage(options);
  const decision = decideMode(options.mode, usage);
  return { usage, decision };
}
