/**
 * An artifact's licences in the words a transfer form prints: the names the source states, "None
 * stated" when it states none, "Not recorded" for an export recorded before Ferry noted licences.
 */
export function licenceWords(licences: readonly string[] | undefined): string {
  if (licences === undefined) return 'Not recorded';
  return licences.length === 0 ? 'None stated' : licences.join('; ');
}
