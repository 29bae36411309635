// `npm run operator:key -- <id> [scope …]`: a new operator key for the operator API. Prints the key
// (give it to the operator; it is not stored anywhere) and the OPERATOR_KEYS entry holding only its
// hash: add the entry to the JSON list in the secret (`wrangler secret put OPERATOR_KEYS`).
import { mintOperatorKey, OPERATOR_SCOPES, type OperatorScope } from '../src/operator/operator-keys.ts';

const [id, ...scopes] = process.argv.slice(2);
const unknown = scopes.filter((scope) => !(OPERATOR_SCOPES as readonly string[]).includes(scope));
if (!id || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(id) || unknown.length > 0) {
  console.error(`usage: npm run operator:key -- <id> [${OPERATOR_SCOPES.join(' ')}]  (default: every scope)`);
  process.exit(1);
}
const { key, entry } = mintOperatorKey(id, scopes.length > 0 ? (scopes as OperatorScope[]) : OPERATOR_SCOPES);
console.log(`operator key (shown once): ${key}`);
console.log(`OPERATOR_KEYS entry: ${JSON.stringify(entry)}`);
