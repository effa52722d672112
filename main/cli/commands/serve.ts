import { startHost } from '../../host/server.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

export const serveCommand: Command = {
  name: 'serve',
  usage: `ferry serve [--port N]

  Binds 127.0.0.1 only and prints, once, a URL carrying a random access token.
  From your desktop: ssh -L N:127.0.0.1:N HOST, then open the URL.`,
  async run(args, { signal }) {
    const { values, positionals } = parseCommandArgs('serve', args, { port: { type: 'string' } });
    if (positionals.length > 0) throw new FerryError('USAGE', 'This command takes no arguments. See ferry serve --help.');
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new FerryError('USAGE', `--port ${values.port} is not a port number.`);
    const host = await startHost({ port });
    process.stdout.write(`Ferry is serving the wizard on 127.0.0.1 only. Open this URL (it carries the access token; keep it private):\n\n  ${host.url}\n\nFrom another machine: ssh -L ${host.port}:127.0.0.1:${host.port} THIS-HOST, then open the URL there.\nPress Ctrl+C to stop.\n`);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await host.close();
    return 0;
  },
};
