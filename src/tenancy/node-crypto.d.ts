// The one node:crypto function the Worker uses (available through the nodejs_compat flag). The
// Worker's tsconfig deliberately omits @types/node, so only this surface is declared.
declare module 'node:crypto' {
  interface Hash {
    update(data: string, encoding: 'utf8'): Hash;
    digest(): Uint8Array;
  }
  export function createHash(algorithm: 'sha256'): Hash;
}
