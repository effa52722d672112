import { safeStorage } from 'electron';
import type { SecretBox } from '../main/registry/credential-store.js';

/**
 * Registry credentials typed into the wizard, sealed with the OS keychain (Keychain, DPAPI,
 * libsecret/kwallet). On Linux without a keyring Electron falls back to basic_text: the wizard
 * warns that such credentials are stored but not protected. Null when encryption is unavailable:
 * then credentials live in memory for the session only. The engine's utility process reaches it
 * through the main process (app/engine-link.ts): safeStorage exists only there.
 */
export function safeStorageBox(): SecretBox | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  if (backend === 'unknown') return null;
  return {
    backend: backend === 'basic_text' ? 'basic_text' : 'os',
    encrypt: async (text) => safeStorage.encryptString(text),
    decrypt: async (data) => safeStorage.decryptString(data),
  };
}
