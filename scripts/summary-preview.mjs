#!/usr/bin/env node
// Writes reports/summary-preview.html: the job summary of a dry run on examples/workspace,
// rendered as GitHub renders a step summary (Markdown with HTML, alerts, Mermaid), for a
// person to open in a browser. Inputs are flags, as for npm run example:
//   npm run summary:preview [-- --used=1400 --mode=pace]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const workspace = mkdtempSync(join(tmpdir(), 'orchestrator-preview-'));
cpSync(join(root, 'examples/workspace'), workspace, { recursive: true });
const summary = join(workspace, '..', `${workspace.split('/').pop()}-summary.md`);
writeFileSync(summary, '');
// The runner creates both files before the step runs; @actions/core appends to them.
const output = join(workspace, '..', `${workspace.split('/').pop()}-output`);
writeFileSync(output, '');
const env = {
  ...process.env,
  GITHUB_WORKSPACE: workspace,
  GITHUB_STEP_SUMMARY: summary,
  GITHUB_OUTPUT: output,
  INPUT_QUOTA: '1500',
  INPUT_USED: '300',
  INPUT_NOW: '2025-11-12T00:00:00Z',
  'INPUT_DRY-RUN': 'true',
};
for (const arg of process.argv.slice(2)) {
  const match = /^--([a-z-]+)=(.*)$/.exec(arg);
  if (!match) {
    console.error(`Unknown argument '${arg}': give inputs as --input-name=value`);
    process.exit(2);
  }
  env[`INPUT_${match[1].toUpperCase()}`] = match[2];
}
const run = spawnSync(process.execPath, [join(root, 'dist/index.js')], {
  cwd: workspace,
  env,
  encoding: 'utf8',
});
if (run.status !== 0) {
  process.stdout.write(run.stdout);
  process.exit(run.status ?? 1);
}

// GitHub's alerts (> [!WARNING]) become a blockquote with a class; Mermaid blocks a <pre>.
const md = new MarkdownIt({ html: true, linkify: true });
const fence = md.renderer.rules.fence;
md.renderer.rules.fence = (tokens, i, options, env, self) =>
  tokens[i].info.trim() === 'mermaid'
    ? `<pre class="mermaid">${md.utils.escapeHtml(tokens[i].content)}</pre>\n`
    : fence(tokens, i, options, env, self);
const body = md
  .render(readFileSync(summary, 'utf8'))
  .replace(
    /<blockquote>\n<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\n?/g,
    (_, kind) =>
      `<blockquote class="alert alert-${kind.toLowerCase()}"><p><b>${kind[0]}${kind.slice(1).toLowerCase()}</b><br>`,
  );
const out = join(root, 'reports');
mkdirSync(out, { recursive: true });
const mermaid = relative(out, join(root, 'node_modules/mermaid/dist/mermaid.min.js'));
const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Job summary preview</title>
<style>
  body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
  main { max-width: 1012px; margin: 24px auto; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; padding: 16px 32px; }
  h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; font-size: 1.5em; }
  h3 { font-size: 1.25em; }
  table { border-collapse: collapse; display: block; overflow: auto; }
  th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
  tr:nth-child(2n) { background: #f6f8fa; }
  code { background: #818b981f; border-radius: 6px; padding: .2em .4em; font-size: 85%; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
  blockquote { margin: 0 0 16px; padding: 0 1em; border-left: .25em solid #d1d9e0; color: #59636e; }
  .alert-warning { border-left-color: #9a6700; } .alert-warning b { color: #9a6700; }
  .alert-caution { border-left-color: #d1242f; } .alert-caution b { color: #d1242f; }
  pre.mermaid { background: #fff; text-align: center; }
</style></head>
<body><main>
${body}
</main>
<script src="${mermaid}"></script>
<script>mermaid.initialize({ startOnLoad: true, theme: 'default' });</script>
</body></html>
`;
writeFileSync(join(out, 'summary-preview.html'), page);
console.log(
  `Wrote ${relative(process.cwd(), join(out, 'summary-preview.html'))}: open it in a browser`,
);
