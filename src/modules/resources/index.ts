import { dataOf, type ModuleManifest } from '../manifest.ts';
import { resourcesPermissions } from './permissions.ts';
import { resourcesData } from './privacy.ts';
import * as schema from './schema.ts';

// BASE (issue 11): res-core, res-answers and bp-oruk each add their parts as one or two lines.

/** The resource audit: providers, services, spend and reach; the answers; Open Referral UK exchange. */
export const resourcesModule = {
  name: 'resources',
  permissions: resourcesPermissions,
  data: dataOf(schema, resourcesData),
} satisfies ModuleManifest;
