import { localOnly } from '../../server/access.ts';
import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { emailEn, emailPl } from './i18n.ts';
import { registerDevMailbox } from './pages.tsx';
import { emailPersonalData } from './personal-data.ts';
import { emailData } from './privacy.ts';
import * as schema from './schema.ts';
import { purgeSentEmail } from './service.ts';

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof emailEn, string> {}
}

/** The email outbox and worker; the development mailbox. */
export const emailModule = {
  name: 'email',
  pages(pages, deps) {
    if (deps.config.env === 'production' || deps.config.smtpUrl) return;
    // The development mailbox shows sign-in links: only to this machine, never in production.
    pages.use('/dev/*', localOnly());
    registerDevMailbox(pages);
  },
  messages: messages(emailEn, emailPl),
  data: dataOf(schema, emailData),
  personalData: emailPersonalData,
  retention: [{ name: 'emails', run: (db) => purgeSentEmail(db, 30) }],
} satisfies ModuleManifest;
