// The demo shop: the article's case 美妆小程序A (affordable beauty, 18–35-year-old women), its AI card
// and the suppliers (the S of S2B2C) that stock and ship its catalog.
import { DAY } from './time.ts';
import type { ShopSeed, SupplierSeed } from './types.ts';

export function demoShop(id: string, now: number): ShopSeed {
  return {
    id,
    name: '美妆小程序A · 悦颜美妆',
    intro:
      '悦颜美妆成立于2022年，主营平价美妆与个护：口红、粉底液、面膜、护肤和家居日用。商品由华美、云裳等供应链统一质检、' +
      '统一发货，付款后48小时内发出，每批次可查产地与质检报告。',
    timezone: 'Asia/Shanghai',
    advisorName: '小悦',
    advisorTitle: '悦颜美妆 AI 美肤顾问',
    advisorPhotoUrl: '/static/advisor.svg',
    persona:
      '你是「悦颜美妆」小程序的 AI 名片助手小悦，熟悉店里的护肤、彩妆和家居日用商品。像懂行的闺蜜一样聊天：' +
      '先弄清顾客的肤质、预算和使用场景，再给出两三个说得出理由的推荐；订单、物流、售后问题先查清楚再回答，不编造信息；' +
      '自己解决不了的问题，及时转给人工客服。',
    advisorPersona:
      '你是悦颜美妆的专属 AI 美肤顾问小悦，服务核心用户和老铁。回答前先看顾客的肤质档案和购买记录：她用过什么、' +
      '哪些快用完了、反馈过什么。按“洁面—化妆水—精华—面霜—防晒”给出完整的护肤步骤和替换建议，结合季节调整；' +
      '提醒成分搭配（如视黄醇和高浓度果酸不要同晚使用）和用完周期；语气像相识多年的美容顾问，叫她的昵称，记得她上次说过的话。',
    tone: '亲切、专业、简洁；可以称呼“亲”或“老铁”，适度用表情；不夸大功效，不做医疗承诺。',
    contact: '微信客服 yueyan-kf（9:00–22:00）｜服务热线 400-820-6688',
    // The case shop opened in 2022, long before the seeded history starts.
    createdAt: now - 730 * DAY,
  };
}

/** Shared rows: one supplier catalog serves many shops. */
export const SUPPLIERS: readonly SupplierSeed[] = [
  {
    id: 'sup-huamei',
    name: '华美美妆供应链（广州）有限公司',
    warehouse: '广州白云仓',
    warehouseCity: '广州市',
    shippingPromiseHours: 48,
    afterSalesContact: '400-830-1122',
  },
  {
    id: 'sup-yunshang',
    name: '云裳化妆品供应链（上海）有限公司',
    warehouse: '上海青浦仓',
    warehouseCity: '上海市',
    shippingPromiseHours: 48,
    afterSalesContact: '400-860-3344',
  },
  {
    id: 'sup-haina',
    name: '海纳跨境进口供应链',
    warehouse: '宁波保税仓',
    warehouseCity: '宁波市',
    shippingPromiseHours: 48,
    afterSalesContact: '400-870-5566',
  },
  {
    id: 'sup-jiayi',
    name: '佳宜日化供应链（杭州）有限公司',
    warehouse: '杭州萧山仓',
    warehouseCity: '杭州市',
    shippingPromiseHours: 48,
    afterSalesContact: '400-890-7788',
  },
];
