/**
 * Runs one Ferry CLI invocation for the export benchmark, then records the process's peak RSS.
 * Usage: node dist/bench/export-child.js --rss-file FILE <ferry argv...>
 */
import { writeFileSync } from 'node:fs';
import { main } from '../main/cli/main.js';

const [flag, rssFile, ...argv] = process.argv.slice(2);
if (flag !== '--rss-file' || !rssFile) {
  process.stderr.write('usage: export-child.js --rss-file FILE <ferry argv...>\n');
  process.exit(2);
}
const code = await main(argv);
// maxRSS is in KiB and covers the whole life of this process.
writeFileSync(rssFile, `${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
process.exitCode = code;
