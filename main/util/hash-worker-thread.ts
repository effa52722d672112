import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

/** The thread behind ParallelHasher: sha256 sessions fed by messages. */
const port = parentPort!;
const sessions = new Map<number, Hash>();
port.on('message', (message: { type: 'update'; id: number; data: Uint8Array } | { type: 'digest'; id: number }) => {
  if (message.type === 'update') {
    let hash = sessions.get(message.id);
    if (!hash) sessions.set(message.id, (hash = createHash('sha256')));
    hash.update(message.data);
    port.postMessage({ type: 'ack', bytes: message.data.byteLength });
  } else {
    const hash = sessions.get(message.id) ?? createHash('sha256');
    sessions.delete(message.id);
    port.postMessage({ type: 'digest', id: message.id, hex: hash.digest('hex') });
  }
});
