// A question about the feedback programme is answered from the shop's rules; a suggestion, however
// it is framed, is passed on.
import { type ToolSet } from 'ai';
import { describe, expect, it } from 'vitest';
import type { ToolOutput } from '../../../tools/defineTool.ts';
import { TOOLS } from '../../../tools/index.ts';
import { offlineChat } from '../../helpers/offlineChat.ts';

const CONTEXT = {
  shopName: '老铁美妆',
  advisorName: '小美',
  tier: 'laotie',
  today: '2026-11-24',
  categories: ['粉底液', '精华', '面霜'],
  handoffAvailable: true,
};

const { canned, chat: talk } = offlineChat(CONTEXT);
const chat = (user: string) => talk(FEEDBACK_TOOLS, user);

const FEEDBACK_TOOLS: ToolSet = {
  searchKnowledge: canned(TOOLS.searchKnowledge, () => ({
    results: [{ source: 'community', title: '老铁社群规则', heading: '建议奖励', excerpt: '建议被商家采纳后可获得5–50元现金奖励和「金点子」勋章。' }],
  })),
  submitFeedback: canned(TOOLS.submitFeedback, () => ({
    submitted: true as const,
    feedbackId: 17,
    message: '已收到你的建议，商家会认真查看；被采纳的建议可获得 5–50 元奖励。',
  })),
};

const names = (r: { calls: { name: string }[] }) => r.calls.map((c) => c.name);

describe('feedback', () => {
  it('answers "提建议被采纳有什么奖励" from the rules and passes nothing on', async () => {
    const r = await chat('提建议被采纳有什么奖励');
    expect(names(r)).toContain('searchKnowledge');
    expect(names(r)).not.toContain('submitFeedback');
    expect(r.text).toContain('5–50元现金奖励');
  });

  it('passes on a suggestion framed as feedback ("反馈：…")', async () => {
    const r = await chat('反馈：希望投票候选多一点家居类的');
    expect(names(r)).toEqual(['submitFeedback']);
    expect(r.calls[0]!.input.text).toContain('希望投票候选多一点家居类的');
  });

  it('passes on a suggestion that follows a question about the reward', async () => {
    const r = await chat('提建议有奖励是吧 那我提一个 粉底液能不能出小样');
    expect(names(r)).toContain('submitFeedback');
    expect(String(r.calls.find((c) => c.name === 'submitFeedback')!.input.text)).toContain('粉底液能不能出小样');
  });
});
