import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, session, type OpenDialogOptions } from 'electron';
import { safeStorageBox } from './secret-box.js';
import { ferryHome } from '../main/util/home.js';
import { startEngine, type EngineHost } from './engine-host.js';
import { bindIpc, type IpcBinding } from './ipc.js';
import { APP_ENTRY_URL } from './protocol-path.js';
import { registerAppScheme, serveAppProtocol } from './protocol.js';
import { installSecurityPolicy, lockDownSession } from './security.js';

/**
 * Ferry's Electron main process: lifecycle, the window, native dialogs, printToPDF, and the wiring
 * of app:// (protocol.ts), the security policy (security.ts), the engine's utility process
 * (engine-host.ts, which runs main/rpc's dispatcher) and the one IPC channel (ipc.ts) relaying to it.
 * Built to dist/app/main.js; the renderer is dist/renderer/, the preload dist/app/preload.cjs, the
 * engine's entry dist/app/engine-process.js. app/engine-boundary.test.ts keeps SQLite and the
 * dispatcher out of this process.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const RENDERER_ROOT = path.resolve(here, '..', 'renderer');
const PRELOAD = path.join(here, 'preload.cjs');

// One data folder for the app and the CLI (FERRY_HOME, else the OS config folder + /ferry), so both
// share the ledger and the site key. Chromium's profile and the single-instance lock live inside
// it, so an instance with another FERRY_HOME (tests, a second site) never shares state.
const FERRY_HOME = ferryHome();
app.setName('Ferry');
app.setPath('userData', path.join(FERRY_HOME, 'electron-profile'));

let win: BrowserWindow | null = null;
let engine: EngineHost | null = null;
let ipc: IpcBinding | null = null;

async function openDialog(options: OpenDialogOptions): Promise<string[]> {
  const result = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}

async function pickFolder(title: string): Promise<string | null> {
  return (await openDialog({ title, properties: ['openDirectory', 'createDirectory'] }))[0] ?? null;
}

async function pickFiles(title: string): Promise<string[]> {
  return openDialog({ title, properties: ['openFile', 'multiSelections'] });
}

/** The transfer form or receipt as shown, printed by Chromium to A4 PDF and saved where the user chooses. */
async function printToPdf(suggestedName: string): Promise<string | null> {
  if (!win || win.isDestroyed()) return null;
  const safeName = suggestedName.replace(/[^A-Za-z0-9._-]/g, '_');
  const target = await dialog.showSaveDialog(win, { title: 'Save as PDF', defaultPath: `${safeName}.pdf`, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
  if (target.canceled || !target.filePath) return null;
  const pdf = await win.webContents.printToPDF({ pageSize: 'A4', printBackground: false });
  const temp = `${target.filePath}.partial`;
  await fs.writeFile(temp, pdf);
  await fs.rename(temp, target.filePath);
  return target.filePath;
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    title: 'Ferry',
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      safeDialogs: true,
      navigateOnDragDrop: false,
      // A middle click must not open a link in a new window (Electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
      devTools: !app.isPackaged,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (win === window) win = null;
  });
  void window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
    console.error(`[ferry] could not load ${APP_ENTRY_URL} (is dist/renderer/ built?):`, error);
  });
  return window;
}

function startupFailure(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  let hint = '';
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version|better_sqlite3/i.test(message)) {
    hint =
      '\n\nbetter-sqlite3 is built for Node, not for Electron. On this checkout run\n' +
      '  npx @electron/rebuild -f -w better-sqlite3\n' +
      'to run the desktop app, and `npm rebuild better-sqlite3` to go back to the Node tests.';
  }
  console.error('[ferry] startup failed:', error);
  dialog.showErrorBox('Ferry could not start', message + hint);
  app.exit(1);
}

/** The engine's process ended on its own (a crash, or killed): nothing works without it, so say so and quit. */
function engineGone(code: number): void {
  console.error(`[ferry] the engine process exited (code ${code})`);
  ipc?.dispose();
  ipc = null;
  engine = null;
  dialog.showErrorBox(
    'Ferry stopped',
    `Ferry's engine stopped unexpectedly (exit code ${code}). Start Ferry again: a job that was running shows as interrupted, ready to resume.`,
  );
  app.quit();
}

async function onReady(): Promise<void> {
  lockDownSession(session.defaultSession);
  serveAppProtocol(RENDERER_ROOT);
  engine = await startEngine(FERRY_HOME, { pickFolder, pickFiles, printToPdf, secretBox: safeStorageBox() }, engineGone);
  ipc = bindIpc(engine, () => win);
  win = createWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Every renderer sandboxed, whatever a window's webPreferences say.
  app.enableSandbox();
  registerAppScheme();
  installSecurityPolicy();

  app.on('second-instance', () => {
    if (win === null) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  app.on('render-process-gone', (_event, _contents, details) => {
    console.error(`[ferry] renderer gone: ${details.reason} (exit code ${details.exitCode})`);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (win === null && engine !== null) win = createWindow();
  });

  // Close the engine (jobs persist their state, the ledger closes) before the process ends.
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing || engine === null) return;
    closing = true;
    event.preventDefault();
    ipc?.dispose();
    const pending = engine;
    engine = null;
    pending
      .close()
      .catch((error: unknown) => console.error('[ferry] closing the engine failed:', error))
      .finally(() => app.quit());
  });

  app.whenReady().then(onReady).catch(startupFailure);
}
