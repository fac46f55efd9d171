import NodeModule from 'node:module';
import type * as PgliteModule from '@electric-sql/pglite';

/**
 * Loads @electric-sql/pglite with Node's own CommonJS loader (Module.prototype.require) rather
 * than the caller's `require`. In production the two are the same thing, module cache included.
 * Under jest they are not: jest runs modules in a VM sandbox without a dynamic-import hook, and
 * PGlite's CJS build calls `import('fs/promises')` etc. internally, which then fails with
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG (and jest's `module.createRequire` is its own
 * sandboxed require). Loaded natively, PGlite runs outside the sandbox; only plain data crosses.
 * Lazy, because the WASM build is large and only this adapter needs it.
 */
export function loadPglite(): typeof PgliteModule {
  const resolved = require.resolve('@electric-sql/pglite');
  const loader = new NodeModule(__filename);
  return loader.require(resolved) as typeof PgliteModule;
}
