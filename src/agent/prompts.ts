// Prompts are files in prompts/ with {{placeholders}}; a missing value is an error, never an empty gap.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));
const cache = new Map<string, string>();

export function loadPrompt(name: string, dir = PROMPTS_DIR): string {
  const key = dir + name;
  let text = cache.get(key);
  if (text === undefined) {
    text = readFileSync(`${dir}${name}.md`, 'utf8');
    cache.set(key, text);
  }
  return text;
}

/** Names of the {{placeholders}} in a template. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!))];
}

export function render(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`prompt placeholder {{${name}}} has no value`);
    return String(v);
  });
}

export function renderPrompt(name: string, vars: Record<string, string | number>): string {
  return render(loadPrompt(name), vars).trim();
}
