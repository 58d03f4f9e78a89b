import { dataOf, type ModuleManifest } from '../manifest.ts';
import { governancePermissions } from './permissions.ts';
import { governanceData } from './privacy.ts';
import * as schema from './schema.ts';

// BASE (issue 12): gov-core and gov-motions each add their parts as one or two lines.

/** Governance of the mutual: rules and policies, the board, meetings and quorum, motions, the decisions register. */
export const governanceModule = {
  name: 'governance',
  permissions: governancePermissions,
  data: dataOf(schema, governanceData),
} satisfies ModuleManifest;
