import { createHash, type Hash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import type { HashThreadMessage, HashWorkerMessage } from './parallel-hasher.js';

/** The thread behind ParallelHasher: sha256 sessions fed from its slots or from the sender's shared buffers. */
const port = parentPort!;
const { shared: slots, slotBytes } = workerData as { shared: SharedArrayBuffer; slotBytes: number };
const bytes = new Uint8Array(slots);
const sessions = new Map<number, Hash>();
const shared = new Map<number, SharedArrayBuffer>();
const reply = (message: HashThreadMessage) => port.postMessage(message);

function session(id: number): Hash {
  let hash = sessions.get(id);
  if (!hash) sessions.set(id, (hash = createHash('sha256')));
  return hash;
}

port.on('message', (message: HashWorkerMessage) => {
  if (message.type === 'update') {
    const start = message.slot * slotBytes;
    session(message.id).update(bytes.subarray(start, start + message.length));
    reply({ type: 'free', slot: message.slot });
  } else if (message.type === 'share') {
    shared.set(message.key, message.buffer);
  } else if (message.type === 'forget') {
    shared.delete(message.key);
  } else if (message.type === 'update-shared') {
    session(message.id).update(new Uint8Array(shared.get(message.key)!, message.offset, message.length));
    reply({ type: 'hashed', seq: message.seq });
  } else {
    const hash = sessions.get(message.id) ?? createHash('sha256');
    sessions.delete(message.id);
    reply({ type: 'digest', id: message.id, hex: hash.digest('hex') });
  }
});
