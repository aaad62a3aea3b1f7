import assert from "node:assert/strict";
import { HttpInventory } from "../../src/inventory/http/mod.ts";
import { InventoryUnavailableError } from "../../src/inventory/mod.ts";
import { addUser, startServer } from "./server_process.ts";

const PASSWORD = "Tls-Test-Passw0rd";

/** Run openssl; false when it is missing or fails. */
async function openssl(args: string[]): Promise<boolean> {
  try {
    return (await new Deno.Command("openssl", { args, stdout: "null", stderr: "null" }).output()).success;
  } catch {
    return false;
  }
}

/** A test CA and a server certificate for 127.0.0.1 signed by it (a CA certificate cannot serve itself). */
async function certificates(dir: string): Promise<boolean> {
  await Deno.writeTextFile(
    `${dir}/ext.cnf`,
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
  );
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  return await openssl([
    "req",
    "-x509",
    ...ec,
    "-days",
    "1",
    "-subj",
    "/CN=tapesync test CA",
    "-keyout",
    `${dir}/ca.key`,
    "-out",
    `${dir}/ca.pem`,
  ]) &&
    await openssl([
      "req",
      ...ec,
      "-subj",
      "/CN=localhost",
      "-keyout",
      `${dir}/key.pem`,
      "-out",
      `${dir}/server.csr`,
    ]) &&
    await openssl([
      "x509",
      "-req",
      "-in",
      `${dir}/server.csr`,
      "-CA",
      `${dir}/ca.pem`,
      "-CAkey",
      `${dir}/ca.key`,
      "-CAcreateserial",
      "-days",
      "1",
      "-extfile",
      `${dir}/ext.cnf`,
      "-out",
      `${dir}/cert.pem`,
    ]);
}

Deno.test("tapesync serve --tls-cert --tls-key serves https that the client trusts through its CA", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-tls-" });
  try {
    if (!await certificates(dir)) {
      console.warn("skipped: openssl is not available to make a test certificate");
      return;
    }
    const db = `${dir}/server.db`;
    await addUser(db, "agent", "sync", PASSWORD);
    const server = await startServer(db, 0, {}, [
      "--tls-cert",
      `${dir}/cert.pem`,
      "--tls-key",
      `${dir}/key.pem`,
    ]);
    const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(`${dir}/ca.pem`)] });
    try {
      await t.step(
        "the server announces https",
        () => assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/),
      );
      await t.step("a client trusting the certificate logs on and lists", async () => {
        const inventory = new HttpInventory({
          url: server.url,
          user: "agent",
          password: PASSWORD,
          fetch: (request) => fetch(request, { client }),
        });
        await inventory.logon();
        assert.deepEqual(await inventory.listVolumes({}), { volumes: [] });
        await inventory.close();
      });
      await t.step("plain http to the TLS port does not get through", async () => {
        const inventory = new HttpInventory({
          url: server.url.replace("https:", "http:"),
          user: "agent",
          password: PASSWORD,
          retry: { deadlineMs: 300, baseDelayMs: 50, attemptTimeoutMs: 2_000 },
        });
        const error = await inventory.logon().then(() => undefined, (e) => e);
        assert.ok(error instanceof InventoryUnavailableError, String(error));
      });
    } finally {
      client.close();
      await server.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
