// The one way a client that holds only configuration is kept for the isolate's life: built on first
// use for a parsed Settings object (itself one per Worker env, src/config/settings.ts) and reused by
// every later request. A build that throws is not kept, so a fixed setting takes effect at once.
import type { Settings } from './settings.ts';

export function oncePerSettings<T, Rest extends unknown[] = []>(
  build: (settings: Settings, ...rest: Rest) => T,
): (settings: Settings, ...rest: Rest) => T {
  const built = new WeakMap<Settings, T>();
  return (settings, ...rest) => {
    if (built.has(settings)) return built.get(settings) as T;
    const value = build(settings, ...rest);
    built.set(settings, value);
    return value;
  };
}
