#!/usr/bin/env node
// Entry point for `npm start` and `npx parent-mutual …`: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/server/cli.ts');
process.exitCode = await main(process.argv.slice(2));
