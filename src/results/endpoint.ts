/** An endpoint as reports show it: its own module, so that the CLI's banner does not load the results wing (and every check). */

/** Drops userinfo and query from an endpoint URL: either could hold a credential. */
export function safeEndpoint(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
