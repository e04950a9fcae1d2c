// The model's way to hand a conversation to a person. The server also escalates on its own rules
// after every turn (src/domain/handoff/triggers.ts); this tool lets the model do it when it judges
// so, with a note for staff. Offered only when the shop hands this shopper off at all.
import { z } from 'zod';
import { escalate } from '../src/domain/handoff/escalate.ts';
import { HANDOFF_REASONS } from '../src/domain/handoff/settings.ts';
import { TICKET_STATUSES } from '../src/domain/handoff/tickets.ts';
import { typable } from '../src/text/typable.ts';
import { defineTool, toolError } from './defineTool.ts';

export const requestHandoff = defineTool({
  name: 'requestHandoff',
  effect: 'write',
  output: z.object({
    accepted: z.literal(true),
    ticketId: z.number(),
    status: z.enum(TICKET_STATUSES),
    position: z.number().nullable(),
    expectedWithinMinutes: z.number().nullable(),
    onDuty: z.boolean(),
    backAt: z.string().nullable(),
  }),
  description:
    '把当前对话转给人工客服。顾客明确要求人工、情绪激动、同一个问题多次没解决、金额较大的售后、查询订单出错、或你没把握理解顾客时调用；' +
    '调用前先真诚致歉。返回排队位置（position，前面还有几位）和预计回复分钟数（expectedWithinMinutes）；' +
    'onDuty=false 表示现在不在人工服务时间，backAt 是人工上班的时间，要如实告诉顾客，期间你继续帮她。',
  input: z.object({
    reason: z
      .enum(HANDOFF_REASONS)
      .describe('asked_for_human 顾客要求人工 / angry 情绪激动 / unresolved 多次没解决 / money 金额较大 / tool_failure 查询出错 / low_confidence 没把握'),
    note: typable().trim().max(500).describe('给人工客服的一句话：顾客要解决什么、你已经做了什么'),
  }),
  async execute(ctx, input) {
    const { conversationId } = ctx;
    if (!conversationId) return toolError('unavailable', '当前不能转人工');
    const done = await escalate(
      ctx.db,
      {
        shopId: ctx.caller.shopId,
        conversationId,
        shopperId: ctx.caller.shopperId,
        tier: ctx.caller.tier,
        reasons: [input.reason],
        angry: input.reason === 'angry',
        source: 'model',
        note: input.note,
      },
      ctx.clock.now(),
    );
    if (!done) return toolError('forbidden', '本店暂不为这类问题转人工，请继续帮助顾客');
    const s = done.status;
    return {
      accepted: true as const,
      ticketId: s.ticketId,
      status: s.status,
      position: s.position,
      expectedWithinMinutes: s.expectedWithinMinutes,
      onDuty: s.onDuty,
      backAt: s.backAt,
    };
  },
});
