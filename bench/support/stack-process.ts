// The local stack in a child process, for benchmarks. The app under test then has its process and
// event loop to itself, as the Worker has in development (workerd) and production: the local Neon,
// Pinecone and S3 servers' own CPU time is not charged to whichever request happens to be waiting.
// Protocol over the IPC channel: sends { ready: { workerVars, adminUrl } } once; answers 'stats'
// with { stats: { httpRequests } }; 'stop' stops the stack and exits.
import { startLocalStack } from '../../local/stack.ts';

const stateDir = process.argv[2];
if (!stateDir || !process.send) throw new Error('usage: fork(stack-process.ts, [stateDir]) with an IPC channel');
const send = process.send.bind(process);

const stack = await startLocalStack({ stateDir, mode: 'test', env: {} });
process.on('message', async (message) => {
  if (message === 'stats') send({ stats: { httpRequests: stack.neon?.stats().httpRequests ?? 0 } });
  if (message === 'stop') {
    await stack.stop();
    process.exit(0);
  }
});
process.on('disconnect', () => void stack.stop().finally(() => process.exit(0)));
send({ ready: { workerVars: stack.workerVars, adminUrl: stack.adminUrl } });
