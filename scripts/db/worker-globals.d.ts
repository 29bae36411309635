// Node-side code (scripts, local/dev-data.ts, benchmarks) imports Worker modules: withTenant, whose
// errors are the HTTP layer's ApiError (typed with the Worker's `Env`), and the development keys
// (typed with WebCrypto's globals). The Node program (tsconfig.node.json) has only @types/node, so
// the Worker's global types are referenced here, for type-checking only.
/// <reference path="../../worker-configuration.d.ts" />
/// <reference path="../../src/config/secrets.d.ts" />
