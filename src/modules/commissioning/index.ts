import type { ModuleManifest } from '../manifest.ts';

// BASE (issues 12–13): the commissioning helper fills this in.

export const commissioningModule = {
  name: 'commissioning',
} satisfies ModuleManifest;
