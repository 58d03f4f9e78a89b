// Types for scripts/build-server.mjs (plain JavaScript so that `npm ci` can run it with node alone).
export interface BuildOptions {
  /** The checkout to build (default: the one the script is in). */
  root?: string;
}
export const ROOT: string;
export function sourceKey(options?: BuildOptions): string;
export function builtEntry(options?: BuildOptions & { key?: string }): string | undefined;
export function build(options?: BuildOptions & { key?: string }): Promise<string>;
export function ensureBuilt(options?: BuildOptions): Promise<string>;
