/**
 * @module
 * Slow salted password hashes with WebCrypto PBKDF2-SHA256. The stored form names its parameters
 * (`pbkdf2-sha256$<iterations>$<salt>$<hash>`, base64url), so the iteration count can rise later without
 * invalidating existing accounts.
 */

/** Iterations for new hashes (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). */
export const DEFAULT_ITERATIONS = 600_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;
const PREFIX = "pbkdf2-sha256";

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as Uint8Array<ArrayBuffer>, iterations },
    key,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}

/**
 * Hash a password with a fresh random salt.
 * @param password the clear password
 * @param iterations PBKDF2 iterations; lower only in tests
 * @returns the stored form `pbkdf2-sha256$<iterations>$<salt>$<hash>`
 */
export async function hashPassword(password: string, iterations = DEFAULT_ITERATIONS): Promise<string> {
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(
      `Cannot hash a password with ${iterations} iterations: a positive integer is wanted`,
    );
  }
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return `${PREFIX}$${iterations}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

/**
 * Check a password against a stored hash in time independent of where the bytes differ.
 * @returns false for a wrong password and for a stored form that cannot be read
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [prefix, iterationText, saltText, hashText] = stored.split("$");
  const iterations = Number(iterationText);
  if (prefix !== PREFIX || !Number.isInteger(iterations) || iterations < 1 || !saltText || !hashText) {
    return false;
  }
  const expected = fromBase64Url(hashText);
  const actual = await derive(password, fromBase64Url(saltText), iterations);
  if (actual.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < actual.length; i++) difference |= actual[i] ^ expected[i];
  return difference === 0;
}
