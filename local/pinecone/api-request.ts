// One data-plane request as the route handlers see it (router.ts dispatches; the handlers read).
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body; `undefined` when the request had none. */
  body: unknown;
}
