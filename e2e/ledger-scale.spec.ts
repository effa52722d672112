import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { generateLedger } from '../dist/main/testing/ledger-generator.js';
import { startFerryHost, tempDir, type RunningHost } from './support/host.js';

/**
 * Issue #15 in the wizard (browser host): with a ledger of 3,000 transfers (21,001 chained events,
 * grown by the project's generator), the Timeline, a bundle's page, the Handoff page and Home must
 * each be usable within 1 s of navigation, with no main-thread task over 200 ms while they load.
 * Each view is reached as a person reaches it (the app's own navigation, tabs and links) and held to
 * those budgets, the Ledger screen's first visit included. The numbers are printed for the README.
 *
 * How it measures, in the page, so Playwright's polling adds nothing: the time of the click is the
 * click event's own timestamp; "usable" is the first animation frame at which the view's content is
 * shown and loaded (checked every frame with plain DOM queries naming the same accessible names the
 * test then asserts by role, and no progress bar showing); long tasks are Chromium's `longtask`
 * entries overlapping the time from the click until the view has settled.
 */
test.describe.configure({ mode: 'serial' });
// Playwright's trace takes a DOM snapshot in the page around every action: on the main thread, in the
// very window measured (a 136 ms task after the Ledger click). People have no tracer; the numbers must not either.
test.use({ trace: 'off' });

const TRANSFERS = 3000;
/** #15: each view usable within 1 s of navigation … */
const USABLE_MS = 1000;
/** … and no main-thread task over 200 ms while loading it. */
const LONGEST_TASK_MS = 200;
/** Tasks that start this long after the view is usable still belong to its loading (a second query, a late render). */
const SETTLE_MS = 500;
/** How long to wait for a view before calling it broken rather than slow. */
const GIVE_UP_MS = 30_000;

/** The newest transfer's bundle: the generator names them bundle-0 … bundle-2999. */
const NEWEST = `bundle-${TRANSFERS - 1}`;

let work: string;
let host: RunningHost;
let events = 0;
const measured: { view: string; usableMs: number; longestTaskMs: number; longTasks: number }[] = [];

test.beforeAll(async () => {
  test.setTimeout(300_000);
  work = await tempDir('ledger-scale');
  const home = path.join(work, 'home');
  // The host finds the ledger in its FERRY_HOME as it would after years of use; it makes its keys and settings itself.
  const generated = generateLedger(home, { transfers: TRANSFERS });
  events = generated.count;
  expect(events).toBeGreaterThanOrEqual(20_000);
  host = await startFerryHost({ home });
});

test.afterAll(async () => {
  await host?.stop();
  if (measured.length > 0) {
    const rows = measured.map(
      (m) =>
        `| ${m.view} | ${m.usableMs} ms | ${m.longestTaskMs} ms | ${m.longTasks} |${m.usableMs > USABLE_MS || m.longestTaskMs > LONGEST_TASK_MS ? ' over budget' : ''}`,
    );
    console.log(
      [
        `Ledger views with ${events.toLocaleString('en-US')} ledger events (budget: usable within ${USABLE_MS} ms, no task over ${LONGEST_TASK_MS} ms):`,
        '| view | usable after the click | longest main-thread task | tasks over 50 ms |',
        '| --- | --- | --- | --- |',
        ...rows,
      ].join('\n'),
    );
  }
  if (work) await fs.rm(work, { recursive: true, force: true });
});

interface Probe {
  /** The time of the last trusted click, on the page's clock (performance.now()); null until one. */
  clickAt: number | null;
  /** Chromium's long tasks (over 50 ms) on the page's clock. */
  tasks: { start: number; duration: number }[];
}

/** Records, in every document the page opens, the time of each click and every long task. */
async function installProbe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const probe: Probe = { clickAt: null, tasks: [] };
    (window as unknown as { __ferryProbe: Probe }).__ferryProbe = probe;
    addEventListener(
      'click',
      (event) => {
        // The event's timestamp is when the input arrived, so time spent queued behind other work counts.
        if (event.isTrusted) probe.clickAt = event.timeStamp > 0 && event.timeStamp <= performance.now() ? event.timeStamp : performance.now();
      },
      { capture: true },
    );
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.tasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** One condition of a view being usable, in plain DOM terms: a shown element matching `selector`. */
interface Shown {
  selector: string;
  /** A regular expression (source) its trimmed text content must match. */
  text?: string;
  /** A regular expression (source) the text of the element(s) its aria-describedby names must match. */
  description?: string;
  /** It must not be disabled. */
  enabled?: boolean;
}

interface View {
  name: string;
  /** The click a person makes to get there. */
  go: () => Promise<void>;
  /** When it is usable, checked at every frame in the page. */
  ready: Shown[];
  /** The same, by role and accessible name, asserted once `ready` holds. */
  usable: Locator[];
  /** Whose picture to keep. */
  screenshot: string;
}

/** Waits until every `ready` condition holds and no progress bar shows, at an animation frame; returns that frame's time. */
async function usableAt(page: Page, ready: Shown[]): Promise<number> {
  const handle = await page.waitForFunction(
    (conditions: Shown[]) => {
      const shown = (el: Element) => el.checkVisibility({ visibilityProperty: true }) && el.getClientRects().length > 0;
      const holds = (c: Shown) =>
        [...document.querySelectorAll(c.selector)].some((el) => {
          if (!shown(el)) return false;
          if (c.text !== undefined && !new RegExp(c.text).test((el.textContent ?? '').trim())) return false;
          if (c.enabled && (el as HTMLInputElement).disabled) return false;
          if (c.description !== undefined) {
            const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
            const text = ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
            if (!new RegExp(c.description).test(text.trim())) return false;
          }
          return true;
        });
      const loading = [...document.querySelectorAll('[role="progressbar"]')].some(shown);
      return !loading && conditions.every(holds) ? performance.now() : false;
    },
    ready,
    { polling: 'raf', timeout: GIVE_UP_MS },
  );
  return (await handle.jsonValue()) as number;
}

/** Navigates with `view.go`, times it from the click to the first frame it is usable, and holds it and its long tasks to #15's budgets. */
async function measure(page: Page, testInfo: TestInfo, view: View): Promise<void> {
  // Settle the page left behind first, so its late work is not charged to this view.
  await page.waitForTimeout(SETTLE_MS);
  await page.evaluate(() => {
    const probe = (window as unknown as { __ferryProbe: Probe }).__ferryProbe;
    probe.clickAt = null;
    probe.tasks.splice(0);
  });
  await view.go();
  const readyAt = await usableAt(page, view.ready);
  // Tasks still running as the view appears, or just after, are part of loading it.
  await page.waitForTimeout(SETTLE_MS);
  const probe = await page.evaluate(() => (window as unknown as { __ferryProbe: Probe }).__ferryProbe);
  expect(probe.clickAt, `${view.name}: the click reached the page`).not.toBeNull();
  const clickAt = probe.clickAt!;
  const usableMs = Math.round(readyAt - clickAt);
  const tasks = probe.tasks.filter((t) => t.start + t.duration >= clickAt).map((t) => ({ at: Math.round(t.start - clickAt), ms: Math.round(t.duration) }));
  const longestTaskMs = Math.max(0, ...tasks.map((t) => t.ms));
  measured.push({ view: view.name, usableMs, longestTaskMs, longTasks: tasks.length });

  // What the page showed is what a person relies on: the same elements, by role and name.
  for (const locator of view.usable) await expect(locator).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0);

  const file = testInfo.outputPath(`${String(measured.length).padStart(2, '0')}-${view.screenshot}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(view.screenshot, { path: file, contentType: 'image/png' });

  const taskList = tasks.map((t) => `${t.ms} ms at +${t.at} ms`).join(', ') || 'none';
  expect.soft(usableMs, `${view.name}: usable within ${USABLE_MS} ms of the click (long tasks: ${taskList})`).toBeLessThanOrEqual(USABLE_MS);
  expect
    .soft(longestTaskMs, `${view.name}: no main-thread task over ${LONGEST_TASK_MS} ms while loading (long tasks: ${taskList})`)
    .toBeLessThanOrEqual(LONGEST_TASK_MS);
}

test('with over 20,000 ledger events, the Timeline, a bundle’s page, Handoff and Home are each usable within 1 s, with no main-thread task over 200 ms', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  await installProbe(page);
  await host.open(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  const needsAttention = page.getByRole('region', { name: 'Needs attention' });
  // The wizard opens on Home; its first load is not one of the measured navigations.
  await expect(needsAttention.getByRole('list', { name: 'Media needing attention' })).toBeVisible({ timeout: GIVE_UP_MS });

  const entries = page.getByRole('table', { name: 'Ledger entries' });
  const timeline: Pick<View, 'ready' | 'usable'> = {
    ready: [{ selector: 'table[aria-label="Ledger entries"] tbody tr' }],
    usable: [entries.getByRole('row').nth(1)],
  };

  await measure(page, testInfo, {
    name: 'Timeline (Ledger, first visit)',
    go: () => nav.getByRole('button', { name: 'Ledger' }).click(),
    ...timeline,
    screenshot: 'scale-timeline',
  });
  // The newest entries come first: the page starts at or after the last line the generator wrote (the host may add its own).
  const status = page.getByRole('status').filter({ hasText: /^The latest [\d,]+ entries: lines [\d,]+ to [\d,]+\.$/ });
  await expect(status).toBeVisible();
  const newestLine = Number(/lines ([\d,]+) to/.exec((await status.textContent()) ?? '')![1]!.replace(/,/g, ''));
  expect(newestLine).toBeGreaterThanOrEqual(events);

  await measure(page, testInfo, {
    name: 'Ledger › Bundles tab',
    go: () => page.getByRole('tab', { name: 'Bundles' }).click(),
    ready: [{ selector: 'table[aria-label="Bundles"] a', text: `^${NEWEST}$` }],
    usable: [page.getByRole('table', { name: 'Bundles' }).getByRole('link', { name: NEWEST, exact: true })],
    screenshot: 'scale-bundles',
  });

  await measure(page, testInfo, {
    name: 'Ledger › Timeline tab',
    go: () => page.getByRole('tab', { name: 'Timeline' }).click(),
    ...timeline,
    screenshot: 'scale-timeline-tab',
  });

  // A bundle's page, from the bundle link on the Timeline's newest entry.
  const heading = `Chain of custody: ${NEWEST}`;
  await measure(page, testInfo, {
    name: 'A bundle’s page',
    go: () =>
      entries
        .getByRole('link', { name: new RegExp(`^Open bundle ${NEWEST} \\(entry \\d+\\)$`) })
        .first()
        .click(),
    ready: [{ selector: 'h1', text: `^${heading}$` }],
    usable: [page.getByRole('heading', { level: 1, name: heading, exact: true })],
    screenshot: 'scale-bundle-page',
  });

  // Handoff is usable once its bundle picker takes input and has its suggestions (the helper says how many bundles it searches).
  const picker = page.getByRole('combobox', { name: 'Bundle' });
  const suggestions = `^\\d+ most recent shown; type to find any of ${TRANSFERS}\\.$`;
  await measure(page, testInfo, {
    name: 'Handoff',
    go: () => nav.getByRole('button', { name: 'Handoff' }).click(),
    ready: [
      { selector: 'h1', text: '^Handoff$' },
      { selector: 'input[role="combobox"]', enabled: true, description: suggestions },
    ],
    usable: [page.getByRole('heading', { level: 1, name: 'Handoff', exact: true }), picker],
    screenshot: 'scale-handoff',
  });
  await expect(picker).toBeEnabled();
  await expect(picker).toHaveAccessibleDescription(new RegExp(suggestions));

  await measure(page, testInfo, {
    name: 'Home',
    go: () => nav.getByRole('button', { name: 'Home' }).click(),
    ready: [{ selector: 'section ul[aria-label="Media needing attention"] li' }, { selector: 'section ul[aria-label="Recent ledger events"] li' }],
    usable: [
      needsAttention.getByRole('list', { name: 'Media needing attention' }).getByRole('listitem').first(),
      page.getByRole('region', { name: 'Recent activity' }).getByRole('list', { name: 'Recent ledger events' }).getByRole('listitem').first(),
    ],
    screenshot: 'scale-home',
  });

  // Back to the Ledger from Home, as a person checks it again.
  await measure(page, testInfo, {
    name: 'Timeline (Ledger, again)',
    go: () => nav.getByRole('button', { name: 'Ledger' }).click(),
    ...timeline,
    screenshot: 'scale-timeline-again',
  });
});
