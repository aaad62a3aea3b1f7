import assert from "node:assert/strict";
import { DEFAULT_ITERATIONS, hashPassword, verifyPassword } from "../../src/server/mod.ts";

Deno.test("hashPassword() stores PBKDF2-SHA256 with its iterations and a fresh salt per hash", async (t) => {
  const first = await hashPassword("open sesame", 1_000);
  const second = await hashPassword("open sesame", 1_000);
  await t.step("the stored form names algorithm and iterations", () => {
    assert.match(first, /^pbkdf2-sha256\$1000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  });
  await t.step("two hashes of one password differ by their salt", () => assert.notEqual(first, second));
  await t.step("the password is not in the stored form", () => assert.equal(first.includes("sesame"), false));
  await t.step("the default cost is high", async () => {
    assert.equal(DEFAULT_ITERATIONS, 600_000);
    assert.match(await hashPassword("x"), /^pbkdf2-sha256\$600000\$/);
  });
  await t.step("a non-positive iteration count is a RangeError", async () => {
    await assert.rejects(hashPassword("x", 0), RangeError);
  });
});

Deno.test("verifyPassword() accepts only the same password", async (t) => {
  const stored = await hashPassword("correct horse", 1_000);
  const cases = [
    { name: "the same password", password: "correct horse", stored, want: true },
    { name: "another password", password: "correct horsE", stored, want: false },
    { name: "an empty password", password: "", stored, want: false },
    { name: "a foreign stored form", password: "correct horse", stored: "md5$abc", want: false },
    {
      name: "a stored form with a bad count",
      password: "correct horse",
      stored: stored.replace("$1000$", "$x$"),
      want: false,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => assert.equal(await verifyPassword(c.password, c.stored), c.want));
  }
});
