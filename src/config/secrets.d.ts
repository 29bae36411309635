// Settings kept as secrets (`wrangler secret put`) are not in wrangler.toml, so `wrangler types`
// cannot see them; they are declared here and validated at startup by settings.ts.
interface SecretSettings {
  DATABASE_URL: string;
  NEON_HTTP_ENDPOINT?: string;
  NEON_WS_PROXY?: string;
  PINECONE_API_KEY: string;
  PINECONE_INDEX_HOST: string;
  S3_ENDPOINT: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
}

interface Env extends SecretSettings {}

declare namespace Cloudflare {
  // `env` from 'cloudflare:workers' is typed by this one.
  interface Env extends SecretSettings {}
}
