// The request's deadline as an AbortSignal that every outbound call joins to its own time limit.
// Carried by AsyncLocalStorage rather than through every service signature: the stores and the
// Neon driver's fetch read it where the call is made, so no service can forget to pass it, and a
// call made after the deadline has passed fails at once instead of starting work nobody awaits.
import { AsyncLocalStorage } from 'node:async_hooks';

const deadlines = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` with `deadline` as the signal that outbound calls made inside it also obey. */
export function withinDeadline<T>(deadline: AbortSignal, work: () => Promise<T>): Promise<T> {
  return deadlines.run(deadline, work);
}

/** The signal for one outbound call: its own limit, and the request's deadline when there is one. */
export function outboundSignal(timeoutMs: number, also?: AbortSignal | null): AbortSignal {
  const signals = [AbortSignal.timeout(timeoutMs)];
  const deadline = deadlines.getStore();
  if (deadline) signals.push(deadline);
  if (also) signals.push(also);
  return signals.length === 1 ? (signals[0] as AbortSignal) : AbortSignal.any(signals);
}
