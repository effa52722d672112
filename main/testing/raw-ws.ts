import { randomBytes } from 'node:crypto';
import net from 'node:net';

/** One WebSocket frame built by hand, so a test can send what no well-behaved client would. */
export interface FrameSpec {
  opcode: number;
  payload?: Buffer;
  fin?: boolean;
  /** RSV1..3 as the three bits 0b100, 0b010, 0b001. */
  rsv?: number;
  /** Clients must mask; false sends the payload in the clear. */
  masked?: boolean;
  /** Announce this length instead of the payload's (to cut a frame short). */
  announcedLength?: number;
}

export function frame(spec: FrameSpec): Buffer {
  const payload = spec.payload ?? Buffer.alloc(0);
  const length = spec.announcedLength ?? payload.length;
  const masked = spec.masked ?? true;
  const first = ((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | (spec.opcode & 0x0f);
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, (masked ? 0x80 : 0) | length]);
  else if (length < 65536) {
    header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8((masked ? 0x80 : 0) | 126, 1);
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(first, 0);
    header.writeUInt8((masked ? 0x80 : 0) | 127, 1);
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ key[i % 4]!));
  return Buffer.concat([header, key, body]);
}

/** How the server ended a raw connection: the close frame's code (if it sent one) and whether the TCP connection ended. */
export interface RawEnding {
  closeCode: number | null;
  reason: string;
}

/** A WebSocket client over a bare TCP socket: the handshake by hand, then any bytes at all. */
export class RawWs {
  private buffer = Buffer.alloc(0);
  private readonly ended: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => (this.buffer = Buffer.concat([this.buffer, chunk])));
    // A reset from the server is one way of closing; the test reads how it ended from the frames.
    socket.on('error', () => undefined);
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Opens a TCP connection and sends `request` (an HTTP upgrade, or anything else) as it is. */
  static async connect(port: number, request: string | Buffer): Promise<RawWs> {
    const socket = net.connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const raw = new RawWs(socket);
    socket.write(request);
    return raw;
  }

  /** Opens a WebSocket to /rpc with these headers and waits for 101. */
  static async upgrade(port: number, headers: Record<string, string>): Promise<RawWs> {
    const lines = [
      `GET /rpc HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
    ];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    const raw = await RawWs.connect(port, `${lines.join('\r\n')}\r\n\r\n`);
    const head = await raw.readHead();
    if (!head.startsWith('HTTP/1.1 101')) throw new Error(`upgrade refused: ${head.split('\r\n')[0]}`);
    return raw;
  }

  /** The HTTP response head, consumed from the buffer. */
  async readHead(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end >= 0) {
        const head = this.buffer.subarray(0, end).toString('latin1');
        this.buffer = this.buffer.subarray(end + 4);
        return head;
      }
      if (Date.now() > deadline || this.socket.destroyed) return this.buffer.toString('latin1');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Waits for the server to end the connection, and reads its close frame, if any, from what it sent. */
  async ending(timeoutMs = 5000): Promise<RawEnding> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([this.ended, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.socket.destroy();
      throw new Error(`the server kept the connection open for ${timeoutMs} ms`);
    }
    return closeFrameIn(this.buffer);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** The first close frame (opcode 8) among unmasked server frames. */
function closeFrameIn(bytes: Buffer): RawEnding {
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at]! & 0x0f;
    let length = bytes[at + 1]! & 0x7f;
    let start = at + 2;
    if (length === 126) {
      length = bytes.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(start));
      start += 8;
    }
    if (opcode === 0x8) {
      const body = bytes.subarray(start, start + length);
      return body.length >= 2 ? { closeCode: body.readUInt16BE(0), reason: body.subarray(2).toString() } : { closeCode: null, reason: '' };
    }
    at = start + length;
  }
  return { closeCode: null, reason: '' };
}
