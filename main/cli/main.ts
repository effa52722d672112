import { exitCodeFor, refusalProblems } from '../../shared/errors.js';
import { toEnvelope } from '../util/errors.js';
import { terminalSafe } from '../util/terminal-text.js';
import { JOB_THREAD } from '../jobs/job-thread.js';
import { startThreadAhead } from '../util/thread-ahead.js';
import { FERRY_VERSION, ferryCommit } from '../version.js';
import type { Command } from './command.js';
import { makeOutput } from './output.js';

/** Each command's module loads only when it runs, so `ferry` starts fast whatever it grows to. */
const COMMANDS: readonly { name: string; summary: string; load: () => Promise<Command> }[] = [
  { name: 'export', summary: 'build a signed bundle split into media-sized volumes', load: async () => (await import('./commands/export.js')).exportCommand },
  {
    name: 'inspect',
    summary: 'show what a bundle holds, from its BUNDLE.json (no verification; use ferry verify)',
    load: async () => (await import('./commands/inspect.js')).inspectCommand,
  },
  {
    name: 'verify',
    summary: 'check a bundle: signature, trust, every volume, the contents',
    load: async () => (await import('./commands/verify.js')).verifyCommand,
  },
  {
    name: 'stage',
    summary: "copy a disc's volumes into a staging folder, verifying each; says which are still missing",
    load: async () => (await import('./commands/stage.js')).stageCommand,
  },
  {
    name: 'import',
    summary: 'verify a bundle, then install its content into the targets',
    load: async () => (await import('./commands/import.js')).importCommand,
  },
  { name: 'keys', summary: 'the site signing key and the keys this site trusts', load: async () => (await import('./commands/keys.js')).keysCommand },
  { name: 'ollama', summary: 'list the models in an Ollama store', load: async () => (await import('./commands/ollama.js')).ollamaCommand },
  { name: 'hf', summary: 'list the repos and revisions in a Hugging Face cache', load: async () => (await import('./commands/hf.js')).hfCommand },
  {
    name: 'people',
    summary: 'enrol and remove the people whose personal keys sign decisions; list them',
    load: async () => (await import('./commands/people.js')).peopleCommand,
  },
  {
    name: 'approval',
    summary: 'the two-person rule: list, approve or reject export requests; turn the rule on or off',
    load: async () => (await import('./commands/approval.js')).approvalCommand,
  },
  {
    name: 'media',
    summary: 'read media back and record them; record custody handoffs and what became of the media',
    load: async () => (await import('./commands/media.js')).mediaCommand,
  },
  {
    name: 'ledger',
    summary: "the transfer ledger: verify, show, bundles, a bundle's chain of custody, reconciliation flags, review sign-off, checkpoint, the auditor's kit",
    load: async () => (await import('./commands/ledger.js')).ledgerCommand,
  },
  {
    name: 'provenance',
    summary: "check Ferry's signed transfer attestation on an image, chart or model in the internal registry",
    load: async () => (await import('./commands/provenance.js')).provenanceCommand,
  },
  {
    name: 'diagnostics',
    summary: 'one archive for whoever supports this site: versions, platform, settings, jobs, the ledger head, free space; no secrets',
    load: async () => (await import('./commands/diagnostics.js')).diagnosticsCommand,
  },
  {
    name: 'serve',
    summary: 'serve the wizard to a browser on 127.0.0.1 (for headless hosts, over an SSH tunnel)',
    load: async () => (await import('./commands/serve.js')).serveCommand,
  },
];

/**
 * The commands that run a job on a thread of its own (media: only its read-back). Starting ledger
 * verify's second thread ahead as well was measured: as often 0.4 s slower as 0.05 s faster here.
 */
function runsJob(name: string, args: readonly string[]): boolean {
  return ['export', 'verify', 'stage', 'import'].includes(name) || (name === 'media' && args[0] === 'verify');
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Ferry ${FERRY_VERSION}: carry AI models and container images across an air gap.

Usage: ferry <command> [options]     (ferry <command> --help for its options)

${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Global options: --json (machine-readable result), --operator NAME, --role ROLE.
Data folder: FERRY_HOME (ledger, site key, trusted keys).
Exit codes: 0 ok, 1 failed, 2 usage, 3 verification refused (integrity, signature or trust).
`;
}

/** Runs one CLI invocation and returns its exit code; never calls process.exit. */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const out = makeOutput(json);
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`ferry ${FERRY_VERSION} (commit ${ferryCommit().slice(0, 12)}, Node ${process.version})\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    process.stderr.write(`ferry: unknown command "${name}".\n\n${overview()}`);
    return 2;
  }
  const help = args.includes('--help') || args.includes('-h');
  // Started while this thread loads the command's modules: they load on the other core meanwhile.
  if (runsJob(name, args) && !help) startThreadAhead(JOB_THREAD);
  // The artifact kinds, registered before any command reads a bundle (main/kinds.ts); loaded after
  // a job's thread has started, which loads them too.
  await import('../kinds.js');
  const command = await entry.load();
  if (help) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await command.run(args, { out, signal: controller.signal });
  } catch (err) {
    out.flush();
    const envelope = toEnvelope(err);
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: envelope }, null, 2)}\n`);
    process.stderr.write(`ferry ${name}: ${terminalSafe(envelope.message)}\n`);
    for (const also of refusalProblems(envelope).slice(1)) process.stderr.write(`  also: ${terminalSafe(also)}\n`);
    if (envelope.code === 'INTERNAL' && process.env.FERRY_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return exitCodeFor(envelope.code);
  } finally {
    out.flush();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
