export { importNumbers, DEFAULT_MAX_BYTES, DEFAULT_MAX_NUMBERS, MAX_RAW_LENGTH } from './number-import';
export { ImportError } from './import.errors';
export type { ImportErrorCode } from './import.errors';
export { chunk, contactChunks, MAX_CONTACTS_PER_EVENT } from './chunk';
export { summarizeImport } from './summarize';
export { normalizePhone } from './normalize-phone';
export type { NormalizeResult } from './normalize-phone';
export type * from './import.types';
