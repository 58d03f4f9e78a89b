import { PLATFORM_DATA, type TableTags } from '../db/privacy.ts';
import type { ModuleManifest } from './manifest.ts';
import { auditModule } from './audit/index.ts';
import { ladderModule } from './ladder/index.ts';
import { emailModule } from './email/index.ts';
import { membershipModule } from './membership/index.ts';
import { smsModule } from './sms/index.ts';
import { tenancyModule } from './tenancy/index.ts';
import { trainingModule } from './training/index.ts';
import { intelligenceModule } from './intelligence/index.ts';
import { votingModule } from './voting/index.ts';
import { accreditationModule } from './accreditation/index.ts';
import { volunteeringModule } from './volunteering/index.ts';
import { resourcesModule } from './resources/index.ts';
import { blueprintsModule } from './blueprints/index.ts';
import { governanceModule } from './governance/index.ts';
import { electionsModule } from './elections/index.ts';
import { commissioningModule } from './commissioning/index.ts';

/**
 * The one list of modules. Adding a module = its folder + one line here: the app mounts its pages
 * and API, and its messages, permissions, tables, retention jobs and demo data are picked up from
 * its manifest (docs/ARCHITECTURE.md, "How to add a module"). Demo data loads in this order.
 */
export const MODULES = [tenancyModule, auditModule, membershipModule, emailModule, smsModule, votingModule, trainingModule, accreditationModule, volunteeringModule, ladderModule, intelligenceModule, resourcesModule, blueprintsModule, governanceModule, electionsModule, commissioningModule] as const;

export type ModuleList = typeof MODULES;

/** The data catalogue (SECURITY.md 13): the platform's tables and every module's, with their privacy tags. */
export const DATA_CATALOGUE: Readonly<Record<string, TableTags>> = Object.assign({}, PLATFORM_DATA, ...MODULES.map((m) => ('data' in m ? m.data : {})));

/** The list as the general manifest type, for code that reads optional parts (jobs, seeds, panels). */
export const MANIFESTS: readonly ModuleManifest[] = MODULES;
