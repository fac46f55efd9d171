import type { ReadModelQueryable } from './read-model-database';
import { Writes } from './sql';

/**
 * A read a projection's fold needs before it can write a batch: what the batch's rows already hold.
 * Its rows come back as JSON objects keyed by column name — text, numbers, booleans, NULL — so a
 * bigint or numeric column is selected as text to stay exact. Parameters are numbered from $1.
 */
export interface Read {
  sql: string;
  params: unknown[];
}

/** A JSON row of a Read. */
export type FoundRow = Record<string, unknown>;

/**
 * How a projection writes one batch's changes: the reads it needs first, then a fold of the
 * changes with what they found into statements. Split in two so that the runner can read for
 * every projection of a batch in ONE round trip, then write for all of them in one more: a live
 * batch's cost is mostly round trips, not rows.
 */
export interface WritePlan {
  reads: readonly Read[];
  /** `found[i]`: the rows of `reads[i]`. Adds the batch's writes to `writes` (one statement for all plans). */
  fold(found: readonly FoundRow[][], writes: Writes): void;
}

/** Nothing to read, nothing to write. */
export const NO_WRITES: WritePlan = { reads: [], fold: () => undefined };

/** A fold failed: `index` is the plan (in runPlans' list) whose fold threw. */
export class PlanFoldError extends Error {
  constructor(readonly index: number, readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * Runs `plans` in the caller's transaction: every plan's reads in one statement, the folds, then
 * every plan's writes in one statement (each plan writes its own tables, so the parts never touch
 * one row twice). A fold that throws is reported as a PlanFoldError naming its plan; a statement
 * that fails cannot tell which plan's part failed (callers that must know run the plans one by one).
 */
export async function runPlans(tx: ReadModelQueryable, plans: readonly WritePlan[]): Promise<void> {
  const reads = plans.flatMap((p) => p.reads);
  const found = reads.length === 0 ? [] : await readAll(tx, reads);
  const writes = new Writes();
  let next = 0;
  plans.forEach((plan, index) => {
    const mine = found.slice(next, next + plan.reads.length);
    next += plan.reads.length;
    try {
      plan.fold(mine, writes);
    } catch (err) {
      throw new PlanFoldError(index, err);
    }
  });
  await writes.run(tx);
}

/**
 * The reads as one SELECT of one JSON text column per read. Each read's placeholders are moved past
 * the ones before it. The statement's text depends only on which reads a batch needs, so a
 * connection prepares a handful of them.
 */
async function readAll(tx: ReadModelQueryable, reads: readonly Read[]): Promise<FoundRow[][]> {
  const params: unknown[] = [];
  const columns = reads.map((read, n) => {
    const sql = renumber(read.sql, params.length);
    params.push(...read.params);
    return `(SELECT coalesce(json_agg(q), '[]'::json) FROM (${sql}) q)::text AS r${n}`;
  });
  const [row] = await tx.query<Record<string, string>>(`SELECT ${columns.join(',\n')}`, params);
  return reads.map((_, n) => JSON.parse(row[`r${n}`]) as FoundRow[]);
}

/** `$1`… → `$(1+offset)`…; the reads are ours and hold no `$` but their placeholders. */
function renumber(sql: string, offset: number): string {
  return offset === 0 ? sql : sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
}
