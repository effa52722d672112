export type ElectronBinary = { found: true; path: string; source: string; version?: string } | { found: false; reason: string };

export function platformExecutable(platform?: NodeJS.Platform | 'mas'): string;
export function wantedElectronVersion(root: string): string | undefined;
export function findElectronBinary(options: { root: string; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform | 'mas' }): ElectronBinary;
export function electronMissingMessage(reason: string, root: string): string;
