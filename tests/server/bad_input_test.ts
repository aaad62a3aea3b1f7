import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { authInit, jsonInit, serverFixture } from "./server_fixture.ts";

const PASSWORD = "s3cret-Passw0rd";

const goodBatch = {
  runId: "run-1",
  customer: "ACME",
  media: "LTO",
  changes: [{ volume: "A00001", op: "add", changes: { repository: { old: null, new: "LIBR" } } }],
};

Deno.test("createApp() rejects bad input with the field path and keeps serving", async (t) => {
  const f = await serverFixture(undefined, [{ name: "syncer", role: "sync", password: PASSWORD }], {
    maxBodyBytes: 2_000,
  });
  try {
    const token = await f.logon("syncer", PASSWORD);
    const cases: {
      name: string;
      path: string;
      init: RequestInit;
      status: number;
      code: string;
      paths: string[];
    }[] = [
      {
        name: "malformed JSON",
        path: "/api/v1/batches/b-1",
        init: jsonInit("PUT", token, '{"runId": "run-1", "customer": '),
        status: 400,
        code: "malformed_json",
        paths: ["body"],
      },
      {
        name: "a body that is not JSON at all",
        path: "/api/v1/batches/b-1",
        init: {
          method: "PUT",
          headers: { authorization: `Bearer ${token}`, "content-type": "text/plain" },
          body: "x",
        },
        status: 415,
        code: "unsupported_media_type",
        paths: [],
      },
      {
        name: "an oversized body",
        path: "/api/v1/batches/b-1",
        init: jsonInit("PUT", token, { ...goodBatch, runId: "r".repeat(3_000) }),
        status: 413,
        code: "body_too_large",
        paths: [],
      },
      {
        name: "an oversized chunked body without Content-Length",
        path: "/api/v1/batches/b-1",
        init: {
          method: "PUT",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: new Blob([JSON.stringify({ ...goodBatch, runId: "r".repeat(3_000) })]).stream(),
        },
        status: 413,
        code: "body_too_large",
        paths: [],
      },
      {
        name: "an unknown field",
        path: "/api/v1/batches/b-1",
        init: jsonInit("PUT", token, { ...goodBatch, force: true }),
        status: 400,
        code: "bad_request",
        paths: ["body.force"],
      },
      {
        name: "an unknown field deep inside",
        path: "/api/v1/batches/b-1",
        init: jsonInit("PUT", token, {
          ...goodBatch,
          changes: [{ ...goodBatch.changes[0], changes: { repository: { old: null, new: "X", was: "Y" } } }],
        }),
        status: 400,
        code: "bad_request",
        paths: ["body.changes.0.changes.repository.was"],
      },
      {
        name: "wrong types",
        path: "/api/v1/batches/b-1",
        init: jsonInit("PUT", token, { ...goodBatch, changes: [{ volume: 42, op: "delete", changes: {} }] }),
        status: 400,
        code: "bad_request",
        paths: ["body.changes.0.volume", "body.changes.0.op"],
      },
      {
        name: "a missing field",
        path: "/api/v1/batches/b-1",
        init: jsonInit("PUT", token, { runId: "run-1", customer: "ACME", changes: [] }),
        status: 400,
        code: "bad_request",
        paths: ["body.media"],
      },
      {
        name: "an encoded path traversal in a scope parameter",
        path: "/api/v1/scopes/..%2F..%2Fetc/LTO/volumes",
        init: authInit(token),
        status: 400,
        code: "bad_request",
        paths: ["params.customer"],
      },
      {
        name: "an encoded backslash traversal in the media parameter",
        path: "/api/v1/scopes/ACME/..%5C..%5Cwindows/volumes",
        init: authInit(token),
        status: 400,
        code: "bad_request",
        paths: ["params.media"],
      },
      {
        name: "a scope load resuming after a value that is no volume ID",
        path: "/api/v1/scopes/ACME/LTO/volumes?after=..%2Fx",
        init: authInit(token),
        status: 400,
        code: "bad_request",
        paths: ["query.after"],
      },
      {
        name: "a scope load with an unknown query parameter",
        path: "/api/v1/scopes/ACME/LTO/volumes?from=A00001",
        init: authInit(token),
        status: 400,
        code: "bad_request",
        paths: ["query.from"],
      },
      {
        name: "an encoded dot-dot segment is resolved away before routing",
        path: "/api/v1/scopes/ACME/%2E%2E/volumes",
        init: authInit(token),
        status: 404,
        code: "not_found",
        paths: [],
      },
      {
        name: "a path traversal in the batch ID",
        path: "/api/v1/batches/..%2Fsecrets",
        init: jsonInit("PUT", token, goodBatch),
        status: 400,
        code: "bad_request",
        paths: ["params.batchId"],
      },
      {
        name: "a plain path traversal leaves the API",
        path: "/api/v1/scopes/../../../etc/passwd",
        init: authInit(token),
        status: 404,
        code: "not_found",
        paths: [],
      },
      {
        name: "an unknown route",
        path: "/api/v2/volumes",
        init: authInit(token),
        status: 404,
        code: "not_found",
        paths: [],
      },
      {
        name: "a limit that is not a number",
        path: "/api/v1/volumes?limit=ten",
        init: authInit(token),
        status: 400,
        code: "bad_request",
        paths: ["query.limit"],
      },
      {
        name: "a limit above the maximum",
        path: "/api/v1/history?limit=100000",
        init: authInit(token),
        status: 400,
        code: "bad_request",
        paths: ["query.limit"],
      },
      {
        name: "an unknown query parameter",
        path: "/api/v1/volumes?customer=ACME&sort=desc",
        init: authInit(token),
        status: 400,
        code: "bad_request",
        paths: ["query.sort"],
      },
      {
        name: "a cursor the store never issued",
        path: "/api/v1/volumes?customer=ACME&after=bm90LWEtY3Vyc29y",
        init: authInit(token),
        status: 400,
        code: "bad_request",
        paths: ["query.after"],
      },
      {
        name: "a logon with extra fields",
        path: "/api/v1/logon",
        init: jsonInit("POST", undefined, { user: "syncer", password: PASSWORD, admin: true }),
        status: 400,
        code: "bad_request",
        paths: ["body.admin"],
      },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        const res = await f.request(c.path, c.init);
        assert.equal(res.status, c.status);
        const body = await res.json();
        assert.equal(body.error.code, c.code);
        assert.deepEqual((body.error.issues ?? []).map((issue: { path: string }) => issue.path), c.paths);
        assert.equal((await f.request("/healthz")).status, 200);
      });
    }
    await t.step("the batch route still works after all of it", async () => {
      const res = await f.request("/api/v1/batches/b-1", jsonInit("PUT", token, goodBatch));
      assert.equal(res.status, 200);
      assert.equal((await res.json()).added, 1);
    });
  } finally {
    await f.close();
  }
});

Deno.test("createApp() never echoes a password from a malformed logon body", async () => {
  const f = await serverFixture(undefined, [{ name: "syncer", role: "sync", password: PASSWORD }]);
  try {
    const res = await f.request(
      "/api/v1/logon",
      jsonInit("POST", undefined, `{"user":"syncer","password":"${PASSWORD}"`),
    );
    assert.equal(res.status, 400);
    const text = await res.text();
    assert.equal(text.includes(PASSWORD), false);
    assert.equal(text.includes("s3cret"), false);
  } finally {
    await f.close();
  }
});

Deno.test("createApp() logs every request with method, path, status and duration but no secrets", async (t) => {
  const f = await serverFixture(undefined, [{ name: "syncer", role: "sync", password: PASSWORD }]);
  try {
    const token = await f.logon("syncer", PASSWORD);
    await (await f.request(`/api/v1/volumes?customer=ACME`, authInit(token))).body?.cancel();
    await (await f.request(
      "/api/v1/logon",
      jsonInit("POST", undefined, { user: "syncer", password: "wrong-one" }),
    )).body?.cancel();
    await (await f.request("/nowhere")).body?.cancel();
    await t.step("one entry per request, in order", () => {
      assert.deepEqual(
        f.logs.map(({ method, path, status, address, user }) => ({ method, path, status, address, user })),
        [
          { method: "POST", path: "/api/v1/logon", status: 200, address: "10.0.0.1", user: undefined },
          { method: "GET", path: "/api/v1/volumes", status: 200, address: "10.0.0.1", user: "syncer" },
          { method: "POST", path: "/api/v1/logon", status: 401, address: "10.0.0.1", user: undefined },
          { method: "GET", path: "/nowhere", status: 404, address: "10.0.0.1", user: undefined },
        ],
      );
      for (const entry of f.logs) assert.equal(typeof entry.durationMs, "number");
    });
    await t.step("no token and no password in the log", () => {
      const text = JSON.stringify(f.logs) + f.errors.join("\n");
      for (const secret of [token, PASSWORD, "wrong-one"]) assert.equal(text.includes(secret), false);
    });
  } finally {
    await f.close();
  }
});

Deno.test("createApp() answers a store failure with a generic 500, keeps the detail in the log", async () => {
  const f = await serverFixture(undefined, [{ name: "reader", role: "read", password: PASSWORD }]);
  try {
    const token = await f.logon("reader", PASSWORD);
    const raw = new DatabaseSync(`${f.dir}/inventory.db`);
    raw.exec("DROP TABLE volumes");
    raw.close();
    const res = await f.request("/api/v1/volumes?customer=ACME", authInit(token));
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), {
      error: {
        code: "internal",
        message: "The server could not complete the request; the detail is in the server log",
      },
    });
    assert.equal(f.errors.length, 1);
    assert.match(f.errors[0], /^Cannot serve "GET \/api\/v1\/volumes": .*volumes/);
    assert.equal((await f.request("/healthz")).status, 200);
  } finally {
    await f.close();
  }
});
