import { ruleInLedger } from '../custody/rule.js';
import { dispositionDueDays, setDispositionDueDays } from '../custody/disposition-due.js';
import { defaultHfCache } from '../hf/cache.js';
import { defaultOllamaStore } from '../ollama/store.js';
import { readSettings, writeSettings } from '../settings.js';
import { FerryError } from '../util/errors.js';
import { FERRY_VERSION, ferryCommit } from '../version.js';
import type { Methods } from './context.js';
import os from 'node:os';
import type { appMethods } from '../../shared/contract/app.js';

export const appHandlers: Methods<typeof appMethods> = {
  async 'app.info'(_params, ctx) {
    const engine = ctx.engine();
    const store = ctx.grants.grant(defaultOllamaStore());
    const hfCache = ctx.grants.grant(defaultHfCache());
    ctx.grants.grant(os.homedir());
    return {
      version: FERRY_VERSION,
      commit: ferryCommit(),
      node: process.version,
      home: engine.home,
      operator: engine.operator,
      siteFingerprint: engine.siteKey.fingerprint,
      transport: ctx.transport,
      nativeDialogs: Boolean(ctx.pickFolder),
      defaultOllamaStore: store,
      defaultHfCache: hfCache,
      homeDir: os.homedir(),
      twoPersonRule: ruleInLedger(engine.ledger),
      dispositionDueDays: await dispositionDueDays(engine),
    };
  },
  async 'app.ping'() {
    return { at: Date.now() };
  },
  async 'settings.setOperator'(params, ctx) {
    const engine = ctx.engine();
    const settings = await readSettings(engine.home);
    const operator = { name: params.name, ...(params.role ? { role: params.role } : {}) };
    await writeSettings(engine.home, { ...settings, operator });
    await ctx.reopenEngine();
    return operator;
  },
  async 'settings.setDispositionDueDays'(params, ctx) {
    return { days: await setDispositionDueDays(ctx.engine(), params.days) };
  },
  async 'print.pdf'(params, ctx) {
    if (!ctx.printToPdf) throw new FerryError('USAGE', "Saving as PDF is done by the browser's print dialog here: use Print, then Save as PDF.");
    return { path: await ctx.printToPdf(params.suggestedName) };
  },
};
