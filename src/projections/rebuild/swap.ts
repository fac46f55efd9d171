import type { EventStore } from '../../eventstore/event-store.port';
import type { Upcast } from '../../shared/upcasters';
import { applyBatchIn } from '../apply-batch';
import { checkpointsTable, CheckpointRow, createProjectionObjects, ensureCheckpointsTable, readCheckpointRows } from '../checkpoints';
import type { Projection } from '../projection';
import type { ReadModelQueryable } from '../read-model-database';
import { useSchema } from '../schema-scope';
import { yieldToEventLoop } from './yield-to-event-loop';

export interface SwapInput {
  store: EventStore;
  projection: Projection;
  /** Every projection Siren knows: the owners of views that read the swapped tables are re-run. */
  projections: readonly Projection[];
  live: string;
  /** The shadow schema (built up to `from`), or null for a projection that owns no tables. */
  shadow: string | null;
  from: bigint;
  upcast: Upcast;
  batchSize: number;
  /** Told after each batch applied inside the swap. */
  onEvents?: (events: number, position: bigint) => void;
}

/**
 * The swap, inside ONE transaction the caller owns, so readers see the old model or the new one
 * and never a mix:
 *  1. lock this projection's live checkpoint rows: a live runner (this process or another) cannot
 *     commit a batch until we are done, and then finds its checkpoint moved and resumes from ours;
 *  2. apply the events that arrived since the shadow's last batch, up to the head;
 *  3. drop the live tables (and the previous version's) and move the shadow's into the live schema;
 *     views of other projections that read them go with CASCADE and are created again here;
 *  4. the live checkpoint becomes the shadow's; the shadow schema is dropped.
 * A reader blocked on a dropped table resolves the name again once the lock is granted, and so
 * reads the new table (PostgreSQL re-runs the name lookup after a lock wait).
 * Returns the position the swapped-in model reflects.
 */
export async function swapIn(tx: ReadModelQueryable, input: SwapInput): Promise<bigint> {
  const { projection: p, live, shadow } = input;
  await ensureCheckpointsTable(tx, live);
  const liveRows = await readCheckpointRows(tx, live, [p.name], { forUpdate: true });
  let position = input.from;
  if (shadow !== null) position = await catchUp(tx, input, shadow);
  else position = await input.store.headPosition(); // it projects no events: it is current at any position
  const stale = unique([...liveRows.flatMap((row) => ownedRelations(row, p)), ...(shadow ? await shadowRelations(tx, shadow, p) : [])]);
  const dropped = await relationKinds(tx, live, stale);
  const { owners, views } = await dependentViews(tx, input, dropped.map((d) => d.name));
  // Drop the views that would go with CASCADE before their tables: a reader of a view locks the
  // view, then its tables; DROP TABLE ... CASCADE locks the table, then its views, and the two
  // would deadlock. Dropping a view locks the view alone, so a reader already past it finishes.
  // Views over views first (the recursive query lists them after the views they read).
  for (const kind of ['VIEW', 'MATERIALIZED VIEW'] as const) {
    const these = [...views].reverse().filter((v) => v.kind === kind).map((v) => `${quoteIdent(v.nspname)}.${quoteIdent(v.relname)}`);
    if (these.length > 0) await tx.exec(`DROP ${kind} IF EXISTS ${these.join(', ')} CASCADE`);
  }
  for (const d of dropped) await tx.exec(`DROP ${d.kind} IF EXISTS ${live}.${d.name} CASCADE`);
  let relations: string[];
  if (shadow !== null) {
    relations = await shadowRelations(tx, shadow, p);
    for (const d of await relationKinds(tx, shadow, relations)) await tx.exec(`ALTER ${d.kind} ${shadow}.${d.name} SET SCHEMA ${live}`);
    await tx.exec(`DROP SCHEMA ${shadow} CASCADE`);
  } else {
    relations = await createProjectionObjects(tx, p, live);
  }
  await tx.query(`DELETE FROM ${checkpointsTable(live)} WHERE name = $1`, [p.name]);
  await tx.query(`INSERT INTO ${checkpointsTable(live)} (name, version, position, relations) VALUES ($1, $2, $3::bigint, $4)`, [
    p.name, p.version, position.toString(), relations,
  ]);
  for (const owner of owners) {
    await useSchema(tx, live);
    await tx.exec(owner.schemaSql);
  }
  return position;
}

/** The events appended since the shadow's last batch, applied to the shadow in this transaction. */
async function catchUp(tx: ReadModelQueryable, input: SwapInput, shadow: string): Promise<bigint> {
  let position = input.from;
  for (;;) {
    // No waiting: this transaction holds an xid (the checkpoint rows are locked FOR UPDATE), so on
    // a shared server events appended after it began stay unreadable until it ends. The live
    // runner picks them up from the swapped-in checkpoint; the prefix read here is gap-free.
    const page = await input.store.readAll({ after: position, maxCount: input.batchSize, waitForCommitted: false });
    if (page.length === 0) return position;
    position = await applyBatchIn(tx, input.projection, page, position, input.upcast, shadow);
    input.onEvents?.(page.length, position);
    await yieldToEventLoop();
  }
}

/** What a checkpoint row says its version created; rows from before M12 fall back to the known tables. */
function ownedRelations(row: CheckpointRow, p: Projection): string[] {
  if (row.relations) return row.relations;
  return row.version === p.version ? [...p.tables] : [];
}

async function shadowRelations(tx: ReadModelQueryable, shadow: string, p: Projection): Promise<string[]> {
  const [row] = await readCheckpointRows(tx, shadow, [p.name]);
  if (!row || row.version !== p.version) throw new Error(`rebuild of ${p.name}: shadow schema ${shadow} lost its checkpoint (another rebuild?)`);
  return ownedRelations(row, p);
}

interface Relation {
  name: string;
  kind: 'TABLE' | 'VIEW' | 'MATERIALIZED VIEW';
}

/** Which of `names` exist in `schema`, views first (they may read the tables). */
async function relationKinds(tx: ReadModelQueryable, schema: string, names: readonly string[]): Promise<Relation[]> {
  const rows = await tx.query<{ relname: string; relkind: string }>(
    `SELECT c.relname, c.relkind::text AS relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind IN ('r', 'p', 'v', 'm')
      ORDER BY c.relkind = 'v' DESC, c.relname`,
    [schema, [...names]],
  );
  const kind = (k: string): Relation['kind'] => (k === 'v' ? 'VIEW' : k === 'm' ? 'MATERIALIZED VIEW' : 'TABLE');
  return rows.map((r) => ({ name: r.relname, kind: kind(r.relkind) }));
}

/**
 * The views (in any schema) that read `names` through any chain of views, and the projections
 * owning them, other than this one: DROP ... CASCADE removes those views, so their DDL is run
 * again after the swap.
 * A view no projection owns (an analyst's) is refused rather than silently dropped.
 */
async function dependentViews(
  tx: ReadModelQueryable,
  input: SwapInput,
  names: readonly string[],
): Promise<{ owners: Projection[]; views: { nspname: string; relname: string; kind: Relation['kind'] }[] }> {
  if (names.length === 0) return { owners: [], views: [] };
  const found = await tx.query<{ nspname: string; relname: string; relkind: string }>(
    `WITH RECURSIVE dep(oid) AS (
       SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2::text[])
       UNION
       SELECT r.ev_class FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN dep ON d.refobjid = dep.oid
        WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND r.ev_class <> d.refobjid)
     SELECT n.nspname, c.relname, c.relkind::text AS relkind FROM dep JOIN pg_class c ON c.oid = dep.oid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT (n.nspname = $1 AND c.relname = ANY($2::text[]))`,
    [input.live, [...names]],
  );
  const views = found.map((v) => ({ nspname: v.nspname, relname: v.relname, kind: v.relkind === 'm' ? ('MATERIALIZED VIEW' as const) : ('VIEW' as const) }));
  if (views.length === 0) return { owners: [], views };
  const rows = (await readCheckpointRows(tx, input.live)).filter((r) => r.name !== input.projection.name);
  const owners = new Map<string, Projection>();
  for (const view of views) {
    const row = view.nspname === input.live ? rows.find((r) => r.relations?.includes(view.relname)) : undefined;
    const owner = row && input.projections.find((p) => p.name === row.name && p.version === row.version);
    if (!owner) {
      throw new Error(
        `cannot swap ${input.projection.name}: view ${view.nspname}.${view.relname} reads its tables and no known projection creates it; drop it first`,
      );
    }
    owners.set(`${owner.name}@${owner.version}`, owner);
  }
  // In registry order: a view projection listed later may read an earlier one's views.
  return { owners: input.projections.filter((p) => owners.has(`${p.name}@${p.version}`)), views };
}

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
