// The score Pinecone reports per metric. For euclidean it is the squared distance, and smaller is
// closer (docs: "a similarity score equal to the squared Euclidean distance"), so order flips.

export type Metric = 'cosine' | 'dotproduct' | 'euclidean';

export const METRICS: readonly Metric[] = ['cosine', 'dotproduct', 'euclidean'];

export function similarity(metric: Metric, a: readonly number[], b: readonly number[]): number {
  if (metric === 'euclidean') {
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2;
    return sum;
  }
  const dot = dotProduct(a, b);
  if (metric === 'dotproduct') return dot;
  return dot / Math.sqrt(dotProduct(a, a) * dotProduct(b, b));
}

/** Negative when score `x` ranks before score `y`. */
export function byRank(metric: Metric): (x: number, y: number) => number {
  return metric === 'euclidean' ? (x, y) => x - y : (x, y) => y - x;
}

function dotProduct(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}
