/** The app itself: who is at the keyboard, the two-person rule, printing. */
import { z } from 'zod';
import { Empty } from './common.js';
import type { MethodTable } from './method-table.js';

export const appMethods = {
  'app.info': {
    params: Empty,
    result: z.object({
      version: z.string(),
      /** The commit Ferry was built from ("unknown" when nothing says), and the Node it runs on. */
      commit: z.string(),
      node: z.string(),
      home: z.string(),
      operator: z.object({ name: z.string(), role: z.string().optional() }),
      siteFingerprint: z.string(),
      transport: z.enum(['electron', 'browser', 'cli']),
      /** Electron opens native folder dialogs; the browser host offers its folder browser instead. */
      nativeDialogs: z.boolean(),
      defaultOllamaStore: z.string(),
      defaultHfCache: z.string(),
      homeDir: z.string(),
      /** Exports wait for a second, differently named person's approval. */
      twoPersonRule: z.boolean(),
      /** Days after a medium is first noted that Home asks for its disposition. */
      dispositionDueDays: z.number(),
    }),
  },
  'app.ping': { params: Empty, result: z.object({ at: z.number() }) },
  'settings.setOperator': {
    params: z.object({ name: z.string().trim().min(1).max(120), role: z.string().trim().min(1).max(60).optional() }),
    result: z.object({ name: z.string(), role: z.string().optional() }),
  },
  /** Sets the days after which Home asks for a medium's disposition; the change is recorded in the ledger. */
  'settings.setDispositionDueDays': {
    params: z.object({ days: z.number().int().min(1).max(3650) }),
    result: z.object({ days: z.number() }),
  },
  /** Desktop app only: saves the current window as a PDF (Electron's printToPDF) where the user chooses. */
  'print.pdf': { params: z.object({ suggestedName: z.string().trim().min(1).max(120) }), result: z.object({ path: z.string().nullable() }) },
} as const satisfies MethodTable;

/** Diagnostics for support (main/diagnostics). */
export const diagnosticsMethods = {
  /**
   * One .tar.gz for whoever supports this site: versions, platform, settings, job states, the
   * ledger's count and head, recent failures, free space; the newest ledger lines only with
   * `withLedger`. Never a credential, token or passphrase.
   */
  'app.diagnostics': {
    params: z.object({ withLedger: z.boolean().optional() }),
    result: z.object({ name: z.string(), base64: z.string(), bytes: z.number(), sha256: z.string(), entries: z.array(z.string()) }),
  },
} as const satisfies MethodTable;
