/**
 * Volume files as a short list: runs of consecutive numbers shown as ranges,
 * ["b.tar.001", "b.tar.002", "b.tar.003", "b.tar.005"] → "b.tar.001–003, b.tar.005".
 */
export function volumeRanges(files: readonly string[]): string {
  const parts: string[] = [];
  let run: { prefix: string; first: string; last: string; n: number } | null = null;
  const flush = () => {
    if (run) parts.push(run.first === run.last ? `${run.prefix}${run.first}` : `${run.prefix}${run.first}–${run.last}`);
    run = null;
  };
  for (const file of files) {
    const match = /^(.*\.)(\d+)$/.exec(file);
    if (!match) {
      flush();
      parts.push(file);
      continue;
    }
    const [, prefix = '', digits = ''] = match;
    const n = Number(digits);
    if (run && run.prefix === prefix && n === run.n + 1 && digits.length === run.last.length) {
      run.last = digits;
      run.n = n;
    } else {
      flush();
      run = { prefix, first: digits, last: digits, n };
    }
  }
  flush();
  return parts.join(', ');
}
