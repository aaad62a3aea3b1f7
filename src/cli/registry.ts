/**
 * @module
 * The list of commands, each loaded lazily. Add a command here and in `commands/`.
 */
import type { Command } from "./command.ts";

export interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

export const commands: Record<string, CommandEntry> = {
  check: {
    summary: "Validate a definition and preview records -> fields",
    load: async () => (await import("./commands/check.ts")).command,
  },
  sync: {
    summary: "Synchronize an export into the inventory",
    load: async () => (await import("./commands/sync.ts")).command,
  },
  volumes: {
    summary: "List volumes of the inventory",
    load: async () => (await import("./commands/volumes.ts")).command,
  },
  history: {
    summary: "Show the audit history of volumes",
    load: async () => (await import("./commands/history.ts")).command,
  },
  serve: {
    summary: "Serve the inventory over HTTP for remote agents",
    load: async () => (await import("./commands/serve.ts")).command,
  },
  users: {
    summary: "Manage the accounts of the inventory server",
    load: async () => (await import("./commands/users.ts")).command,
  },
  agent: {
    summary: "Run scheduled syncs unattended, with a health endpoint (--check validates the config)",
    load: async () => (await import("./commands/agent.ts")).command,
  },
  definitions: {
    summary: "List or show the ready definitions shipped inside the program",
    load: async () => (await import("./commands/definitions.ts")).command,
  },
  "import-ttidef": {
    summary: "Convert a .ttidef definition of the original program to YAML",
    load: async () => (await import("./commands/import_ttidef.ts")).command,
  },
  version: {
    summary: "Print the version, the Deno version and the build target",
    load: async () => (await import("./commands/version.ts")).command,
  },
};
