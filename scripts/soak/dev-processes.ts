// The processes of a running `npm run dev` (local/dev.ts and everything under it), read from /proc:
// their resident memory by kind (workerd, Postgres, wrangler, and dev.ts itself, which hosts the
// Neon, Pinecone and S3 stand-ins), and the stand-ins' endpoints, which dev.ts hands to wrangler
// as `--var NAME:value` arguments.
import { readdir, readFile, readlink } from 'node:fs/promises';

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  args: string[];
  rssKb: number;
}

async function readProc(pid: number): Promise<Proc | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
    const field = (name: string) => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(status)?.[1] ?? '';
    return {
      pid,
      ppid: Number(field('PPid')),
      comm: field('Name'),
      args,
      rssKb: Number.parseInt(field('VmRSS'), 10) || 0,
    };
  } catch {
    return undefined; // gone meanwhile
  }
}

async function allProcs(): Promise<Proc[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  return (await Promise.all(pids.map(readProc))).filter((p): p is Proc => p !== undefined);
}

/** local/dev.ts started in `cwd`, and all its descendants. */
export async function devProcesses(cwd = process.cwd()): Promise<{ dev: Proc; tree: Proc[] } | undefined> {
  const procs = await allProcs();
  // The node process itself, not the `sh -c` npm puts in front of it (its thread name is not `node`).
  const candidates = procs.filter((p) => p.args[0]?.endsWith('node') && p.args[1] === 'local/dev.ts');
  for (const dev of candidates) {
    const devCwd = await readlink(`/proc/${dev.pid}/cwd`).catch(() => '');
    if (devCwd !== cwd) continue;
    const tree: Proc[] = [dev];
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of procs) {
        if (!tree.includes(p) && tree.some((t) => t.pid === p.ppid)) {
          tree.push(p);
          grew = true;
        }
      }
    }
    return { dev, tree };
  }
  return undefined;
}

export interface MemorySample {
  at: string;
  /** Resident set sizes in MiB. */
  workerdMiB: number;
  /** local/dev.ts: the Neon, Pinecone and S3 stand-ins run in it. */
  standInsMiB: number;
  postgresMiB: number;
  wranglerMiB: number;
}

export async function sampleMemory(): Promise<MemorySample | undefined> {
  const found = await devProcesses();
  if (!found) return undefined;
  const mib = (procs: Proc[]) => Math.round(procs.reduce((sum, p) => sum + p.rssKb, 0) / 102.4) / 10;
  const rest = found.tree.filter((p) => p !== found.dev);
  return {
    at: new Date().toISOString(),
    workerdMiB: mib(rest.filter((p) => p.comm.startsWith('workerd'))),
    standInsMiB: mib([found.dev]),
    postgresMiB: mib(rest.filter((p) => p.comm.startsWith('postgres'))),
    wranglerMiB: mib(rest.filter((p) => p.args.some((a) => a.includes('wrangler')))),
  };
}

/** The Worker variables dev.ts passed to wrangler dev (`--var NAME:value`). */
export async function devWorkerVars(): Promise<Record<string, string>> {
  const found = await devProcesses();
  const vars: Record<string, string> = {};
  for (const p of found?.tree ?? []) {
    p.args.forEach((arg, i) => {
      if (p.args[i - 1] !== '--var') return;
      const at = arg.indexOf(':');
      if (at > 0) vars[arg.slice(0, at)] = arg.slice(at + 1);
    });
  }
  return vars;
}
