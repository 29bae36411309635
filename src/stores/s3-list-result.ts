// The parts of a ListObjectsV2 answer the object store uses. Workers have no DOMParser; the
// answer's shape is fixed and keys carry no markup once XML-escaped, so a pattern suffices.

export interface ListPage {
  keys: string[];
  nextContinuationToken?: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
const unescapeXml = (text: string) =>
  text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => `${ENTITIES[name]}`);

export function parseListObjectsV2(xml: string): ListPage {
  const keys = [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) => unescapeXml(`${match[1]}`));
  const truncated = /<IsTruncated>true<\/IsTruncated>/.test(xml);
  const token = /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(xml)?.[1];
  return truncated && token ? { keys, nextContinuationToken: unescapeXml(token) } : { keys };
}
