// A job engine in the test's own isolate, to kill a plan where the Workflow introspector cannot
// reach: inside a step, after its work committed and before its result was kept. Semantics as the
// Workflow's: a kept result is never recomputed; a failing step is retried up to `retries` times;
// a kill ends the whole run (the instance is gone) and a resume is a fresh run of the same job.
import type { DurableSteps } from '../../../src/services/jobs/durable-steps.ts';

export class Killed extends Error {
  override name = 'Killed';
}

export interface MemoryStepsOptions {
  retries?: number;
  /** Called after a step's work finished, before its result is kept: throw Killed to kill the run. */
  afterWork?: (name: string) => void;
  /** Called before a step's work: throw to fail that attempt (it is retried). */
  beforeWork?: (name: string, attempt: number) => void;
}

export function memorySteps(options: MemoryStepsOptions = {}): DurableSteps & { names: string[] } {
  const kept = new Map<string, unknown>();
  const names: string[] = [];
  let dead = false;
  return {
    names,
    async do<T>(name: string, work: () => Promise<T>): Promise<T> {
      if (dead) throw new Killed(`run already killed (step ${name})`);
      if (kept.has(name)) return kept.get(name) as T;
      names.push(name);
      for (let attempt = 1; ; attempt++) {
        try {
          options.beforeWork?.(name, attempt);
          const result = await work();
          options.afterWork?.(name);
          kept.set(name, result);
          return result;
        } catch (error) {
          if (error instanceof Killed) dead = true;
          if (error instanceof Killed || attempt > (options.retries ?? 5)) throw error;
        }
      }
    },
    async sleep() {},
  };
}
