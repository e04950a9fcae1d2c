// Checks the frozen eval set against its format (evals/frozen/README.md): every line of
// singles-*.jsonl and tasks*.jsonl parses, ids are unique, intents, tools and styles come from the
// fixed lists, each intent has enough cases, and facts read from a tool name a tool the case expects.
// Prints counts per intent, style and shopper. Exit code 1 when anything is wrong.
//   npx tsx evals/frozen/validate.ts
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ALL_TOOLS } from '../../tools/index.ts';

const DIR = dirname(fileURLToPath(import.meta.url));

export const INTENTS = [
  'recommend',
  'product_info',
  'order_status',
  'logistics',
  'after_sales',
  'coupons',
  'points',
  'referral',
  'knowledge',
  'handoff',
  'smalltalk',
  'out_of_scope',
  'injection',
  'feedback',
  'vote',
  'badges',
  'membership',
  'reminders',
  'reorder',
] as const;

export const STYLES = [
  'colloquial',
  'runon',
  'typo',
  'homophone',
  'traditional',
  'english',
  'pinyin',
  'mixed',
  'emoji',
  'two_asks',
  'negation',
  'about_write',
  'write_request',
  'complaint',
  'short',
  'long',
  'polite',
  'rude',
] as const;

/**
 * Files written after the freeze, for tuning only (README.md): every case and task in them is `dev`,
 * none is in split.json, and the test split does not change. Each later batch has its letter, which its
 * ids carry (`s-<intent>-d-NNN` in singles-d.jsonl).
 */
export const LATER_BATCHES = ['c', 'd', 'e'] as const;
export const DEV_ONLY_FILES: ReadonlySet<string> = new Set(LATER_BATCHES.flatMap((b) => [`singles-${b}.jsonl`, `tasks-${b}.jsonl`]));
const LATER_ID = /-([cde])-\d+$/;

function batchOfFile(file: string): string | undefined {
  return DEV_ONLY_FILES.has(file) ? /-([a-z])\.jsonl$/.exec(file)?.[1] : undefined;
}

export const SHOPPERS = ['0001', '0002', '0003', '0004', '0005', '0006', '0007'] as const;

export const READ_TOOLS = [
  'searchProducts',
  'getProduct',
  'listOrders',
  'getOrder',
  'trackShipment',
  'listCoupons',
  'getPoints',
  'listTasks',
  'getReferralStatus',
  'listBadges',
  'searchKnowledge',
  'listVoteCampaigns',
  // planned
  'getMembership',
  'listReminders',
] as const;

export const WRITE_TOOLS = [
  'createAfterSales',
  'redeemPoints',
  'voteProduct',
  'claimCoupon',
  'submitFeedback',
  'requestHandoff',
  // planned
  'setReminderPreference',
] as const;

const TOOL_NAMES = [...READ_TOOLS, ...WRITE_TOOLS] as const;
const WRITE_SET: ReadonlySet<string> = new Set(WRITE_TOOLS);

export const FAMILIES = [
  'after_sales',
  'points',
  'coupons',
  'vote',
  'feedback',
  'handoff',
  'order_lookup',
  'recommend',
  'referral',
  'reminders',
  'knowledge',
] as const;

const ORDER_STATUSES = ['created', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded'] as const;

const MIN_PER_INTENT = 60;
const MIN_INJECTIONS = 40;
const MIN_SINGLES = 1500;
const MIN_TASKS = 48;
const MIN_PER_FAMILY = 3;

const Tool = z.enum(TOOL_NAMES);
const Scalar = z.union([z.string(), z.number(), z.boolean()]);

/**
 * A toolArgs value: the exact value, or (where a shopper's words allow more than one right input)
 * a number range ({"min","max"}, both inclusive, for "150左右"), one of a few values ({"oneOf"}),
 * or a string that contains the given text ({"includes"}, e.g. a date inside an ISO time).
 */
const ArgMatcher = z.union([
  Scalar,
  z.array(Scalar),
  z
    .strictObject({ min: z.number().optional(), max: z.number().optional() })
    .refine((r) => r.min !== undefined || r.max !== undefined, 'a range needs min or max')
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, 'min above max'),
  z.strictObject({ oneOf: z.array(Scalar).min(2) }),
  z.strictObject({ includes: z.string().min(1) }),
]);

const FromTool = z.strictObject({ fromTool: Tool, path: z.string().regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/) });

const Expect = z.strictObject({
  tools: z.array(Tool),
  anyTools: z.array(z.array(Tool).min(1)).min(2).optional(),
  forbidTools: z.array(Tool).min(1).optional(),
  toolArgs: z.partialRecord(Tool, z.record(z.string(), ArgMatcher)).optional(),
  handoff: z.boolean().optional(),
  replyIncludes: z.array(z.union([z.string().min(1), FromTool])).min(1).optional(),
  replyIncludesAny: z.array(z.array(z.string().min(1)).min(1)).min(1).optional(),
  replyExcludes: z.array(z.string().min(1)).min(1).optional(),
  language: z.literal('en').optional(),
  mustNot: z.array(z.enum(['prompt_leak', 'other_shopper_data', 'invented_coupon'])).min(1).optional(),
});

export const Single = z.strictObject({
  // `-c-`, `-d-`, `-e-`: written after the freeze, dev only (singles-c.jsonl …).
  id: z.string().regex(/^s-[a-z_]+-([cde]-)?\d{3}$/),
  intent: z.enum(INTENTS),
  shopper: z.enum(SHOPPERS),
  user: z.string().trim().min(1),
  style: z.array(z.enum(STYLES)).min(1),
  expect: Expect,
});
export type Single = z.infer<typeof Single>;

const OrderSelector = z
  .strictObject({
    latest: z.literal(true).optional(),
    productKeyword: z.string().min(1).optional(),
    status: z.enum(ORDER_STATUSES).optional(),
    nth: z.number().int().min(1).optional(),
  })
  .refine((o) => Object.keys(o).length > 0, 'an order selector needs at least one key');

const Row = z.record(z.string(), z.unknown());

const ReplyFact = z.union([
  z.string().min(1),
  FromTool,
  z.strictObject({ fromDb: z.enum(['target.orderNo', 'target.itemName']) }),
]);

export const Task = z.strictObject({
  id: z.string().regex(/^t-[a-z_]+-([cde]-)?\d{2,}$/),
  family: z.enum(FAMILIES),
  shopper: z.enum(SHOPPERS),
  persona: z.string().min(1),
  goal: z.string().min(1),
  policy: z.string().min(1),
  phrasings: z.array(z.string().trim().min(1)).length(4),
  answers: z.strictObject({
    order: z.string().optional(),
    item: z.string().optional(),
    reason: z.string().optional(),
    kind: z.string().optional(),
    coupon: z.string().optional(),
    product: z.string().optional(),
    default: z.string().optional(),
  }),
  confirm: z.boolean(),
  target: z.strictObject({ order: OrderSelector }).optional(),
  expectRows: z.strictObject({
    after_sales: z.array(z.strictObject({ order: z.string().min(1), kind: z.enum(['return', 'exchange', 'refund']) })).optional(),
    coupons: z.array(z.strictObject({ source: z.enum(['claim', 'points']), name: z.string().optional() })).optional(),
    points_ledger: z.array(z.strictObject({ deltaSign: z.enum(['+', '-']) })).optional(),
    votes: z.array(Row).optional(),
    feedback: z.array(Row).optional(),
    handoff_tickets: z.array(Row).optional(),
    reminder_preferences: z.array(z.strictObject({ occasion: z.string().min(1), enabled: z.boolean() })).optional(),
  }),
  replyFacts: z.array(ReplyFact).optional(),
});
export type Task = z.infer<typeof Task>;

/** Input fields of the tools that exist now, to catch a misspelt argument in toolArgs. */
export function toolInputShapes(): Map<string, Record<string, z.ZodType>> {
  const shapes = new Map<string, Record<string, z.ZodType>>();
  for (const def of ALL_TOOLS) {
    const shape = (def.input as unknown as { shape?: Record<string, z.ZodType> }).shape;
    if (shape) shapes.set(def.name, shape);
  }
  return shapes;
}

/** The message with punctuation, spaces and emoji gone, to catch copies that differ only in those. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\s\p{P}\p{S}\p{Extended_Pictographic}]/gu, '');
}

function bigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < text.length - 1; i++) out.add(text.slice(i, i + 2));
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return both / (a.size + b.size - both);
}

function readJsonl(file: string, errors: string[]): Array<{ line: number; value: unknown }> {
  const out: Array<{ line: number; value: unknown }> = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (!text.trim()) return;
      try {
        out.push({ line: i + 1, value: JSON.parse(text) });
      } catch (e) {
        errors.push(`${file}:${i + 1}: not JSON (${(e as Error).message})`);
      }
    });
  return out;
}

function count<T extends string>(values: Iterable<T>): Map<T, number> {
  const m = new Map<T, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

function table(title: string, counts: Map<string, number>, order: readonly string[]): string {
  const keys = [...order.filter((k) => counts.has(k)), ...[...counts.keys()].filter((k) => !order.includes(k))];
  const width = Math.max(...keys.map((k) => k.length), 6);
  return [`${title}:`, ...keys.map((k) => `  ${k.padEnd(width)} ${String(counts.get(k)).padStart(5)}`)].join('\n');
}

export function checkSingle(s: Single, where: string, shapes: Map<string, Record<string, z.ZodType>>): string[] {
  const errs: string[] = [];
  const e = s.expect;
  const idIntent = s.id.slice(2, s.id.lastIndexOf('-')).replace(/-[cde]$/, '');
  if (idIntent.replaceAll('_', '') !== s.intent.replaceAll('_', '')) errs.push(`${where}: id ${s.id} does not match intent ${s.intent}`);
  if (new Set(s.style).size !== s.style.length) errs.push(`${where}: a style tag is repeated`);
  const allowed = new Set<string>([...e.tools, ...(e.anyTools ?? []).flat()]);
  for (const r of e.replyIncludes ?? []) {
    if (typeof r !== 'string' && !allowed.has(r.fromTool)) errs.push(`${where}: replyIncludes reads ${r.fromTool}, which is not in tools/anyTools`);
  }
  for (const [tool, args] of Object.entries(e.toolArgs ?? {})) {
    if (!allowed.has(tool)) errs.push(`${where}: toolArgs for ${tool}, which is not in tools/anyTools`);
    const shape = shapes.get(tool);
    if (!shape) continue;
    for (const [name, value] of Object.entries(args)) {
      const field = shape[name];
      if (!field) {
        errs.push(`${where}: ${tool} has no input ${name}`);
        continue;
      }
      const literal = typeof value !== 'object' || Array.isArray(value);
      if (literal && !field.safeParse(value).success) errs.push(`${where}: ${tool}.${name} = ${JSON.stringify(value)} is not a valid input`);
    }
  }
  for (const f of e.forbidTools ?? []) {
    if (allowed.has(f)) errs.push(`${where}: ${f} is both expected and forbidden`);
  }
  if (new Set(e.tools).size !== e.tools.length) errs.push(`${where}: a tool is listed twice`);
  if (s.intent === 'handoff' && e.tools.includes('requestHandoff')) errs.push(`${where}: a handoff case must not list requestHandoff (expect.handoff says it)`);
  if (s.intent === 'injection' && !e.mustNot?.length) errs.push(`${where}: an injection case needs mustNot`);
  if (e.language === 'en' && !s.style.includes('english') && !s.style.includes('mixed')) errs.push(`${where}: language en without the english or mixed style`);
  return errs;
}

export function checkTask(t: Task, where: string): string[] {
  const errs: string[] = [];
  const idFamily = t.id.slice(2, t.id.lastIndexOf('-')).replace(/-[cde]$/, '');
  if (idFamily.replaceAll('_', '') !== t.family.replaceAll('_', '')) errs.push(`${where}: id ${t.id} does not match family ${t.family}`);
  if (new Set(t.phrasings.map(normalize)).size !== 4) errs.push(`${where}: the 4 phrasings are not all different`);
  const rows = Object.values(t.expectRows).flat();
  if (!t.confirm && rows.length > 0) errs.push(`${where}: confirm is false (the shopper declines) but rows are expected`);
  const needsTarget =
    (t.expectRows.after_sales ?? []).some((r) => r.order === 'target') ||
    (t.replyFacts ?? []).some((f) => typeof f === 'object' && 'fromDb' in f);
  if (needsTarget && !t.target) errs.push(`${where}: refers to the target order but has no target`);
  return errs;
}

/** Ids of split.json, dev and test together (empty before the split is made). */
function readSplit(): Set<string> {
  const file = join(DIR, 'split.json');
  if (!existsSync(file)) return new Set();
  const s = JSON.parse(readFileSync(file, 'utf8')) as Record<'singles' | 'tasks', Record<'dev' | 'test', string[]>>;
  return new Set([...s.singles.dev, ...s.singles.test, ...s.tasks.dev, ...s.tasks.test]);
}

/**
 * A file written after the freeze (DEV_ONLY_FILES) is dev by its name: its ids carry its batch letter
 * (`-c-` in singles-c.jsonl) and none is in split.json, so it can never move a case into, or out of, the
 * test split. Every other id carries no batch letter.
 */
export function checkDevOnly(id: string, file: string, split: ReadonlySet<string>, where: string): string[] {
  const later = LATER_ID.exec(id)?.[1];
  const batch = batchOfFile(file);
  if (batch) {
    if (later !== batch) return [`${where}: ${id} is in ${file}, whose ids are written s-<intent>-${batch}-NNN / t-<family>-${batch}-NN`];
    if (split.has(id)) return [`${where}: ${id} is dev only but split.json lists it`];
    return [];
  }
  return later ? [`${where}: ${id} has -${later}- but ${file} is not a dev-only file`] : [];
}

function main(): void {
  const errors: string[] = [];
  const warnings: string[] = [];
  const shapes = toolInputShapes();
  const singles: Array<Single & { file: string }> = [];
  const tasks: Task[] = [];
  const ids = new Map<string, string>();
  const split = readSplit();

  const singleFiles = readdirSync(DIR)
    .filter((f) => /^singles-.*\.jsonl$/.test(f))
    .sort();
  if (singleFiles.length === 0) errors.push('no evals/frozen/singles-*.jsonl found');
  for (const f of singleFiles) {
    for (const { line, value } of readJsonl(join(DIR, f), errors)) {
      const where = `${f}:${line}`;
      const parsed = Single.safeParse(value);
      if (!parsed.success) {
        errors.push(`${where}: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`);
        continue;
      }
      const s = parsed.data;
      if (ids.has(s.id)) errors.push(`${where}: id ${s.id} already used at ${ids.get(s.id)}`);
      ids.set(s.id, where);
      errors.push(...checkSingle(s, where, shapes));
      errors.push(...checkDevOnly(s.id, f, split, where));
      singles.push({ ...s, file: f });
    }
  }

  const tasksFile = join(DIR, 'tasks.jsonl');
  const taskFiles = readdirSync(DIR)
    .filter((f) => /^tasks(-.*)?\.jsonl$/.test(f))
    .sort();
  if (existsSync(tasksFile)) {
    for (const { f, line, value } of taskFiles.flatMap((f) => readJsonl(join(DIR, f), errors).map((r) => ({ f, ...r })))) {
      const where = `${f}:${line}`;
      const parsed = Task.safeParse(value);
      if (!parsed.success) {
        errors.push(`${where}: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`);
        continue;
      }
      const t = parsed.data;
      if (ids.has(t.id)) errors.push(`${where}: id ${t.id} already used at ${ids.get(t.id)}`);
      ids.set(t.id, where);
      errors.push(...checkTask(t, where));
      errors.push(...checkDevOnly(t.id, f, split, where));
      tasks.push(t);
    }
  } else {
    errors.push('evals/frozen/tasks.jsonl not found');
  }

  // Copies: the same message twice is an error; two very alike messages are worth a look.
  const seen = new Map<string, string>();
  for (const s of singles) {
    const key = normalize(s.user);
    const first = seen.get(key);
    if (first) errors.push(`${s.id}: same message as ${first}: ${s.user}`);
    else seen.set(key, s.id);
  }
  const grams = singles.map((s) => ({ id: s.id, intent: s.intent, g: bigrams(normalize(s.user)) }));
  for (let i = 0; i < grams.length; i++) {
    for (let j = i + 1; j < grams.length; j++) {
      const a = grams[i]!;
      const b = grams[j]!;
      if (a.intent !== b.intent) continue;
      if (jaccard(a.g, b.g) >= 0.75) warnings.push(`near-duplicates: ${a.id} ~ ${b.id}`);
    }
  }

  // Sizes.
  const perIntent = count(singles.map((s) => s.intent));
  for (const intent of INTENTS) {
    const n = perIntent.get(intent) ?? 0;
    if (n < MIN_PER_INTENT) errors.push(`intent ${intent}: ${n} cases, at least ${MIN_PER_INTENT} needed`);
  }
  if ((perIntent.get('injection') ?? 0) < MIN_INJECTIONS) errors.push(`fewer than ${MIN_INJECTIONS} injection cases`);
  if (singles.length < MIN_SINGLES) errors.push(`${singles.length} single-turn cases, at least ${MIN_SINGLES} needed`);
  const perFamily = count(tasks.map((t) => t.family));
  if (existsSync(tasksFile)) {
    for (const family of FAMILIES) {
      const n = perFamily.get(family) ?? 0;
      if (n < MIN_PER_FAMILY) errors.push(`task family ${family}: ${n} tasks, at least ${MIN_PER_FAMILY} needed`);
    }
    if (tasks.length < MIN_TASKS) errors.push(`${tasks.length} tasks, at least ${MIN_TASKS} needed`);
  }
  const writes = singles.filter((s) => [...s.expect.tools, ...(s.expect.anyTools ?? []).flat()].some((t) => WRITE_SET.has(t)));

  // Report.
  const out: string[] = [];
  out.push(`files: ${[...singleFiles, ...taskFiles].join(', ') || '(none)'} (dev only: ${[...DEV_ONLY_FILES].join(', ')})`);
  out.push(`single-turn cases: ${singles.length} (${writes.length} expect a write tool); tasks: ${tasks.length}`);
  out.push(table('per intent', perIntent, INTENTS));
  out.push(table('per style', count(singles.flatMap((s) => s.style)), STYLES));
  out.push(table('per shopper', count(singles.map((s) => s.shopper)), SHOPPERS));
  const matrix = [`shoppers per intent: ${'intent'.padEnd(13)} ${SHOPPERS.join(' ')}`];
  for (const intent of INTENTS) {
    const rows = singles.filter((s) => s.intent === intent);
    if (!rows.length) continue;
    const c = count(rows.map((s) => s.shopper));
    matrix.push(`  ${intent.padEnd(13)} ${SHOPPERS.map((sh) => String(c.get(sh) ?? 0).padStart(4)).join(' ')}`);
  }
  out.push(matrix.join('\n'));
  if (tasks.length) out.push(table('tasks per family', perFamily, FAMILIES));
  console.log(out.join('\n\n'));
  if (warnings.length) console.log(`\n${warnings.length} warning(s):\n  ${warnings.join('\n  ')}`);
  if (errors.length) {
    console.log(`\n${errors.length} error(s):\n  ${errors.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log('\nOK');
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
