/**
 * Folder fields check a typed path with the engine when they lose focus. A button clicked right
 * after typing fires while that check is under way; its action awaits `foldersSettled()` first, so
 * it reads the folder the field finally reported.
 */
const pending = new Set<Promise<unknown>>();

export function trackFolderCheck<T>(promise: Promise<T>): Promise<T> {
  pending.add(promise);
  void promise.finally(() => pending.delete(promise)).catch(() => undefined);
  return promise;
}

export async function foldersSettled(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
}
