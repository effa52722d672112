import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

/** The WCAG 2.1 A and AA rules; best practices and experimental rules are left out. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Impacts that fail the suite. Moderate and minor ones are printed, not failed. */
const FAILING = new Set(['serious', 'critical']);

/** Waits until every finite animation and transition (dialogs fading in, a Collapse opening) has ended. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const finite = document.getAnimations().filter((a) => {
      const end = a.effect?.getComputedTiming().endTime;
      return typeof end === 'number' && Number.isFinite(end);
    });
    await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
  });
}

/**
 * Runs axe (WCAG 2.1 A and AA) on the page, or only inside `within`, and fails softly (so every
 * screen of a test is reported) on each violation of impact serious or critical, naming the rule,
 * what to fix and the elements' selectors. `screen` names the screen in the report.
 */
export async function expectAccessible(page: Page, testInfo: TestInfo, screen: string, opts: { within?: string; exclude?: string[] } = {}): Promise<void> {
  await settle(page);
  let builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  if (opts.within) builder = builder.include(opts.within);
  for (const selector of opts.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  const lines = (violations: typeof results.violations) =>
    violations.map(
      (v) =>
        `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes
          .slice(0, 8)
          .map((n) => `      ${n.target.join(' >> ')}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\n\s*/g, ' | ')}` : ''}`)
          .join('\n') +
        (v.nodes.length > 8 ? `\n      … and ${v.nodes.length - 8} more` : ''),
    );
  const failing = results.violations.filter((v) => FAILING.has(v.impact ?? ''));
  const other = results.violations.filter((v) => !FAILING.has(v.impact ?? ''));
  if (other.length > 0) console.log(`[a11y] ${screen}: ${other.length} moderate/minor\n${lines(other).join('\n')}`);
  if (failing.length > 0) {
    const report = `${screen}: ${failing.length} serious or critical axe violation(s)\n${lines(failing).join('\n')}`;
    console.log(`[a11y] ${report}`);
    await testInfo.attach(`axe ${screen}`, { body: JSON.stringify(failing, null, 2), contentType: 'application/json' });
  }
  expect
    .soft(
      failing.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' >> ')).join(', ')}`),
      `axe on ${screen}`,
    )
    .toEqual([]);
}

/** Presses Tab (or Shift+Tab) until `target` has the focus, at most `max` times, then asserts it has. */
export async function tabTo(page: Page, target: Locator, max = 60, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  await expect(target).toBeAttached();
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(key);
  }
  await expect(target).toBeFocused();
}
