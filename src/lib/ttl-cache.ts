/**
 * A small in-process cache for slowly changing reference data (ward sets, tenants), with a time
 * to live and single-flight loading (concurrent misses share one load). Each app process keeps
 * its own; writers in this process call `delete`, other processes see changes within the TTL.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = load();
    this.entries.set(key, { value, at: now });
    // A failed load must not be cached.
    value.catch(() => this.entries.delete(key));
    return value;
  }

  delete(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
