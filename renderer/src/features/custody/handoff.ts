import type { BundleSummary } from '../../../../shared/rpc.js';

/** The bundle a ?bundle= names: its full digest or a unique prefix of the hex. */
export function matchBundle(bundles: BundleSummary[], wanted: string): string | null {
  if (!wanted) return null;
  const exact = bundles.find((b) => b.bundle === wanted);
  if (exact) return exact.bundle;
  const hex = wanted.replace(/^sha256:/, '').toLowerCase();
  const prefixed = bundles.filter((b) => b.bundle.replace(/^sha256:/, '').startsWith(hex));
  return prefixed.length === 1 ? prefixed[0]!.bundle : null;
}

/** Media ids typed by hand: separated by commas, spaces or new lines. */
export function typedMedia(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter(Boolean);
}

export type Seal = 'yes' | 'no' | '';

/** A handoff's details without what the list already says (the bundle, the machine). */
export function handoffDetails(details: [string, string][]): [string, string][] {
  return details.filter(([label]) => !['bundle', 'host', 'job'].includes(label.toLowerCase()));
}

/** What the handoff form still lacks, in the order the form asks; null when it can be recorded. */
export function handoffProblem({
  bundle,
  fromName,
  toName,
  place,
  seal,
  notes,
}: {
  bundle: string;
  fromName: string;
  toName: string;
  place: string;
  seal: Seal;
  notes: string;
}): string | null {
  return !bundle
    ? 'Choose the bundle.'
    : !fromName.trim()
      ? 'Give the name of the person handing over (From).'
      : !toName.trim()
        ? 'Give the name of the person receiving (To).'
        : fromName.trim().toLowerCase() === toName.trim().toLowerCase()
          ? 'From and To are the same person.'
          : !place.trim()
            ? 'Say where the handoff took place.'
            : !seal
              ? 'Say whether the seal is intact.'
              : seal === 'no' && !notes.trim()
                ? 'Note what you saw of the seal and packaging.'
                : null;
}
