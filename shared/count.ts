/** "1 volume", "3 volumes", "2 entries": a count with its noun, for the wizard and the command line alike. */
export function countOf(n: number, one: string, many = one.endsWith('y') ? `${one.slice(0, -1)}ies` : `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
