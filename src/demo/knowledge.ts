// The demo shop's rules documents (knowledge/demo/*.md), imported at start-up after the demo seed.
// Idempotent like every import: a restart with unchanged files writes nothing.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/db.ts';
import type { Embedder } from '../embed/embedder.ts';
import { ingestKnowledge, type IngestResult } from '../domain/knowledge/ingest.ts';
import { markdownTitle } from '../domain/knowledge/markdown.ts';

export const DEMO_KNOWLEDGE_DIR = fileURLToPath(new URL('../../knowledge/demo/', import.meta.url));

/** Each file is one document: its name is the docKey, its `# ` heading the title. */
export async function ingestDemoKnowledge(
  db: Db,
  embedder: Embedder,
  shopId: string,
  onDocument?: (done: number, total: number) => void,
): Promise<IngestResult[]> {
  const files = (await readdir(DEMO_KNOWLEDGE_DIR)).filter((f) => f.endsWith('.md')).sort();
  const results: IngestResult[] = [];
  for (const file of files) {
    const content = await readFile(DEMO_KNOWLEDGE_DIR + file, 'utf8');
    const docKey = file.slice(0, -'.md'.length);
    const title = markdownTitle(content) ?? docKey;
    results.push(await ingestKnowledge(db, embedder, shopId, { docKey, title, content, source: `knowledge/demo/${file}` }));
    onDocument?.(results.length, files.length);
  }
  return results;
}
