/**
 * An object built on first access (property read, `in`, `Object.keys`). The catalogues are
 * assembled from the module list, which cannot be read while the i18n files themselves load.
 */
export function lazyCatalogue<T extends object>(build: () => T): T {
  let value: T | undefined;
  const real = () => (value ??= build());
  return new Proxy({} as T, {
    get: (_t, key) => Reflect.get(real(), key),
    has: (_t, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      return d ? { ...d, configurable: true } : undefined;
    },
  });
}
