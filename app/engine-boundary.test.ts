import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Electron's main process must stay free of the engine: SQLite, planning, the dispatcher and the job
// runner run in the utility process (app/engine-process.ts), so none of it blocks the window, the
// dialogs or IPC. This walks the compiled imports of dist/app/main.js, as Electron loads them, and
// fails if the engine is among them; the same walk over the engine's entry must find it.

const here = path.dirname(fileURLToPath(import.meta.url));
const distRoot = path.dirname(here);
const STATIC_IMPORT = /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module `entry` loads (as paths under dist/) and every package it names, following dynamic imports too when asked. */
function importGraph(entry: string, withDynamic: boolean): { files: string[]; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = fs.readFileSync(file, 'utf8');
    const specifiers = [...source.matchAll(STATIC_IMPORT), ...(withDynamic ? source.matchAll(DYNAMIC_IMPORT) : [])].map((match) => match[1]!);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return { files: [...files].map((file) => path.relative(distRoot, file).split(path.sep).join('/')), packages };
}

// Of main/, the main process may load the leaf helpers and the static file server it shares with the browser host.
const MAIN_PROCESS_MAY_LOAD = /^(app\/|shared\/|main\/util\/|main\/host\/static\.js$)/;

test('the main process loads neither the dispatcher nor SQLite: only app/, shared/, main/util/ and the static file server', () => {
  const main = importGraph(path.join(here, 'main.js'), true);
  const engineFiles = main.files.filter((file) => !MAIN_PROCESS_MAY_LOAD.test(file));
  assert.deepEqual(engineFiles, [], 'dist/app/main.js reaches the engine');
  assert.equal(main.packages.has('better-sqlite3'), false, 'dist/app/main.js loads better-sqlite3');
  assert.ok(main.files.includes('app/engine-host.js'), `it starts the engine through app/engine-host.js: ${main.files.join(', ')}`);
});

test('the engine process does load the dispatcher and SQLite (the walk sees them where they are)', () => {
  const engine = importGraph(path.join(here, 'engine-process.js'), true);
  assert.ok(engine.files.includes('main/rpc/dispatcher.js'), engine.files.join(', '));
  assert.ok(engine.packages.has('better-sqlite3'), [...engine.packages].join(', '));
});
