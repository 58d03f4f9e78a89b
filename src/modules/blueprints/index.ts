import type { ModuleManifest } from '../manifest.ts';

// BASE (issue 11): the blueprints helper fills this in.

/** Service blueprints: how a family lives a service, stage by stage, lane by lane; parents comment. */
export const blueprintsModule = {
  name: 'blueprints',
} satisfies ModuleManifest;
