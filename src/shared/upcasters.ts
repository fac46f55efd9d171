/**
 * Upcasters lift events stored in an older data shape to the latest one while the stream is
 * read, so `evolve` only ever knows the current shape and old events are never rewritten.
 */
export interface Upcaster {
  type: string;
  /** The version this upcaster reads; it produces `fromVersion + 1`. */
  fromVersion: number;
  up(data: unknown): unknown;
}

export interface VersionedData {
  schemaVersion: number;
  data: unknown;
}

export type Upcast = (type: string, schemaVersion: number, data: unknown) => VersionedData;

/** Builds one upcast function from upcasters of any contexts; they chain v1 → v2 → … → latest. */
export function upcasterRegistry(...lists: readonly (readonly Upcaster[])[]): Upcast {
  const byKey = new Map<string, Upcaster>();
  for (const upcaster of lists.flat()) {
    const key = `${upcaster.type}@${upcaster.fromVersion}`;
    if (byKey.has(key)) throw new Error(`two upcasters for ${key}`);
    byKey.set(key, upcaster);
  }
  return (type, schemaVersion, data) => {
    let current: VersionedData = { schemaVersion, data };
    for (;;) {
      const next = byKey.get(`${type}@${current.schemaVersion}`);
      if (!next) return current;
      current = { schemaVersion: current.schemaVersion + 1, data: next.up(current.data) };
    }
  };
}

export const noUpcast: Upcast = (_type, schemaVersion, data) => ({ schemaVersion, data });
