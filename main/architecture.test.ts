import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

/**
 * The house rules of the design's architecture.md: only app/ imports electron; main/ never imports
 * app/ or renderer/; renderer/ never imports main/ or app/; shared/ imports none of the others.
 */
const FORBIDDEN: Record<string, readonly string[]> = {
  main: ['app', 'renderer'],
  renderer: ['main', 'app'],
  shared: ['main', 'app', 'renderer'],
  e2e: ['app'],
};
const LAYERS = ['app', 'main', 'renderer', 'shared', 'e2e'];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

async function sourceFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'out' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await sourceFiles(full)));
    else if (SOURCE.test(entry.name)) found.push(full);
  }
  return found;
}

export async function findViolations(root: string): Promise<string[]> {
  const violations: string[] = [];
  for (const layer of LAYERS) {
    for (const file of await sourceFiles(path.join(root, layer))) {
      const text = await fs.readFile(file, 'utf8');
      for (const match of text.matchAll(SPECIFIER)) {
        const specifier = match[1]!;
        const where = path.relative(root, file);
        if ((specifier === 'electron' || specifier.startsWith('electron/')) && layer !== 'app') violations.push(`${where} imports electron (only app/ may)`);
        if (!specifier.startsWith('.')) continue;
        const target = path.relative(root, path.resolve(path.dirname(file), specifier)).split(path.sep)[0]!;
        if (FORBIDDEN[layer]?.includes(target)) violations.push(`${where} imports ${target}/ (${specifier})`);
      }
    }
  }
  return violations;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

test('the layers import only what architecture.md allows', async () => {
  assert.ok((await sourceFiles(path.join(repoRoot, 'main'))).length > 10, 'the check reads the real sources');
  assert.deepEqual(await findViolations(repoRoot), []);
});

test('the check catches a planted violation of each rule', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-arch-'));
  try {
    // Built by concatenation so this file does not itself look like a violation to the scan above.
    const q = "'";
    for (const [file, text] of Object.entries({
      'main/a.ts': `import { app } from ${q}elec${q} + ${q}tron${q};`.replace(`${q} + ${q}`, ''),
      'renderer/b.tsx': `import { x } from ${q}../ma${''}in/engine.js${q};`,
      'shared/c.ts': `export * from ${q}../a${''}pp/main.js${q};`,
      'main/d.ts': `const r = await import(${q}../rend${''}erer/x.js${q});`,
    })) {
      await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await fs.writeFile(path.join(root, file), text);
    }
    const found = await findViolations(root);
    assert.equal(found.length, 4, found.join('\n'));
  } finally {
    await fs.rm(root, { recursive: true });
  }
});
