/**
 * @module
 * Cron expression parsing and next-run calculation (with seconds and named time zones).
 */
export { Cron } from "croner";
