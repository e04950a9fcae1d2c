// Reply templates: prompts/offline/<group>.<lang>.md, one "## topic.key" section per reply piece,
// with {{placeholders}}. All words the offline model says live there, in Chinese and English, so a shop
// can reword its card without touching code. A missing value is an error, never an empty gap.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Lang } from './language.ts';

export const OFFLINE_PROMPTS_DIR = fileURLToPath(new URL('../../../prompts/offline/', import.meta.url));

export type Vars = Readonly<Record<string, string | number>>;

const FILE = /^([a-z_]+)\.(zh|en)\.md$/;
const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/** 'topic.key' → template text, from one file. Comments (<!-- -->) are for the people editing it. */
export function parseTemplates(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let key: string | undefined;
  let body: string[] = [];
  const flush = () => {
    if (!key) return;
    const text = body.join('\n').trim();
    // `…` keeps spaces a template needs at its edges (the English list separator ", ").
    out.set(key, /^`[^`]*`$/.test(text) ? text.slice(1, -1) : text);
  };
  for (const line of text.replace(/<!--[\s\S]*?-->/g, '').split('\n')) {
    const heading = /^##\s+(\w+\.[\w.]+)\s*$/.exec(line);
    if (heading) {
      flush();
      key = heading[1];
      body = [];
    } else if (key) body.push(line);
  }
  flush();
  return out;
}

let loaded: Record<Lang, Map<string, string>> | undefined;

function load(): Record<Lang, Map<string, string>> {
  if (loaded) return loaded;
  const all: Record<Lang, Map<string, string>> = { zh: new Map(), en: new Map() };
  for (const name of readdirSync(OFFLINE_PROMPTS_DIR).sort()) {
    const m = FILE.exec(name);
    if (!m) continue;
    const lang = m[2] as Lang;
    for (const [k, v] of parseTemplates(readFileSync(OFFLINE_PROMPTS_DIR + name, 'utf8'))) {
      if (all[lang].has(k)) throw new Error(`offline template ${lang}:${k} is defined twice (${name})`);
      all[lang].set(k, v);
    }
  }
  loaded = all;
  return all;
}

export function templateKeys(lang: Lang): string[] {
  return [...load()[lang].keys()];
}

export function templateText(lang: Lang, key: string): string {
  const text = load()[lang].get(key);
  if (text === undefined) throw new Error(`offline template ${lang}:${key} does not exist`);
  return text;
}

export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

export function render(lang: Lang, key: string, vars: Vars = {}): string {
  return templateText(lang, key).replace(PLACEHOLDER, (_m, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`offline template ${lang}:${key} has no value for {{${name}}}`);
    return String(v);
  });
}

/** Whether a key exists (optional pieces, e.g. a skin-type tip for a skin type the shop added). */
export function hasTemplate(lang: Lang, key: string): boolean {
  return load()[lang].has(key);
}
