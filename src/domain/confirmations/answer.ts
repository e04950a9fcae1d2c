// Whether a shopper's message answers a stated action with yes, with no, or with something else
// (docs/domain.md §14 Confirmation). Yes is a message that is nothing but assent — "确认", "好的 提交吧",
// "对 就这个", "yes please", 👍 — so "好的，那物流呢" is a new question, not a yes; no is a message that
// declines ("算了", "先不要", "取消", "no"). Anything else drops the action: a later "好的" cannot revive it.
import { normalize } from '../../text/normalize.ts';

export type Answer = 'yes' | 'no' | 'other';

// Longest first, so 没问题 is taken whole before 问题 could be left over.
const YES = [
  '确认提交', '确认无误', '没问题', '就这个', '就这样', '就它了', '可以的', '好的呢', '确认', '确定', '提交', '同意', '好的', '好滴', '好嘞',
  '好哒', '对的', '是的', '可以', '行的', '嗯嗯', '办吧', '弄吧', '投吧', '退吧', '换吧', '兑吧', '好', '嗯', '对', '是', '行', '中',
  'confirmed', 'confirm', 'okay', 'yes', 'yep', 'yeah', 'sure', 'ok', 'go ahead', 'do it', 'que ren', 'queren', 'hao de', 'haode',
  '👍', '👌', '✅', '🙆',
];
const NO = [
  '不用了', '不要了', '先不要', '先不用', '先不了', '再想想', '想一想', '等一下', '等等', '算了', '取消', '不要', '不用', '不了', '不确认', '不对', '别',
  'cancel', 'nope', 'no', "don't", 'wait', 'not now', 'suan le', 'bu yong',
];
// Words that wrap an answer without changing it: particles, politeness, "帮我".
const FILLER = ['麻烦你', '麻烦', '谢谢', '谢啦', '感谢', '辛苦', '帮我', '请', '吧', '啊', '呀', '哈', '嘛', '呢', '了', '的', '哦', '喔', '啦', '呗', '哟', 'please', 'thanks', 'thank you', 'pls'];

function strip(text: string, words: readonly string[]): string {
  let rest = text;
  for (const w of [...words].sort((a, b) => b.length - a.length)) {
    rest = /^[a-z' ]+$/.test(w) ? rest.replace(new RegExp(`\\b${w}\\b`, 'g'), ' ') : rest.split(w).join(' ');
  }
  return rest;
}

const bare = (text: string) => text.replace(/[\s\p{P}\p{S}]+/gu, '');

export function answerTo(message: string): Answer {
  const norm = normalize(message);
  // A long message carries a new request, whatever assent it opens with.
  if (bare(norm).length > 24) return 'other';
  const withoutNo = strip(norm, NO);
  if (withoutNo !== norm && bare(strip(withoutNo, [...YES, ...FILLER])).length <= 1) return 'no';
  const withoutYes = strip(norm, YES);
  if (withoutYes !== norm && bare(strip(withoutYes, FILLER)).length === 0) return 'yes';
  return 'other';
}
