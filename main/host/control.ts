import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { FerryError } from '../util/errors.js';

/** The one request the control socket answers: a fresh single-use URL. */
const FRESH_URL = 'fresh-url';

/** The running host's control socket: FERRY_HOME/serve.sock, owner-only. */
export function controlSocketPath(home: string): string {
  return path.join(home, 'serve.sock');
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

export interface ControlSocket {
  path: string;
  close(): Promise<void>;
}

function needsUnixSockets(): void {
  if (process.platform === 'win32')
    throw new FerryError('USAGE', 'ferry serve url needs a unix socket, which Windows lacks here: press Enter in the terminal where ferry serve runs.');
}

/** Refuses a second `ferry serve` on one FERRY_HOME: its control socket still answers. */
export async function refuseSecondHost(home: string): Promise<void> {
  const socketPath = controlSocketPath(home);
  if (process.platform !== 'win32' && (await answers(socketPath))) {
    throw new FerryError(
      'USAGE',
      `Another ferry serve is already running for ${home} (it answers on ${socketPath}). Get a fresh URL from it with: ferry serve url`,
      { file: socketPath },
    );
  }
}

/**
 * Listens on FERRY_HOME/serve.sock (mode 0600, so only this user can connect) and answers each
 * `fresh-url` line with `freshUrl()`. A socket left by a host that died is replaced (call
 * refuseSecondHost first).
 */
export async function listenForUrlRequests(home: string, freshUrl: () => string): Promise<ControlSocket> {
  needsUnixSockets();
  const socketPath = controlSocketPath(home);
  // The kernel would silently bind a truncated path (sun_path is 104 bytes on macOS, 108 on Linux).
  if (Buffer.byteLength(socketPath) > 103)
    throw new FerryError('USAGE', `${socketPath} is too long a path for a unix socket: use a shorter FERRY_HOME.`, { file: socketPath });
  await fs.mkdir(home, { recursive: true, mode: 0o700 });
  await fs.rm(socketPath, { force: true });

  const server = net.createServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.setTimeout(5000, () => socket.destroy());
    let line = '';
    socket.on('data', (chunk: Buffer) => {
      line += chunk.toString('utf8');
      if (line.length > 64) socket.destroy();
      else if (line.includes('\n')) socket.end(line.trim() === FRESH_URL ? `${freshUrl()}\n` : 'unknown request\n');
    });
  });
  // Bound with a umask that leaves the socket owner-only from its first moment, then checked by chmod.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
  } finally {
    process.umask(umask);
  }
  try {
    await fs.chmod(socketPath, 0o600);
  } catch (err) {
    server.close();
    throw err;
  }
  return {
    path: socketPath,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fs.rm(socketPath, { force: true });
    },
  };
}

/** Asks the `ferry serve` running on this FERRY_HOME for a fresh URL. */
export async function requestFreshUrl(home: string): Promise<string> {
  needsUnixSockets();
  const socketPath = controlSocketPath(home);
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let answer = '';
    socket.on('connect', () => socket.write(`${FRESH_URL}\n`));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.on('end', () => {
      const url = answer.trim();
      if (/^http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(url)) resolve(url);
      else reject(new FerryError('INTERNAL', `The running ferry serve answered something other than a URL on ${socketPath}.`, { file: socketPath }));
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') {
        reject(
          new FerryError('NOT_FOUND', `No ferry serve is running for ${home} (nothing answers on ${socketPath}). Start one with: ferry serve`, {
            file: socketPath,
          }),
        );
      } else if (err.code === 'EACCES') {
        reject(new FerryError('IO', `${socketPath} belongs to another user: run ferry serve url as the user who started ferry serve.`, { file: socketPath }));
      } else reject(new FerryError('IO', `Cannot reach the running ferry serve on ${socketPath}: ${err.code ?? err.message}.`, { file: socketPath }));
    });
  });
}
