// The real service (src/main.ts) in a child process of its own, so that a load generator in the
// parent does not share its event loop and its peak RSS and CPU time are the server's alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpuSecondsOfPid, cpuTimesOfPid, peakRssOfPid } from './machine.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const READY = /Laotie is serving on (\S+)/;

export interface ChildServer {
  url: string;
  pid: number;
  /** Log lines at level error so far (a turn that failed inside a 200 is still a failure). */
  errorLines(): string[];
  peakRssMb(): number | null;
  cpuSeconds(): number | null;
  cpuTimes(): { user: number; system: number } | null;
  stop(): Promise<void>;
}

export interface ChildServerOptions {
  startTimeoutMs?: number;
  /** More flags for the server's node (e.g. --cpu-prof --cpu-prof-dir=DIR to profile it under load). */
  nodeArgs?: string[];
}

export async function startChildServer(env: Record<string, string>, { startTimeoutMs = 180_000, nodeArgs = [] }: ChildServerOptions = {}): Promise<ChildServer> {
  // The parent's loader flags (tsx) so the child runs the TypeScript sources as `npm start` does,
  // but as one process: `tsx` itself would put a second process between us and the server.
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, ...nodeArgs, MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const errors: string[] = [];
  const tail: string[] = [];
  let pending = '';
  const onOutput = (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.includes('"level":"error"')) errors.push(line);
      tail.push(line);
      if (tail.length > 40) tail.shift();
    }
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start within ${startTimeoutMs} ms`)), startTimeoutMs);
    const watch = (chunk: Buffer) => {
      const m = READY.exec(chunk.toString('utf8'));
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', watch);
        resolve(m[1]!);
      }
    };
    function fail(e: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${e.message}\n${tail.join('\n')}`));
    }
    child.stdout!.on('data', watch);
    void exited.then((code) => fail(new Error(`the server exited with code ${code} before it was ready`)));
  });
  const pid = child.pid!;

  return {
    url,
    pid,
    errorLines: () => [...errors],
    peakRssMb: () => peakRssOfPid(pid),
    cpuSeconds: () => cpuSecondsOfPid(pid),
    cpuTimes: () => cpuTimesOfPid(pid),
    async stop() {
      // SIGTERM is the service's graceful stop; a hung stop is not this benchmark's to wait for.
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    },
  };
}
