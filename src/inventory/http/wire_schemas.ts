/**
 * @module
 * The wire format of the inventory server's HTTP API (version 1) as zod schemas: request bodies, query
 * strings, path parameters and responses. The server validates requests with them and the HTTP client
 * validates responses with them; the server imports this module, never the other way.
 */
import { z } from "../../deps/zod.ts";

/** Path prefix of every versioned call. */
export const API_PREFIX = "/api/v1";
/** Media type of the streamed scope load: one JSON object per line. */
export const NDJSON_TYPE = "application/x-ndjson";
/** Most changes one batch may carry. */
export const MAX_BATCH_CHANGES = 50_000;
/** Most rows one listing page may carry. */
export const MAX_PAGE_LIMIT = 1_000;

/** A customer or media ID: letters, digits, `_` and `-`, starting with a letter or digit. */
export const scopeIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, {
  message: 'must be 1 to 64 letters, digits, "_" or "-", starting with a letter or digit',
});

/** Printable characters only (no control characters), and neither slash nor backslash. */
const PRINTABLE_ID = /^[^\p{Cc}/\\]+$/u;

/** A volume ID: printable, no slash or backslash (it may appear in a URL query). */
export const volumeIdSchema = z.string().min(1).max(64).regex(PRINTABLE_ID, {
  message: 'must be 1 to 64 printable characters without "/" or "\\"',
});

/** A canonical field name such as `repository`, `moveDate` or `attr7`. */
export const fieldNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, {
  message: 'must be a field name of letters, digits and "_"',
});

/** A field value in canonical string form. */
export const fieldValueSchema = z.string().max(4096);

/** A run, batch or other opaque ID chosen by the client. */
export const opaqueIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, {
  message: 'must be 1 to 128 letters, digits, "_", ".", ":" or "-", starting with a letter or digit',
});

export const fieldValuesSchema = z.record(fieldNameSchema, fieldValueSchema);

export const volumeRowSchema = z.strictObject({ volume: volumeIdSchema, fields: fieldValuesSchema });

/** Body of `POST /api/v1/logon`. */
export const logonRequestSchema = z.strictObject({
  user: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});
export type LogonRequest = z.infer<typeof logonRequestSchema>;

/** Account roles: `read` loads and lists, `sync` also applies batches, `admin` may do everything. */
export const roleSchema = z.enum(["read", "sync", "admin"]);
export type Role = z.infer<typeof roleSchema>;

/** Answer of a successful logon. `customers` is null when the account may see every customer. */
export const logonResponseSchema = z.strictObject({
  token: z.string().min(16),
  expiresAt: z.string(),
  user: z.string(),
  role: roleSchema,
  customers: z.array(z.string()).nullable(),
});
export type LogonResponse = z.infer<typeof logonResponseSchema>;

/** Path parameters of `GET /api/v1/scopes/:customer/:media/volumes`. */
export const scopeParamsSchema = z.strictObject({ customer: scopeIdSchema, media: scopeIdSchema });
/** Query of a scope load: `after`, the last volume a broken-off stream delivered. */
export const scopeQuerySchema = z.strictObject({ after: volumeIdSchema.optional() });

/** One line of the NDJSON scope stream: a chunk of rows, or the closing line with the total. */
export const scopeLineSchema = z.union([
  z.strictObject({ rows: z.array(volumeRowSchema) }),
  z.strictObject({ end: z.literal(true), volumes: z.number().int().nonnegative() }),
]);
export type ScopeLine = z.infer<typeof scopeLineSchema>;

const fieldChangeSchema = z.strictObject({
  old: fieldValueSchema.nullable(),
  new: fieldValueSchema.nullable(),
});

const volumeChangeSchema = z.strictObject({
  volume: volumeIdSchema,
  op: z.enum(["add", "update"]),
  changes: z.record(fieldNameSchema, fieldChangeSchema),
});

/** Path parameters of `PUT /api/v1/batches/:batchId`; the batch ID is the idempotency key. */
export const batchParamsSchema = z.strictObject({ batchId: opaqueIdSchema });

/** Body of `PUT /api/v1/batches/:batchId`. */
export const batchBodySchema = z.strictObject({
  runId: opaqueIdSchema,
  customer: scopeIdSchema,
  media: scopeIdSchema,
  changes: z.array(volumeChangeSchema).max(MAX_BATCH_CHANGES),
});
export type BatchBody = z.infer<typeof batchBodySchema>;

const conflictSchema = z.strictObject({
  volume: z.string(),
  field: z.string(),
  expected: z.string().nullable(),
  actual: z.string().nullable(),
  reason: z.enum(["changed", "exists", "missing"]),
});

/** Answer of `PUT /api/v1/batches/:batchId`. */
export const batchResultSchema = z.strictObject({
  batchId: z.string(),
  added: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  fieldsChanged: z.number().int().nonnegative(),
  conflicts: z.array(conflictSchema),
  replayed: z.boolean(),
});

const limitSchema = z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT);
const cursorSchema = z.string().min(1).max(512);

/** Query of `GET /api/v1/volumes`. `volume` is exact, or a prefix when it ends in `*`. */
export const volumeQuerySchema = z.strictObject({
  customer: scopeIdSchema.optional(),
  media: scopeIdSchema.optional(),
  volume: z.string().min(1).max(65).regex(PRINTABLE_ID, {
    message: 'must be printable characters without "/" or "\\"',
  }).optional(),
  limit: limitSchema.optional(),
  after: cursorSchema.optional(),
});

export const volumePageSchema = z.strictObject({
  volumes: z.array(z.strictObject({
    customer: z.string(),
    media: z.string(),
    volume: z.string(),
    fields: fieldValuesSchema,
    updatedAt: z.string(),
  })),
  next: z.string().optional(),
});

/** Query of `GET /api/v1/history`. */
export const historyQuerySchema = z.strictObject({
  customer: scopeIdSchema.optional(),
  media: scopeIdSchema.optional(),
  volume: volumeIdSchema.optional(),
  runId: opaqueIdSchema.optional(),
  limit: limitSchema.optional(),
  after: cursorSchema.optional(),
});

export const historyPageSchema = z.strictObject({
  entries: z.array(z.strictObject({
    id: z.number().int(),
    at: z.string(),
    runId: z.string(),
    batchId: z.string(),
    customer: z.string(),
    media: z.string(),
    volume: z.string(),
    field: z.string(),
    old: z.string().nullable(),
    new: z.string().nullable(),
  })),
  next: z.string().optional(),
});

/** One problem of a rejected request: where (`body.changes.0.volume`) and what. */
export const issueSchema = z.strictObject({ path: z.string(), message: z.string() });
export type WireIssue = z.infer<typeof issueSchema>;

/** Body of every error answer. `code` is stable; `message` is for people. */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    issues: z.array(issueSchema).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
