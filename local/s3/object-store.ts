// Where the local S3 keeps objects: a Map, or a directory that survives restarts.
// Files are named by a hash of the key, so no key ('../..', NUL, 2 KB of UTF-8) can leave the directory.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ObjectInfo {
  key: string;
  contentType: string;
  /** Hex MD5 of the body, unquoted. */
  etag: string;
  size: number;
  lastModified: Date;
}

export interface ObjectStore {
  put(key: string, body: Uint8Array, contentType: string): Promise<ObjectInfo>;
  get(key: string): Promise<{ info: ObjectInfo; body: Uint8Array } | undefined>;
  delete(key: string): Promise<void>;
  /** Every object, in S3 order (UTF-8 bytes, not UTF-16 code units). */
  list(): Promise<ObjectInfo[]>;
}

const infoFor = (key: string, body: Uint8Array, contentType: string): ObjectInfo => ({
  key,
  contentType,
  etag: createHash('md5').update(body).digest('hex'),
  size: body.byteLength,
  lastModified: new Date(),
});

const byS3Order = (a: ObjectInfo, b: ObjectInfo) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key));

export function memoryStore(): ObjectStore {
  const objects = new Map<string, { info: ObjectInfo; body: Uint8Array }>();
  return {
    async put(key, body, contentType) {
      const info = infoFor(key, body, contentType);
      objects.set(key, { info, body: Uint8Array.from(body) });
      return info;
    },
    get: async (key) => objects.get(key),
    delete: async (key) => void objects.delete(key),
    list: async () => [...objects.values()].map((object) => object.info).sort(byS3Order),
  };
}

interface Meta extends Omit<ObjectInfo, 'lastModified'> {
  lastModified: string;
  /** Each write gets a fresh body file, so a reader never sees one write's metadata with another's bytes. */
  bodyFile: string;
}

export async function directoryStore(dir: string): Promise<ObjectStore> {
  await mkdir(dir, { recursive: true });
  const metaPath = (key: string) => join(dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  const readMeta = async (path: string): Promise<Meta | undefined> => {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as Meta;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  const toInfo = ({ bodyFile: _, lastModified, ...rest }: Meta): ObjectInfo => ({
    ...rest,
    lastModified: new Date(lastModified),
  });

  return {
    async put(key, body, contentType) {
      const info = infoFor(key, body, contentType);
      const path = metaPath(key);
      const previous = await readMeta(path);
      const bodyFile = `${path.slice(dir.length + 1, -'.json'.length)}.${randomUUID()}.bin`;
      await writeFile(join(dir, bodyFile), body);
      const meta: Meta = { ...info, lastModified: info.lastModified.toISOString(), bodyFile };
      const temporary = `${path}.${randomUUID()}.tmp`;
      await writeFile(temporary, JSON.stringify(meta));
      await rename(temporary, path); // the commit point
      if (previous) await rm(join(dir, previous.bodyFile), { force: true });
      return info;
    },
    async get(key) {
      const meta = await readMeta(metaPath(key));
      if (!meta) return undefined;
      try {
        return { info: toInfo(meta), body: await readFile(join(dir, meta.bodyFile)) };
      } catch (error) {
        // Overwritten between reading the metadata and the body: the object as it was is gone.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async delete(key) {
      const path = metaPath(key);
      const meta = await readMeta(path);
      await rm(path, { force: true });
      if (meta) await rm(join(dir, meta.bodyFile), { force: true });
    },
    async list() {
      const names = (await readdir(dir)).filter((name) => name.endsWith('.json'));
      const metas = await Promise.all(names.map((name) => readMeta(join(dir, name))));
      return metas
        .filter((meta): meta is Meta => meta !== undefined)
        .map(toInfo)
        .sort(byS3Order);
    },
  };
}
