import { dataOf, type ModuleManifest } from '../manifest.ts';
import { intelligenceData } from './privacy.ts';
import * as schema from './schema.ts';

// BASE (issue 10): the helpers fill in pages, API, messages, permissions, provider, jobs, demo.
/** Street champions' intelligence: reports from the field, triage, the needs picture; safeguarding concerns kept apart. */
export const intelligenceModule = {
  name: 'intelligence',
  data: dataOf(schema, intelligenceData),
} satisfies ModuleManifest;
