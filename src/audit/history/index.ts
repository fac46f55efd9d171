export * from './history.types';
export { describeEvent } from './describe-event';
export { parseAsOf, phoneForHistory } from './history-input';
export { readHistory, readHistorySources, type HistoryOptions } from './read-history';
export { readStateAsOf } from './state-as-of';
export { describeSubject, formatHistory, formatStateAsOf, type HistoryFormat } from './format-history';
