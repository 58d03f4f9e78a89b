import type { ModuleManifest } from '../manifest.ts';

/** The vote-counting engine: pure functions and the `pb` command, no pages, tables or messages. */
export const votingModule = {
  name: 'voting',
} satisfies ModuleManifest;
