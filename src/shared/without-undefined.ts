/** Drops undefined fields so optional facts are absent, not `undefined`, in stored JSON and hashes. */
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
