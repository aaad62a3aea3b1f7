/**
 * @module
 * A small in-memory `Inventory` for route tests while the SQLite store is not there: idempotent batches,
 * conflicts on old values and one audit row per field, with a counter of calls.
 */
import type {
  AuditEntry,
  BatchResult,
  ChangeBatch,
  Conflict,
  HistoryPage,
  HistoryQuery,
  Inventory,
  ScopeKey,
  VolumePage,
  VolumeQuery,
  VolumeRow,
} from "../../src/inventory/mod.ts";

export class MemoryInventory implements Inventory {
  readonly location = "memory:";
  readonly readOnly = false;
  readonly volumes = new Map<string, Map<string, Record<string, string>>>();
  readonly audit: AuditEntry[] = [];
  readonly batches = new Map<string, BatchResult>();
  calls = { loadScope: 0, applyBatch: 0 };

  constructor(readonly chunkSize = 2) {}

  logon(): Promise<void> {
    return Promise.resolve();
  }

  async *loadScope(scope: ScopeKey): AsyncIterable<VolumeRow[]> {
    this.calls.loadScope++;
    const rows = [...(this.volumes.get(`${scope.customer}/${scope.media}`) ?? new Map()).entries()]
      .sort(([a], [b]) => a < b ? -1 : 1)
      .map(([volume, fields]) => ({ volume, fields: { ...fields } }));
    for (let i = 0; i < rows.length; i += this.chunkSize) {
      await Promise.resolve();
      yield rows.slice(i, i + this.chunkSize);
    }
  }

  applyBatch(batch: ChangeBatch): Promise<BatchResult> {
    this.calls.applyBatch++;
    const seen = this.batches.get(batch.id);
    if (seen) return Promise.resolve({ ...seen, replayed: true });
    const key = `${batch.customer}/${batch.media}`;
    const scope = this.volumes.get(key) ?? new Map<string, Record<string, string>>();
    this.volumes.set(key, scope);
    const result: BatchResult = {
      batchId: batch.id,
      added: 0,
      updated: 0,
      fieldsChanged: 0,
      conflicts: [],
      replayed: false,
    };
    for (const change of batch.changes) {
      const current = scope.get(change.volume);
      const conflicts: Conflict[] = [];
      if (change.op === "add" && current) {
        conflicts.push({ volume: change.volume, field: "", expected: null, actual: null, reason: "exists" });
      }
      if (change.op === "update" && !current) {
        conflicts.push({ volume: change.volume, field: "", expected: null, actual: null, reason: "missing" });
      }
      for (const [field, value] of Object.entries(change.changes)) {
        const actual = current?.[field] ?? null;
        if (current && change.op === "update" && actual !== value.old) {
          conflicts.push({ volume: change.volume, field, expected: value.old, actual, reason: "changed" });
        }
      }
      if (conflicts.length) {
        result.conflicts.push(...conflicts);
        continue;
      }
      const fields = current ?? {};
      for (const [field, value] of Object.entries(change.changes)) {
        if (value.new === null) delete fields[field];
        else fields[field] = value.new;
        result.fieldsChanged++;
        this.audit.push({
          id: this.audit.length + 1,
          at: "2026-01-01T00:00:00.000Z",
          runId: batch.runId,
          batchId: batch.id,
          customer: batch.customer,
          media: batch.media,
          volume: change.volume,
          field,
          old: value.old,
          new: value.new,
        });
      }
      scope.set(change.volume, fields);
      if (change.op === "add") result.added++;
      else result.updated++;
    }
    this.batches.set(batch.id, result);
    return Promise.resolve(result);
  }

  listVolumes(query: VolumeQuery): Promise<VolumePage> {
    const all = [...this.volumes.entries()].flatMap(([key, scope]) => {
      const [customer, media] = key.split("/");
      return [...scope.entries()].map(([volume, fields]) => ({
        customer,
        media,
        volume,
        fields,
        updatedAt: "2026-01-01T00:00:00.000Z",
      }));
    }).filter((v) =>
      (!query.customer || v.customer === query.customer) && (!query.media || v.media === query.media) &&
      (!query.volume ||
        (query.volume.endsWith("*")
          ? v.volume.startsWith(query.volume.slice(0, -1))
          : v.volume === query.volume))
    ).sort((a, b) =>
      `${a.customer}/${a.media}/${a.volume}` < `${b.customer}/${b.media}/${b.volume}` ? -1 : 1
    );
    const start = query.after ? Number(query.after) : 0;
    const limit = query.limit ?? 100;
    const volumes = all.slice(start, start + limit);
    return Promise.resolve(
      start + limit < all.length ? { volumes, next: String(start + limit) } : { volumes },
    );
  }

  history(query: HistoryQuery): Promise<HistoryPage> {
    const entries = this.audit.filter((e) =>
      (!query.customer || e.customer === query.customer) && (!query.volume || e.volume === query.volume)
    );
    return Promise.resolve({ entries: entries.slice(0, query.limit ?? 100) });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
