import { describe, expect, it } from 'vitest';
import { placeholders, render } from '../../src/agent/prompts.ts';
import { buildSystemPrompt } from '../../src/agent/systemPrompt.ts';
import type { Shop } from '../../src/domain/shops/repo.ts';
import { parseShopSettings } from '../../src/domain/shops/settings.ts';

const shop: Shop = {
  id: 'demo',
  name: '悦颜美妆',
  intro: '',
  timezone: 'Asia/Shanghai',
  card: {
    advisorName: '小悦',
    advisorPhotoUrl: '',
    advisorTitle: 'AI 美肤顾问',
    persona: '热情的购物助手 PERSONA-CARD',
    advisorPersona: '资深护肤顾问 PERSONA-ADVISOR',
    tone: '亲切',
    contact: '',
  },
  settings: parseShopSettings({}),
};

describe('the system prompt', () => {
  it("gives a converted shopper the card assistant, with tier, profile and the shop's local date", () => {
    const text = buildSystemPrompt(shop, { nickname: '小鹿', tier: 'converted', profileSummary: '干皮' }, new Date('2026-09-16T17:30:00Z'), '');
    expect(text).toContain('PERSONA-CARD');
    expect(text).not.toContain('PERSONA-ADVISOR');
    expect(text).toContain('转化用户');
    expect(text).toContain('2026-09-17'); // 01:30 in Shanghai is already the 17th
    expect(text).not.toMatch(/\{\{/);
  });

  it('gives core users and 老铁 the dedicated advisor persona', () => {
    for (const tier of ['core', 'laotie'] as const) {
      const text = buildSystemPrompt(shop, { nickname: '阿May', tier, profileSummary: '' }, new Date(), '顾客问过物流');
      expect(text).toContain('PERSONA-ADVISOR');
      expect(text).toContain('顾客问过物流');
    }
  });

  it('fails loudly on a placeholder without a value', () => {
    expect(placeholders('你好 {{name}}，{{name}} {{tier}}')).toEqual(['name', 'tier']);
    expect(() => render('你好 {{name}}', {})).toThrow(/\{\{name\}\}/);
  });
});
