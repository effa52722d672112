import type { ResolvedReference } from '../../../../shared/rpc.js';
import { toAccess, type AccessForm } from '../../domain/registry/access';

export const COMMON_PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;
const MAX_REFERENCES = 500;
const MAX_PLATFORMS = 16;
const PLATFORM = /^[a-z0-9][a-z0-9_.-]*\/[a-z0-9][a-z0-9_.-]*(?:\/[a-z0-9][a-z0-9_.-]*)?$/;

/** One reference a line; blank lines and # comments dropped, repeats once. */
export function referenceLines(text: string): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  return [...new Set(lines)];
}

export function referencesProblem(lines: string[], what: string): string | null {
  return lines.length > MAX_REFERENCES ? `At most ${MAX_REFERENCES} ${what} in one bundle.` : null;
}

/** The ticked platforms and the typed ones, or what is wrong with the typed ones. */
export function parsePlatforms(ticked: readonly string[], other: string): { platforms: string[] } | { error: string } {
  const typed = other.split(/[\s,]+/).filter(Boolean);
  const bad = typed.find((p) => !PLATFORM.test(p));
  if (bad) return { error: `"${bad}" is not a platform: write OS/ARCH or OS/ARCH/VARIANT, e.g. linux/arm/v7.` };
  const platforms = [...new Set([...ticked, ...typed])];
  if (platforms.length > MAX_PLATFORMS) return { error: `At most ${MAX_PLATFORMS} platforms.` };
  return { platforms };
}

export interface ReferenceInputs {
  imagesText: string;
  chartsText: string;
  tickedPlatforms: string[];
  otherPlatforms: string;
  access: AccessForm;
  /** Leave out their signatures, attestations, SBOMs and referrers (carried by default). */
  leaveSignatures: boolean;
}

/** What export.estimate, export.start and registry.resolve take from the Images & charts tab. */
export function referenceRequest(s: ReferenceInputs) {
  const parsed = parsePlatforms(s.tickedPlatforms, s.otherPlatforms);
  const access = toAccess(s.access);
  return {
    images: referenceLines(s.imagesText),
    charts: referenceLines(s.chartsText),
    platforms: 'platforms' in parsed ? parsed.platforms : [],
    ...(access ? { registry: access } : {}),
    ...(s.leaveSignatures ? { signatures: false } : {}),
  };
}

/** Identifies the inputs a resolution answered; a resolution for other inputs is stale. */
export function resolutionKey(s: ReferenceInputs): string {
  return JSON.stringify(referenceRequest(s));
}

export interface Resolution {
  key: string;
  items: ResolvedReference[];
}

export type ResolutionStatus = 'none' | 'unresolved' | 'stale' | 'failed' | 'ok';

/** Where the typed references stand: nothing typed, not resolved yet, changed since, some failed, all resolved. */
export function resolutionStatus(s: ReferenceInputs & { resolution: Resolution | null }): ResolutionStatus {
  const request = referenceRequest(s);
  if (request.images.length + request.charts.length === 0) return 'none';
  if (!s.resolution) return 'unresolved';
  if (s.resolution.key !== resolutionKey(s)) return 'stale';
  return s.resolution.items.every((item) => item.ok) ? 'ok' : 'failed';
}

/** The resolved items that still answer the current inputs. */
export function currentItems(s: ReferenceInputs & { resolution: Resolution | null }): ResolvedReference[] {
  return s.resolution && s.resolution.key === resolutionKey(s) ? s.resolution.items.filter((item) => item.ok) : [];
}
