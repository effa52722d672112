/**
 * Runs one Ferry CLI invocation for a benchmark, then records the process's peak RSS, its CPU time
 * and every byte it read, in all its threads (/proc/self/io rchar: the jobs run in worker threads).
 * Usage: node dist/bench/ferry-child.js --rss-file FILE <ferry argv...>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { main } from '../main/cli/main.js';

const [flag, rssFile, ...argv] = process.argv.slice(2);
if (flag !== '--rss-file' || !rssFile) {
  process.stderr.write('usage: ferry-child.js --rss-file FILE <ferry argv...>\n');
  process.exit(2);
}
const code = await main(argv);
// maxRSS is in KiB and covers the whole life of this process.
const rchar = Number(/^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? NaN);
const usage = process.resourceUsage(); // CPU times in microseconds, every thread included
writeFileSync(rssFile, `${JSON.stringify({ maxRssKiB: usage.maxRSS, rchar, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 })}\n`);
process.exitCode = code;
