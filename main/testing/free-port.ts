import net from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago (the usual small race applies). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the listening port'));
        return;
      }
      const port = address.port;
      server.close(() => resolve(port));
    });
  });
}
