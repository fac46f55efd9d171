/**
 * Why a reader of the global log never skips an event (readAll, subscribeToAll).
 *
 * The problem: positions come from a sequence, which hands out numbers when appends take them,
 * not when transactions commit. Writer A takes position 5, writer B takes 6 and commits first; a
 * reader that sees 6 and checkpoints it never sees 5.
 *
 * The rule readers apply: return only rows whose `tx` (the top-level xid of the appending
 * transaction) is below `pg_snapshot_xmin(pg_current_snapshot())`, the oldest transaction still
 * running when the reader's statement took its snapshot. Every such transaction has ended, so
 * the set of readable rows can only grow by rows of transactions that have not ended yet.
 *
 * Why that is enough -- it needs one more invariant, kept by writers:
 *   (I) for two appended rows, position(r1) < position(r2)  implies  tx(r1) <= tx(r2).
 * Then: if a reader returns a row at position p (tx(p) < xmin), any row at q < p has
 * tx(q) <= tx(p) < xmin, so its transaction has ended: it is committed and visible to the same
 * snapshot (and returned by the same ordered read), or it aborted and never will be. Nothing
 * below p can appear later, so checkpointing p is safe.
 *
 * Why (I) holds: xids and sequence values are each handed out in increasing order, but by two
 * independent counters, so across sessions they are NOT ordered together on their own. Writers
 * therefore assign both inside one critical section, `siren_append_group` (schema.ts): take a
 * session-level advisory lock, force the xid with pg_current_xact_id(), reserve the group's range
 * of positions from the sequence (nextval, then setval to the range's end; CACHE 1, and nothing
 * draws from the sequence outside the critical section), release the lock. The function refuses
 * to run if the transaction already had an xid (assigned before the critical section it would not
 * be ordered). Two appenders A then B through the critical section get xid(A) < xid(B) and A's
 * whole range below B's; rows of one transaction share one xid. Hence (I). The rows are inserted
 * after the lock is released, at their reserved positions: (I) is about the values assigned, not
 * about when rows are inserted, so concurrent appenders can insert in parallel.
 *
 * The lock is taken and released within that one function call, never held across a round trip
 * or COMMIT, so commits still overlap and PostgreSQL's group commit keeps throughput up.
 *
 * Cost: a row becomes readable only once every transaction older than it has ended. Append
 * transactions last milliseconds; but any long transaction holding an xid -- in ANY database of
 * the cluster, xids are cluster-wide -- holds back the readable horizon (never correctness). The
 * subscription notices "committed but not yet readable" rows and re-polls quickly (subscription.ts).
 */

/** Test-only switch; `false` removes the xmin filter to prove the contract test catches gaps. */
export function readableFilter(gapSafe: boolean, alias: string): string {
  return gapSafe ? `${alias}.tx < (SELECT xmin FROM horizon)` : 'true';
}

export const HORIZON_CTE = `horizon AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)`;
