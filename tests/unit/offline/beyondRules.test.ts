// A question the shop's rules have no passage for may be about the shopper's own things: it is
// answered from her data when that is a likely reading, and only otherwise with "no rule says so".
import { type ToolSet } from 'ai';
import { describe, expect, it } from 'vitest';
import type { ToolOutput } from '../../../tools/defineTool.ts';
import { TOOLS } from '../../../tools/index.ts';
import { offlineChat } from '../../helpers/offlineChat.ts';

const CONTEXT = {
  shopName: '老铁美妆',
  advisorName: '小美',
  tier: 'converted',
  today: '2026-11-24',
  categories: ['粉底液', '精华', '面霜'],
  handoffAvailable: true,
};

const { canned, chat: talk } = offlineChat(CONTEXT);

const MEMBERSHIP: ToolOutput<typeof TOOLS.getMembership> = {
  tier: { code: 'converted', label: '转化用户', since: '2026-10-01T02:00:00.000Z' },
  history: [],
  benefits: [{ key: 'birthday', name: '生日祝福', detail: '生日当天送祝福' }],
  nextTier: null,
  demotion: null,
};

const TOOLS_NO_PASSAGE: ToolSet = {
  searchKnowledge: canned(TOOLS.searchKnowledge, () => ({ results: [] })),
  getMembership: canned(TOOLS.getMembership, () => MEMBERSHIP),
};

const names = (r: { calls: { name: string }[] }) => r.calls.map((c) => c.name);

describe('a question no rule answers', () => {
  it('answers "最近有啥福利吗" from her membership when the rules have nothing on it', async () => {
    const r = await talk(TOOLS_NO_PASSAGE, '有啥福利吗最近');
    expect(names(r)).toEqual(['searchKnowledge', 'getMembership']);
    expect(r.text).toContain('转化用户');
    expect(r.text).not.toContain('没有找到');
  });

  it('still says the rules have nothing when no reading of her own data is likely', async () => {
    const r = await talk(TOOLS_NO_PASSAGE, '你们的仓库在哪个城市');
    expect(names(r)).toEqual(['searchKnowledge']);
  });
});
