import { defineConfig } from 'drizzle-kit';

/** Every module's tables: a new module's schema.ts is picked up by the glob, no list to edit. */
export const SCHEMA_FILES = ['./src/db/system-schema.ts', './src/modules/*/schema.ts'];

export default defineConfig({
  dialect: 'postgresql',
  schema: SCHEMA_FILES,
  out: './migrations',
});
