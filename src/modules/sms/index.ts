import { localOnly } from '../../server/access.ts';
import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { smsEn, smsPl } from './i18n.ts';
import { registerDevSms } from './pages.tsx';
import { smsPersonalData } from './personal-data.ts';
import { smsData } from './privacy.ts';
import * as schema from './schema.ts';
import { purgeSms } from './service.ts';

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof smsEn, string> {}
}

/** The text-message outbox and worker; the development inbox. */
export const smsModule = {
  name: 'sms',
  pages(pages, deps) {
    if (deps.config.env === 'production') return;
    // Texts hold sign-in codes: the development inbox is for this machine only, never in production.
    pages.use('/dev/sms', localOnly());
    registerDevSms(pages);
  },
  messages: messages(smsEn, smsPl),
  data: dataOf(schema, smsData),
  personalData: smsPersonalData,
  // Texts after 30 days (suppressed placeholders after a day).
  retention: [{ name: 'texts', run: (db) => purgeSms(db, 30) }],
} satisfies ModuleManifest;
