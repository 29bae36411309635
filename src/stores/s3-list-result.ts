// The parts of a ListObjectsV2 answer the object store uses. Workers have no DOMParser; the
// answer's shape is fixed and keys carry no markup once XML-escaped, so a pattern suffices.

export interface ListedObject {
  key: string;
  /** When the object was last written; undefined when the answer did not say (or said nonsense). */
  lastModified?: Date;
}

export interface ListPage {
  keys: string[];
  /** The same objects as `keys`, in the same order, with their write times. */
  objects: ListedObject[];
  nextContinuationToken?: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
const unescapeXml = (text: string) =>
  text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => `${ENTITIES[name]}`);

function listedObject(contents: string): ListedObject | undefined {
  const key = /<Key>([^<]*)<\/Key>/.exec(contents)?.[1];
  if (key === undefined) return undefined;
  const stamp = /<LastModified>([^<]+)<\/LastModified>/.exec(contents)?.[1];
  const lastModified = stamp === undefined ? undefined : new Date(unescapeXml(stamp));
  return lastModified && !Number.isNaN(lastModified.getTime())
    ? { key: unescapeXml(key), lastModified }
    : { key: unescapeXml(key) };
}

export function parseListObjectsV2(xml: string): ListPage {
  const objects = [...xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].flatMap((match) => {
    const object = listedObject(`${match[1]}`);
    return object ? [object] : [];
  });
  const keys = objects.map((object) => object.key);
  const truncated = /<IsTruncated>true<\/IsTruncated>/.test(xml);
  const token = /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(xml)?.[1];
  return truncated && token ? { keys, objects, nextContinuationToken: unescapeXml(token) } : { keys, objects };
}
