import type { ModuleManifest } from '../manifest.ts';

// BASE (issues 12–13): the elections helper fills this in.

export const electionsModule = {
  name: 'elections',
} satisfies ModuleManifest;
