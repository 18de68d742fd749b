// Import direction for src/ (npm run lint runs it: `depcruise src bin bench`). Data flows one way (STYLE.md): a
// folder imports only folders below it in LAYERS, never one above it or beside it, and there are no cycles.
// Cross-folder imports go through each folder's index.ts, its public face (the rule `cross-folder-through-index`).

/** Top to bottom: each folder may import the folders after it. */
const LAYERS = ['cli', 'pipeline', 'shard', 'report', 'config', 'engine', 'stimuli', 'model', 'corpus', 'analysis', 'measure', 'util'];

const upward = LAYERS.map((folder, rank) => ({
  name: `no-upward-from-${folder}`,
  comment: `src/${folder}/ may import only ${LAYERS.slice(rank + 1).join(', ') || 'nothing outside itself'} (the layers below it)`,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: { path: `^src/(?!(?:${[folder, ...LAYERS.slice(rank + 1)].join('|')})/)[^/]+/` },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      comment: 'a cycle ties modules together so that neither can be understood or tested alone',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'cross-folder-through-index',
      comment: 'another folder is imported through its index.ts, its public face',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
