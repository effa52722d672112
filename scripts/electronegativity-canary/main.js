// A deliberately insecure Electron main process: the security gate runs Electronegativity over it
// too and must find these problems, or the gate itself is broken. Never shipped, never run.
const { app, BrowserWindow } = require('electron');

app.whenReady().then(() => {
  const win = new BrowserWindow({
    webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false, allowRunningInsecureContent: true },
  });
  win.loadURL('http://example.com/');
});
