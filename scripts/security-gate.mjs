#!/usr/bin/env node
// The Electron security gate for CI. Electronegativity exits 0 whatever it finds, so this script
// runs it with SARIF output and reads the findings itself: any warning or error that is not in
// ACCEPTED fails the gate. It first runs the same check over a deliberately insecure canary, which
// must fail: a gate that cannot fail proves nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'node_modules', '.bin', 'electronegativity');
const electronVersion = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).devDependencies.electron;

/** Findings reviewed and accepted, each with the reason a reader can check. */
const ACCEPTED = {
  CSP_GLOBAL_CHECK:
    'The CSP is sent as a response header by the app:// protocol handler (app/protocol-path.ts, asserted by app/protocol-path.test.ts) and by the browser host (main/host/server.ts); Electronegativity only looks for <meta> tags and webRequest hooks.',
};

function scan(input) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-eneg-')), 'report.sarif');
  const run = spawnSync(bin, ['-i', input, '-o', out, '-r', '-v', 'false', '-e', electronVersion], { encoding: 'utf8', timeout: 180_000 });
  if (run.error) throw new Error(`Electronegativity did not run (${run.error.message}). Run npm install.`);
  if (!fs.existsSync(out)) throw new Error(`Electronegativity wrote no SARIF for ${input}:\n${run.stdout}${run.stderr}`);
  const sarif = JSON.parse(fs.readFileSync(out, 'utf8'));
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  const runs = sarif.runs ?? [];
  if (runs.length === 0 || !/electronegativity/i.test(runs[0].tool?.driver?.name ?? '')) throw new Error(`The SARIF for ${input} is not Electronegativity's.`);
  return runs.flatMap((r) =>
    (r.results ?? []).map((result) => {
      const where = result.locations?.[0]?.physicalLocation;
      return {
        rule: result.ruleId,
        level: result.level ?? 'warning',
        file: where?.artifactLocation?.uri ?? '?',
        line: where?.region?.startLine ?? 0,
        message: (result.message?.text ?? '').split('\n')[0],
      };
    }),
  );
}

const blocking = (findings) => findings.filter((f) => (f.level === 'error' || f.level === 'warning') && !(f.rule in ACCEPTED));

const canary = blocking(scan(path.join(repo, 'scripts', 'electronegativity-canary')));
const canaryRules = new Set(canary.map((f) => f.rule));
for (const expected of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK']) {
  if (!canaryRules.has(expected)) {
    console.error(
      `security gate: Electronegativity missed ${expected} in the insecure canary (found: ${[...canaryRules].join(', ') || 'nothing'}); the gate cannot be trusted.`,
    );
    process.exit(1);
  }
}

const findings = scan(path.join(repo, 'app'));
const failing = blocking(findings);
for (const f of findings) {
  const status = f.rule in ACCEPTED ? 'accepted' : f.level === 'note' ? 'note' : 'FAIL';
  console.log(`${status.padEnd(8)} ${f.rule} ${f.file}:${f.line} ${f.message}`);
  if (f.rule in ACCEPTED) console.log(`         why: ${ACCEPTED[f.rule]}`);
}
if (failing.length > 0) {
  console.error(
    `security gate: ${failing.length} Electronegativity finding(s) in app/ to fix (or review and accept in scripts/security-gate.mjs with a reason).`,
  );
  process.exit(1);
}
console.log(`security gate: app/ passes Electronegativity (Electron ${electronVersion}); the canary's ${canary.length} findings were caught.`);
