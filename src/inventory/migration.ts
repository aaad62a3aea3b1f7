/**
 * @module
 * `Migration`: one step of a store's schema, the shape both the SQLite and the PostgreSQL migration lists
 * use.
 */

/** One step of the schema. Versions start at 1 and increase by one; a released step is never edited. */
export interface Migration {
  version: number;
  /** What the step does, stored beside the version. */
  name: string;
  /** SQL run inside the migration transaction (several statements allowed). */
  sql: string;
}
