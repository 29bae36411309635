// Order statistics for benchmark samples. Medians, not means: one GC pause or a noisy neighbour
// moves a mean, not a median.
const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

export const median = (values: readonly number[]) => sorted(values)[Math.floor(values.length / 2)] as number;

export const percentile = (values: readonly number[], p: number) =>
  sorted(values)[Math.floor(values.length * p)] as number;

export const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;
