// The house's dependency rules, checked by `npm run lint:deps` (part of `npm run lint`, run by `npm test`).
// Known violations still being paid off are listed in .dependency-cruiser-known-violations.json: the check
// fails on any new one; regenerate that file only when one is removed (npm run lint:deps:baseline).
const TEST = '\\.test\\.tsx?$';

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'Modules never import each other in a circle.', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'bundle-knows-no-feature',
      comment:
        'bundle/ is the format (tar, volumes, BUNDLE.json, signatures); artifact kinds reach it only through the interface in ' +
        'bundle/artifact-kinds.ts, which each kind implements in main/<kind>/kind.ts and main/kinds.ts registers. ' +
        'Besides itself it imports content/, util/ and keys/ (signing and checking a signature are primitives of the format).',
      severity: 'error',
      from: { path: '^main/bundle/', pathNot: TEST },
      to: { path: '^main/', pathNot: '^main/(bundle|content|keys|util)/' },
    },
    {
      name: 'kinds-registered-in-one-place',
      comment: "A kind's rules for the bundle format (main/<kind>/kind.ts) reach bundle/ only through their one registration, main/kinds.ts.",
      severity: 'error',
      from: { pathNot: '^main/kinds\\.ts$' },
      to: { path: '^main/[^/]+/kind\\.ts$' },
    },
    {
      name: 'util-is-a-leaf',
      comment: 'main/util/ helps everyone and knows no one: node builtins, npm packages and shared/ only.',
      severity: 'error',
      from: { path: '^main/util/', pathNot: TEST },
      to: { path: '^main/', pathNot: '^main/util/' },
    },
    {
      name: 'content-is-a-leaf',
      comment: 'main/content/ holds the blob interfaces every store and sink implements; it imports only util/ and shared/.',
      severity: 'error',
      from: { path: '^main/content/' },
      to: { path: '^main/', pathNot: '^main/(util|content)/' },
    },
    {
      name: 'shared-is-the-contract',
      comment: 'shared/ is imported by every face and imports none of them.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(main|renderer|app)/' },
    },
    { name: 'engine-has-no-face', severity: 'error', from: { path: '^main/' }, to: { path: '^(renderer|app)/' } },
    { name: 'renderer-talks-only-through-the-contract', severity: 'error', from: { path: '^renderer/' }, to: { path: '^(main|app)/' } },
    {
      name: 'electron-only-in-app',
      comment: 'The engine, the CLI and the browser host run in plain Node; only the Electron shell imports electron.',
      severity: 'error',
      from: { path: '^(main|shared|renderer)/' },
      to: { path: '^electron$|node_modules/electron/' },
    },
    {
      name: 'renderer-features-stand-alone',
      comment: 'A renderer feature (a screen) imports the shared layers (domain/, components/, core/, lib/, client/) and its own files, never another feature.',
      severity: 'error',
      from: { path: '^renderer/src/features/([^/]+)/' },
      to: { path: '^renderer/src/features/', pathNot: '^renderer/src/features/$1/' },
    },
    {
      name: 'renderer-only-the-app-layer-knows-features',
      comment: 'shell/ (App, the frame, the page table, opening a job on its page) composes the features; the shared layers never import one.',
      severity: 'error',
      from: { path: '^renderer/src/(domain|components|core|lib|client)/' },
      to: { path: '^renderer/src/features/' },
    },
    {
      name: 'renderer-nothing-imports-the-app-layer',
      comment: 'shell/ is the top: only main.tsx starts it.',
      severity: 'error',
      from: { path: '^renderer/src/', pathNot: '^renderer/src/(shell/|main\\.tsx$)' },
      to: { path: '^renderer/src/shell/' },
    },
    {
      name: 'renderer-layers-below-domain',
      comment:
        'domain/ (jobs, approvals, media checks, registry access, ledger labels and reports) builds on components/, core/, lib/ and client/; they never import it.',
      severity: 'error',
      from: { path: '^renderer/src/(components|core|lib|client)/' },
      to: { path: '^renderer/src/domain/' },
    },
    {
      name: 'renderer-core-and-lib-know-no-ui',
      comment: 'core/ (theme, app info, router, the query client), lib/ and client/ import no components.',
      severity: 'error',
      from: { path: '^renderer/src/(core|lib|client)/' },
      to: { path: '^renderer/src/components/' },
    },
  ],
  required: [
    {
      name: 'entry-points-register-kinds',
      comment:
        'Each entry point that can read a bundle registers the artifact kinds first: the CLI, the dispatcher (behind Electron and ' +
        'the browser host) and the job worker thread, a module graph of its own. Without it bundle/ refuses every kind.',
      severity: 'error',
      module: { path: '^main/(cli/main|rpc/dispatcher|jobs/worker)\\.ts$' },
      to: { path: '^main/kinds\\.ts$' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    exclude: { path: '^dist/' },
  },
};
