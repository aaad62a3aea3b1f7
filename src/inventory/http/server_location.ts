/**
 * @module
 * `serverLocation`: a server URL as it may be printed: no userinfo (the password of the inline form),
 * no query, no trailing slash.
 */

/** Strip userinfo, query and trailing slash from a server URL. */
export function serverLocation(url: string): string {
  const parsed = new URL(url);
  parsed.username = "";
  parsed.password = "";
  parsed.search = "";
  parsed.hash = "";
  return parsed.toString().replace(/\/+$/, "");
}
