// The tenant a request's host names, if any. Only the URL's own host counts (what the client
// connected to); X-Forwarded-Host and friends are never read, so a header cannot switch tenants.

export type HostClaim =
  /** The API host itself, or a host outside it (workers.dev, 127.0.0.1): no claim. */
  | { kind: 'none' }
  /** Exactly one label in front of the API host. */
  | { kind: 'slug'; slug: string }
  /** Under the API host but not a single plain label (nested, punycode, malformed). */
  | { kind: 'invalid' };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Lower-cases, drops a trailing dot; `hostname` already comes without a port. */
export function normaliseHostname(hostname: string): string {
  const lower = hostname.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

export function hostClaim(requestUrl: string, apiHost: string): HostClaim {
  const host = normaliseHostname(new URL(requestUrl).hostname);
  const base = normaliseHostname(apiHost);
  if (host === base || !host.endsWith(`.${base}`)) return { kind: 'none' };
  const label = host.slice(0, -(base.length + 1));
  // `xn--` labels are look-alikes by construction: provisioning refuses them, so they never match.
  if (!LABEL.test(label) || label.startsWith('xn--')) return { kind: 'invalid' };
  return { kind: 'slug', slug: label };
}
