// npm run bench: the Worker bundle's size, gzipped as Cloudflare counts it (bench/bundle-size.ts).
import { measureBundle } from './bundle-size.ts';

export const run = async (): Promise<Record<string, unknown>> => ({ ...(await measureBundle()) });
