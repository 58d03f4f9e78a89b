// The schema index: every table of every module, for drizzle and drizzle-kit.
export * from './system-schema.ts';
export * from '../modules/tenancy/schema.ts';
export * from '../modules/audit/schema.ts';
export * from '../modules/membership/schema.ts';
export * from '../modules/email/schema.ts';
export * from '../modules/sms/schema.ts';
