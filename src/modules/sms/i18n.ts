/** Messages of the SMS module (development inbox), merged into src/ui/i18n/{en,pl}.ts. */
export const smsEn = {
  'sms.inbox.title': 'Development text messages',
  'sms.inbox.lead':
    'Text messages this site has queued, as people would receive them. This page exists only on development and test servers. No SMS provider is built in yet: in production, sign-in by text is switched off.',
  'sms.inbox.empty': 'No text message has been queued yet.',
  'sms.inbox.caption': 'The latest {count} text messages, newest first',
  'sms.col.to': 'To',
  'sms.col.text': 'Message',
  'sms.col.status': 'Status',
  'sms.col.time': 'Queued at',
  'sms.status.queued': 'Waiting to send',
  'sms.status.sending': 'Sending',
  'sms.status.sent': 'Sent',
  'sms.status.failed': 'Failed',
  'sms.status.suppressed': 'Not sent (the number is not a member’s)',
} as const;

export type SmsMessageKey = keyof typeof smsEn;

export const smsPl: Record<SmsMessageKey, string> = {
  'sms.inbox.title': 'Deweloperska skrzynka SMS',
  'sms.inbox.lead':
    'Wiadomości SMS, które ta strona umieściła w kolejce, tak jak zobaczyliby je odbiorcy. Ta strona istnieje tylko na serwerach deweloperskich i testowych. Nie ma jeszcze wbudowanego dostawcy SMS: w wersji produkcyjnej logowanie przez SMS jest wyłączone.',
  'sms.inbox.empty': 'Nie ma jeszcze żadnych wiadomości SMS w kolejce.',
  'sms.inbox.caption': 'Ostatnie wiadomości SMS ({count}), od najnowszych',
  'sms.col.to': 'Do',
  'sms.col.text': 'Treść',
  'sms.col.status': 'Stan',
  'sms.col.time': 'Dodano do kolejki',
  'sms.status.queued': 'Czeka na wysłanie',
  'sms.status.sending': 'Wysyłanie',
  'sms.status.sent': 'Wysłano',
  'sms.status.failed': 'Nie udało się wysłać',
  'sms.status.suppressed': 'Nie wysłano (numer nie należy do członka)',
};
