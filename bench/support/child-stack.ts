// Starts bench/support/stack-process.ts and speaks its IPC protocol: the stack's Worker settings,
// the admin URL, the local Neon endpoint's request counter, and stop().
import { fork } from 'node:child_process';
import { once } from 'node:events';

interface Ready {
  workerVars: Record<string, string>;
  adminUrl: string;
}

export async function startChildStack(stateDir: string) {
  const child = fork(new URL('./stack-process.ts', import.meta.url).pathname, [stateDir], { stdio: 'inherit' });
  const exited = once(child, 'exit');
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { ready: Ready }).ready));
    child.once('exit', (code) => reject(new Error(`the local stack exited (${code}) before it was ready`)));
  });
  return {
    ...ready,
    /** Neon HTTP requests the local endpoint has answered so far. */
    async neonRequests(): Promise<number> {
      const answer = once(child, 'message');
      child.send('stats');
      const [message] = await answer;
      return (message as { stats: { httpRequests: number } }).stats.httpRequests;
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null) return;
      child.send('stop');
      await exited;
    },
  };
}
