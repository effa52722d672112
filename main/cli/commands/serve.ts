import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { listenForUrlRequests, refuseSecondHost, requestFreshUrl, type ControlSocket } from '../../host/control.js';
import { startHost } from '../../host/server.js';
import { FerryError, toEnvelope } from '../../util/errors.js';
import { ferryHome } from '../../util/home.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

/**
 * Whether this process may read its terminal: a TTY, and (where /proc tells) the foreground job.
 * Reading it from the background (`ferry serve &`) would stop the whole host with SIGTTIN.
 */
function terminalIsOurs(): boolean {
  if (!process.stdin.isTTY) return false;
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[2] === fields[5]; // pgrp === tpgid, the terminal's foreground process group
  } catch {
    return true;
  }
}

function printUrl(url: string): void {
  process.stdout.write(`\nA fresh URL (it opens Ferry once; sessions already open keep working):\n\n  ${url}\n\n`);
}

export const serveCommand: Command = {
  name: 'serve',
  usage: `ferry serve [--port N] [--root FOLDER]...
ferry serve url

  Binds 127.0.0.1 only and prints a URL carrying a random access token. Each URL opens Ferry
  once: the browser that opens it gets a session, and the URL is then spent. For another browser,
  or after the first one's session is gone, get a fresh URL: press Enter in the terminal where
  ferry serve runs, or run ferry serve url (as the same user, with the same FERRY_HOME), which
  asks the running host over FERRY_HOME/serve.sock (owner-only). A fresh URL voids an earlier one
  not used yet; sessions already open keep working.
  Restarted, ferry serve listens on the port it used last (--port N names one; a free port is taken
  if the last one is busy) and still lets in the browsers it let in before (FERRY_HOME/host.json keeps
  their sessions' hashes, owner-only): open tabs reconnect by themselves. Tokens are never kept.
  From your desktop: ssh -L N:127.0.0.1:N HOST, then open the URL.
  The wizard's folder browser offers your home folder, removable media (/media, /run/media, /mnt)
  and the default Ollama store and Hugging Face cache; --root FOLDER (repeatable) offers another.`,
  async run(args, { signal }) {
    const { values, positionals } = parseCommandArgs('serve', args, { port: { type: 'string' }, root: { type: 'string', multiple: true } });
    if (positionals.length === 1 && positionals[0] === 'url') {
      if (values.port !== undefined || values.root !== undefined)
        throw new FerryError('USAGE', 'ferry serve url takes no --port or --root: it asks the host running for this FERRY_HOME.');
      process.stdout.write(`${await requestFreshUrl(ferryHome())}\n`);
      return 0;
    }
    if (positionals.length > 0) throw new FerryError('USAGE', `Unknown argument "${positionals[0]}". See ferry serve --help.`);
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
      throw new FerryError('USAGE', `--port ${values.port} is not a port number.`);
    const home = ferryHome();
    await refuseSecondHost(home);
    const roots = (values.root ?? []).map((root) => path.resolve(root));
    for (const root of roots) {
      const stat = await fs.promises.stat(root).catch(() => null);
      if (!stat?.isDirectory()) throw new FerryError('USAGE', `--root ${root} is not a folder.`, { field: 'root' });
    }
    const host = await startHost({ ...(port !== undefined ? { port } : {}), home, browseRoots: roots });
    let control: ControlSocket | null = null;
    try {
      control = await listenForUrlRequests(home, () => host.freshUrl());
    } catch (err) {
      // Serving matters more than the command: without it, Enter in this terminal still gives fresh URLs.
      process.stderr.write(`ferry serve: no control socket, so ferry serve url will not reach this host: ${toEnvelope(err).message}\n`);
    }
    const keypress = terminalIsOurs();
    process.stdout.write(
      `Ferry is serving the wizard on 127.0.0.1 only. Open this URL (it carries a single-use access token; keep it private):\n\n  ${host.url}\n\n` +
        `From another machine: ssh -L ${host.port}:127.0.0.1:${host.port} THIS-HOST, then open the URL there.\n` +
        `The URL opens Ferry once. For a fresh one: ${[keypress ? 'press Enter here' : '', control ? 'run ferry serve url on this host' : ''].filter(Boolean).join(', or ') || 'restart ferry serve'}.\nPress Ctrl+C to stop.\n`,
    );
    const lines = keypress ? readline.createInterface({ input: process.stdin }) : null;
    lines?.on('line', () => printUrl(host.freshUrl()));
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    lines?.close();
    await control?.close();
    await host.close();
    return 0;
  },
};
