// Words staff read in the console and the summary.
import type { ReferralIdentity } from '../../context.ts';
import type { TicketStatus } from './tickets.ts';
import type { HandoffReason } from './settings.ts';

export const REASON_LABELS: Record<HandoffReason, string> = {
  asked_for_human: '顾客要求人工',
  angry: '顾客情绪激动',
  unresolved: '同一问题连续两次未解决',
  money: '金额较大的售后需人工审核',
  tool_failure: '订单查询出错',
  low_confidence: 'AI 没把握理解顾客的问题',
};

export const REFERRAL_LABELS: Record<ReferralIdentity, string> = {
  member: '普通用户',
  agent: '代理',
  boss: '老板',
};

export const STATUS_LABELS: Record<TicketStatus, string> = {
  open: '等待接入',
  claimed: '人工处理中',
  resolved: '已解决',
  handed_back: '已交回 AI',
};
