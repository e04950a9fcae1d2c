// npx tsx scripts/cpu-profile-summary.ts PROFILE.cpuprofile [--top 25] [--filter src/] [--skip S]
// A text flame summary of a V8 CPU profile (node --cpu-prof; `npm run bench:load -- --cpu-prof DIR`
// writes the server's): the functions with the most self time, and with the most total time (self
// plus everything they called, each function counted once per stack so recursion does not inflate
// it), as shares of the profile's sampled time. --filter keeps only the total-time rows whose file
// contains the text (e.g. src/ for the service's own code). --skip S leaves out the first S seconds
// (a server's start-up: module loading and seeding are not a turn's cost). --by-package adds self time
// summed by where the code lives: a package of node_modules, a folder of src/ or tools/, a module of
// Node's own (node:net, node:internal/streams/…), or the engine (GC, native calls such as writev).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '25' },
    filter: { type: 'string' },
    skip: { type: 'string', default: '0' },
    'by-package': { type: 'boolean', default: false },
  },
});
const TOP = Number(values.top);
if (!positionals.length) throw new Error('usage: cpu-profile-summary.ts PROFILE.cpuprofile');

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => {
    const url = n.callFrame.url.replace(/^file:\/\//, '').replace(/^.*?\/(src|bench|node_modules)\//, '$1/');
    return `${n.callFrame.functionName || '(anonymous)'} ${url ? `${url}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
  };

  const selfUs = new Map<string, number>();
  const packageUs = new Map<string, number>();
  const totalUs = new Map<string, number>();
  let all = 0;
  let idle = 0;
  const skipUs = Number(values.skip) * 1e6;
  let at = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (at < skipUs) return;
    const node = byId.get(id)!;
    all += dt;
    if (node.callFrame.functionName === '(idle)') {
      idle += dt;
      return;
    }
    const self = label(node);
    selfUs.set(self, (selfUs.get(self) ?? 0) + dt);
    const where = packageOf(node);
    packageUs.set(where, (packageUs.get(where) ?? 0) + dt);
    const seen = new Set<string>();
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const l = label(byId.get(up)!);
      if (seen.has(l)) continue;
      seen.add(l);
      totalUs.set(l, (totalUs.get(l) ?? 0) + dt);
    }
  });
  const busy = all - idle;
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const top = (m: Map<string, number>, keep: (l: string) => boolean) =>
    [...m].filter(([l]) => keep(l)).sort((a, b) => b[1] - a[1]).slice(0, TOP);
  console.log(`${file}: ${(all / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (shares below are of busy time)`);
  console.log(`\nself time, top ${TOP}`);
  for (const [l, us] of top(selfUs, () => true)) console.log(`${pct(us)}  ${l}`);
  if (values['by-package']) {
    console.log(`\nself time by package`);
    for (const [l, us] of top(packageUs, () => true)) console.log(`${pct(us)}  ${l}`);
  }
  console.log(`\ntotal time, top ${TOP}${values.filter ? ` in ${values.filter}` : ''}`);
  const skip = /^\((root|program|garbage collector)\)/;
  for (const [l, us] of top(totalUs, (l) => !skip.test(l) && (!values.filter || l.includes(values.filter)))) console.log(`${pct(us)}  ${l}`);
}

/** Where a frame's code lives: node_modules/<package>, src/<folder>, tools, node:<module>, or the engine. */
function packageOf(n: ProfileNode): string {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  if (!url) return `(engine) ${n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : n.callFrame.functionName.startsWith('RegExp:') ? 'RegExp' : 'native'}`;
  const pkg = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?([^/]+).*$/, 'node:$1$2');
  const own = /\/(src|tools|bench|scripts)\/(.*)$/.exec(url);
  if (own) {
    const parts = own[2]!.split('/');
    return `${own[1]}/${parts.length > 1 ? parts.slice(0, parts[0] === 'agent' || parts[0] === 'domain' ? 2 : 1).join('/') : parts[0]}`;
  }
  return url;
}
