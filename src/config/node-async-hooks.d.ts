// The one node:async_hooks class the Worker uses (available through the nodejs_compat flag). The
// Worker's tsconfig deliberately omits @types/node, so only this surface is declared.
declare module 'node:async_hooks' {
  export class AsyncLocalStorage<T> {
    getStore(): T | undefined;
    run<R>(store: T, callback: () => R): R;
  }
}
