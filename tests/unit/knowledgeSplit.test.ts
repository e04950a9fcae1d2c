import { readdirSync, readFileSync } from 'node:fs';
import { Document } from '@langchain/core/documents';
import { describe, expect, it } from 'vitest';
import { DEMO_KNOWLEDGE_DIR } from '../../src/demo/knowledge.ts';
import { markdownSections, markdownTitle } from '../../src/domain/knowledge/markdown.ts';
import { resolveQueryTerms } from '../../src/domain/knowledge/queryTerms.ts';
import { fusedScore, idf, lexicalScore } from '../../src/domain/knowledge/score.ts';
import { splitKnowledge } from '../../src/domain/knowledge/split.ts';
import { excerpt } from '../../tools/searchKnowledge.ts';

const SENTENCE = (i: number) => `第${i}条规则说明退款会在仓库验收后原路退回，请耐心等待到账通知。`;

describe('splitting a knowledge document', () => {
  it('records each chunk’s heading path, without the title, and starts a new path at each heading', async () => {
    const content = [
      '# 链动2+1推广规则',
      '开场白。',
      '## 奖励',
      '### 团队奖',
      '团队奖是老板从团队订单拿的5%。',
      '## 合规说明',
      '只有两层。',
    ].join('\n');
    const chunks = await splitKnowledge({ docKey: 'referral', title: '链动2+1推广规则', content });
    expect(chunks.map((c) => [c.metadata.heading, c.pageContent])).toEqual([
      ['', '开场白。'],
      ['奖励 > 团队奖', '团队奖是老板从团队订单拿的5%。'],
      ['合规说明', '只有两层。'],
    ]);
    expect(chunks.every((c) => c instanceof Document)).toBe(true);
    expect(chunks.map((c) => c.metadata.ordinal)).toEqual([0, 1, 2]);
    expect(chunks[1]!.metadata).toEqual({ docKey: 'referral', title: '链动2+1推广规则', heading: '奖励 > 团队奖', ordinal: 1 });
  });

  it('keeps Chinese sentences whole: a long section is cut after 。, never before it', async () => {
    const sentences = Array.from({ length: 30 }, (_, i) => SENTENCE(i));
    const chunks = await splitKnowledge({ docKey: 'refunds', title: '退款', content: `## 退款多久到账\n${sentences.join('')}` });
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.pageContent.length).toBeLessThanOrEqual(400);
      expect(c.pageContent).toMatch(/^第\d+条/);
      expect(c.pageContent.endsWith('。')).toBe(true);
      expect(c.metadata.heading).toBe('退款多久到账');
    }
    // every sentence survives whole in some chunk, in order
    for (const s of sentences) expect(chunks.some((c) => c.pageContent.includes(s))).toBe(true);
  });

  it('cuts a sentence longer than a chunk at commas, keeping the comma with its clause', async () => {
    const clause = '如果是质量问题请保留照片和订单号并联系人工客服核实处理';
    const long = Array.from({ length: 20 }, () => clause).join('，') + '。';
    const chunks = await splitKnowledge({ docKey: 'x', title: 'x', content: long });
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.pageContent.startsWith('，')).toBe(false);
  });

  it('treats lines in code fences as text, and takes the first level-1 heading as the title', () => {
    const md = '# 标题\n## 示例\n```\n# 不是标题\n```\n';
    expect(markdownTitle(md)).toBe('标题');
    expect(markdownSections(md)).toEqual([{ headingPath: ['示例'], body: '```\n# 不是标题\n```' }]);
    expect(markdownTitle('没有标题')).toBeUndefined();
  });
});

describe('the demo shop’s documents', () => {
  const files = readdirSync(DEMO_KNOWLEDGE_DIR).filter((f) => f.endsWith('.md'));

  it('are 6 to 10 Chinese documents of 400–1500 characters, each with a title and ## sections', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
    expect(files.length).toBeLessThanOrEqual(10);
    for (const f of files) {
      const md = readFileSync(DEMO_KNOWLEDGE_DIR + f, 'utf8');
      const han = md.match(/\p{Script=Han}/gu)?.length ?? 0;
      expect(han, f).toBeGreaterThanOrEqual(400);
      expect(han, f).toBeLessThanOrEqual(1500);
      expect(markdownTitle(md), f).toBeTruthy();
      expect(markdownSections(md).filter((s) => s.headingPath.length > 0).length, f).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('scoring', () => {
  it('weights rare words above common ones', () => {
    expect(idf(1, 60)).toBeGreaterThan(idf(30, 60));
    const weights = new Map([
      ['团队', idf(2, 60)],
      ['天', idf(30, 60)],
    ]);
    expect(lexicalScore(['团队'], weights)).toBeGreaterThan(lexicalScore(['天'], weights));
    expect(lexicalScore(['团队', '天'], weights)).toBeCloseTo(1);
    expect(fusedScore(Number.NaN, 0)).toBe(0);
  });

  it('replaces a word the documents do not contain by its character pairs they do (老铁有 → 老铁)', () => {
    const df = new Map([
      ['老铁有', 0],
      ['老铁', 5],
      ['铁有', 0],
      ['权益', 8],
    ]);
    expect(resolveQueryTerms(['老铁有', '权益'], df)).toEqual(['老铁', '权益']);
    expect(resolveQueryTerms(['天气'], new Map())).toEqual(['天气']);
    // jieba already emitted the parts of 今天天气: the unknown whole stays, unmatched, in the question
    expect(resolveQueryTerms(['天气', '今天天气'], new Map([['天气', 1]]))).toEqual(['天气', '今天天气']);
  });

  it('excerpts a long chunk at a sentence end', () => {
    const text = Array.from({ length: 20 }, (_, i) => SENTENCE(i)).join('');
    const e = excerpt(text);
    expect(e.length).toBeLessThanOrEqual(301);
    expect(e.endsWith('。…')).toBe(true);
    expect(excerpt('短。')).toBe('短。');
  });
});
