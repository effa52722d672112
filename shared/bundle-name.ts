/**
 * The bundle name rule, once for every face: the contract's BundleName (shared/bundle.ts) is built from it,
 * and the wizard words its problem from it without bundling zod.
 */
export const BUNDLE_NAME_MAX = 80;
export const BUNDLE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const BUNDLE_NAME_CHARACTERS = 'letters, digits, . _ - only, starting with a letter or digit';

/** What is wrong with a bundle name, in the wizard's words; null when the name is usable. */
export function bundleNameProblem(name: string): string | null {
  if (name.length === 0) return 'Give the bundle a name.';
  if (name.length > BUNDLE_NAME_MAX) return `At most ${BUNDLE_NAME_MAX} characters.`;
  if (!BUNDLE_NAME_PATTERN.test(name)) return 'Letters, digits, . _ - only, starting with a letter or digit.';
  return null;
}
