// Who is calling, as Cloudflare's edge saw it, for the per-client limits (the widget key's client
// buckets, src/http/rate-limit.ts; the unrecognised-key throttle, src/http/key-lookup-throttle.ts).
// `CF-Connecting-IP` is set by the edge on every request from the internet, and a value the client
// sent is overwritten, so it cannot be forged or removed there; `wrangler dev` sets it too.
//
// Fallback: a request without it did not come through the edge (an `app.request` in the tests, a
// service binding) and has no client address: the per-client limits do not apply to it, while the
// tenant's and the widget key's shared buckets and the negative key cache still do.
//
// An IPv6 client counts as its /64: that is what one subscriber is usually given, so rotating the
// interface identifier does not buy a fresh bucket. IPv4-mapped IPv6 counts as its IPv4 address.

export const CLIENT_ADDRESS_HEADER = 'cf-connecting-ip';

/** The client's bucket key: `a.b.c.d`, `x:x:x:x::/64`, or `unparseable` (all such values share one). */
export function clientAddress(headers: Headers): string | undefined {
  const value = headers.get(CLIENT_ADDRESS_HEADER)?.trim();
  if (!value) return undefined;
  return ipv4(value) ?? ipv6Prefix(value) ?? 'unparseable';
}

function ipv4(value: string): string | undefined {
  const parts = value.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^[0-9]{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
  return parts.map(Number).join('.');
}

function ipv6Prefix(value: string): string | undefined {
  const halves = value.toLowerCase().split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (text: string | undefined) => (text ? text.split(':') : []);
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  // A dotted IPv4 ending (`::ffff:192.0.2.1`) stands for the last two groups.
  const last = (halves.length === 2 ? tail : head).at(-1);
  if (last?.includes('.')) {
    const mapped = ipv4(last);
    if (!mapped) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = mapped.split('.').map(Number);
    const groups = halves.length === 2 ? tail : head;
    groups.splice(-1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(Math.max(0, missing)).fill('0'), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
  const numbers = groups.map((group) => Number.parseInt(group, 16));
  const [, , , , , , high = 0, low = 0] = numbers;
  if (numbers.slice(0, 5).every((n) => n === 0) && numbers[5] === 0xffff) {
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return `${numbers
    .slice(0, 4)
    .map((n) => n.toString(16))
    .join(':')}::/64`;
}
