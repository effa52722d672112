import type { PickedEntry } from '../../../components/FileBrowserDialog';
import { basename } from '../../../lib/format';

/**
 * Adds picked entries to the list. A path already listed is kept once; another path with the same
 * name is refused, as both would become the same artifact (ferry.local/files/<name>) and land on
 * the same path on the far side.
 */
export function addPicked(list: readonly PickedEntry[], picked: readonly PickedEntry[]): { list: PickedEntry[]; refused: string[] } {
  const next = [...list];
  const refused: string[] = [];
  for (const entry of picked) {
    if (next.some((e) => e.path === entry.path)) continue;
    const clash = next.find((e) => e.name.toLowerCase() === entry.name.toLowerCase());
    if (clash) refused.push(`${entry.path} (its name is taken by ${clash.path})`);
    else next.push(entry);
  }
  return { list: next, refused };
}

/** A request's paths as list entries; what kind each is was not recorded. */
export function entriesOf(paths: readonly string[]): PickedEntry[] {
  return paths.map((path) => ({ path, name: basename(path) }));
}
