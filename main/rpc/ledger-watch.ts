import type { LedgerHead } from '../ledger/ledger.js';

const POLL_MS = 1000;

/**
 * Notices new ledger lines, whoever wrote them: this process, a job's worker thread, the CLI or
 * another window. Reading the head is one indexed row, so it polls once a second while anyone
 * listens, and once more whenever asked (after each method call, so the caller's own line shows at once).
 */
export class LedgerWatch {
  private last: number | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly readHead: () => LedgerHead,
    private readonly onAppended: (head: LedgerHead) => void,
  ) {}

  start(): void {
    if (this.timer) return;
    this.last = this.readHead().count;
    this.timer = setInterval(() => this.check(), POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  check(): void {
    if (!this.timer) return;
    let head: LedgerHead;
    try {
      head = this.readHead();
    } catch {
      return; // the engine is being reopened; the next tick reads it
    }
    if (head.count === this.last) return;
    this.last = head.count;
    this.onAppended(head);
  }
}
