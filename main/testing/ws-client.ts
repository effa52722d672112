import WebSocket from 'ws';

/** A minimal RPC client over the browser host's WebSocket, for tests and benches. */
export class WsRpc {
  private nextId = 1;
  private readonly pending = new Map<number, (response: { ok: boolean; result?: unknown; error?: { code: string; message: string } }) => void>();
  readonly events: { event: string; data: any }[] = [];
  private readonly eventWaiters: (() => void)[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const message = JSON.parse(raw.toString());
      if ('event' in message) {
        this.events.push(message);
        for (const wake of this.eventWaiters.splice(0)) wake();
      } else this.pending.get(message.id)?.(message);
    });
  }

  static connect(url: string, headers: Record<string, string>): Promise<WsRpc> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => resolve(new WsRpc(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  call(method: string, params: unknown = {}): Promise<{ ok: boolean; result?: any; error?: { code: string; message: string } }> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Resolves with the first event (already received or future) that matches. */
  async waitFor(match: (e: { event: string; data: any }) => boolean, timeoutMs = 60_000): Promise<{ event: string; data: any }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('timed out waiting for an event');
      await new Promise<void>((resolve) => {
        this.eventWaiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** Logs in with the printed URL's token and returns the session cookie and the origin. */
export async function loginToHost(url: string): Promise<{ cookie: string; origin: string; wsUrl: string }> {
  const response = await fetch(url, { redirect: 'manual' });
  const setCookie = response.headers.get('set-cookie');
  if (response.status !== 303 || !setCookie) throw new Error(`login failed: ${response.status}`);
  const origin = new URL(url).origin;
  return { cookie: setCookie.split(';')[0]!, origin, wsUrl: `${origin.replace('http', 'ws')}/rpc` };
}
