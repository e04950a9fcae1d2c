// Whether a message asks for a person now, as the turn's one hand-off judgement reads it: a request,
// however it is typed, counts; a question or a remark about the staff does not.
import { describe, expect, it } from 'vitest';
import { askedForHuman } from '../../src/domain/handoff/assessment.ts';

describe('askedForHuman', () => {
  it.each([
    ['转人工', 'the plain request'],
    ['人工', 'the word alone'],
    ['转人公 谢谢', 'a request typed by sound (转人公)'],
    ['麻烦安排我的专属客服联系我一下', 'asking that her own advisor contact her'],
    ['我的专属客服能不能打给我', 'asking, with no verb for it, that her advisor call her'],
    ['我要找人工 什么时候能回复', 'a request that also asks when the answer comes'],
    ['能不能帮我联系下你们的售后经理', 'asking that the card contact a manager of theirs'],
    ['别再机器人回复了 给我接个人过来', 'asking for someone to be put through'],
    ['这件事我要找人理论清楚', 'wanting someone to settle the matter with'],
    ['我要找个能做主的人', 'asking for someone in charge'],
  ])('is true for "%s": %s', (message) => {
    expect(askedForHuman(message)).toBe(true);
  });

  it.each([
    ['人工客服几点上班', 'asks for the staff’s hours'],
    ['晚上还有人工吗 问问', 'asks whether people work in the evening'],
    ['之前人工客服帮我处理得挺好的 替我谢谢她', 'thanks a member of staff'],
    ['优先人工通道是什么意思', 'asks what a channel means'],
    ['人工智能是什么', 'is about artificial intelligence, not a person'],
    ['你们这个人工智能挺聪明的', 'praises the artificial intelligence, not a person'],
    ['不用转人工', 'declines a person'],
    ['今天不找客服了 你帮我看看面霜', 'declines a person and asks for something else'],
    ['我不要赚人工 就查个快递', 'declines a person, typed by sound (赚人工)'],
    ['刚才点了转人工是点错了 不用了', 'takes back a request made by mistake'],
    ['人工客服的电话是多少 我记一下', 'asks for the staff’s number to keep'],
    ['回复这么快 你是真人吗', 'asks whether it is talking to a person'],
    ['以后遇到问题怎么找人工啊', 'asks how to reach a person later'],
    ['会员找客服是不是更快', 'asks whether members are served sooner'],
    ['人工客服能改收货地址吗', 'asks what the staff can do'],
    ['how long until a real person replies if I ask for one?', 'asks how long a person would take, in English'],
    ['帮我反馈 粉底详情页能不能放真人试色', 'asks for real-person swatches in the product photos'],
  ])('is false for "%s": it %s', (message) => {
    expect(askedForHuman(message)).toBe(false);
  });
});
