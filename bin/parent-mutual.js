#!/usr/bin/env node
// Entry point for `npm start` and `npx parent-mutual …`. Runs the CLI compiled to JavaScript in
// dist/ (built by `npm ci` through `prepare`, rebuilt here first when a source changed), so no
// command transpiles the tree. PARENT_MUTUAL_FROM_SOURCE=1 runs the TypeScript through tsx instead.
let main;
if (process.env.PARENT_MUTUAL_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/server/cli.ts'));
} else {
  const { ensureBuilt } = await import('../scripts/build-server.mjs');
  ({ main } = await import(await ensureBuilt()));
}
process.exitCode = await main(process.argv.slice(2));
