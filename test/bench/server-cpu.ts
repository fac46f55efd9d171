import { readFileSync } from 'node:fs';
import { Client } from 'pg';

/**
 * CPU time the PostgreSQL server spends on one database: the backends connected to it, read from
 * /proc/<pid>/stat. Only works when the server runs on this machine (the bench's local server);
 * elsewhere it reports nothing rather than a wrong figure. Why: on a shared 2-core machine events/s
 * swing with whatever else runs, while CPU time per event is the server's actual cost to compare.
 */
export interface ServerCpuProbe {
  /** CPU µs per backend pid right now (a pid that ends between two samples loses its share). */
  sample(): Promise<Map<number, number>>;
  close(): Promise<void>;
}

const TICK_US = 10_000; // USER_HZ is 100 on Linux

export async function openServerCpuProbe(databaseUrl: string): Promise<ServerCpuProbe | undefined> {
  if (process.platform !== 'linux') return undefined;
  const client = new Client({ connectionString: databaseUrl, application_name: 'siren-bench-probe' });
  await client.connect();
  const ownPid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  if (cpuOf(ownPid) === undefined) {
    await client.end();
    return undefined; // not a local server
  }
  return {
    async sample() {
      const { rows } = await client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      const cpu = new Map<number, number>();
      for (const { pid } of rows) {
        const us = cpuOf(pid);
        if (us !== undefined) cpu.set(pid, us);
      }
      return cpu;
    },
    close: () => client.end(),
  };
}

/** µs spent between two samples; a backend that started in between counts from its start. */
export function cpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, us] of after) total += us - (before.get(pid) ?? 0);
  return total;
}

function cpuOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    return undefined;
  }
}
