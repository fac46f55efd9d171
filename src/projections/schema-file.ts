import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Reads projections/<name>.v<version>.sql from the repository root. Found by walking up from this
 * file, so it works from src/ (ts, jest) and from dist/src/ (compiled) alike.
 */
export function readProjectionSchema(name: string, version: number): string {
  const file = `${name}.v${version}.sql`;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'projections', file);
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
    if (dirname(dir) === dir) throw new Error(`projection schema ${file} not found above ${__dirname}`);
  }
}
