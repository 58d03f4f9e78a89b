import { dataOf, type ModuleManifest } from '../manifest.ts';
import { auditPersonalData } from './personal-data.ts';
import { auditData } from './privacy.ts';
import * as schema from './schema.ts';

/** The append-only audit log: no pages or API of its own yet. */
export const auditModule = {
  name: 'audit',
  data: dataOf(schema, auditData),
  personalData: auditPersonalData,
} satisfies ModuleManifest;
