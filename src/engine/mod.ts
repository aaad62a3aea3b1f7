/**
 * @module
 * The engine: multi-scope cache, diff, batching, dry-run plan and statistics.
 */
export { type EngineOptions, type PlanEntry, runEngine } from "./sync_engine.ts";
export { ScopeCache, ScopeEntry } from "./scope_cache.ts";
export { CURRENT_REPOSITORY, FieldLayout } from "./field_layout.ts";
export { ChangeLimitError } from "./change_limit_error.ts";
export { RunStoppedError } from "./run_stopped_error.ts";
export type { AlertEntry, Breakdown, ConflictEntry, RecordErrorEntry, SyncStats } from "./sync_stats.ts";
export { emptyStats } from "./sync_stats.ts";
