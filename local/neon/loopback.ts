// The local Neon endpoints forward to whatever host a connection string names; they must never
// become an open relay, so they only ever reach this machine.
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function assertLoopbackHost(host: string): void {
  if (!LOOPBACK.has(host.toLowerCase())) throw new Error(`local Neon endpoint only reaches loopback, not ${host}`);
}
