// The demo shop as plain data, before it is written: rows refer to each other by business keys
// (sku, openid, order_no, tracking_no, template code), never by database ids, so the whole plan is
// built without a database and the writer resolves ids with joins. Times are epoch milliseconds.
import type { ReferralIdentity, Tier } from '../context.ts';

export const SKIN_TYPES = ['干皮', '油皮', '混合皮', '敏感肌', '中性皮'] as const;
export type SkinType = (typeof SKIN_TYPES)[number];

export interface ShopSeed {
  id: string;
  name: string;
  intro: string;
  timezone: string;
  advisorName: string;
  advisorTitle: string;
  advisorPhotoUrl: string;
  persona: string;
  advisorPersona: string;
  tone: string;
  contact: string;
  createdAt: number;
}

export interface SupplierSeed {
  id: string;
  name: string;
  warehouse: string;
  /** City the parcels leave from (tracking trails). */
  warehouseCity: string;
  shippingPromiseHours: number;
  afterSalesContact: string;
}

export interface ProductAttributesSeed {
  skin_types: SkinType[];
  colors?: string[];
  effects: string[];
  spec: string;
}

export interface ProductSeed {
  sku: string;
  supplierId: string;
  name: string;
  brand: string;
  category: string;
  /** The product type within its category ('洗衣液', '水润粉底液'); not stored. */
  productType: string;
  description: string;
  attributes: ProductAttributesSeed;
  priceFen: number;
  stock: number;
  usageCycleDays: number | null;
  origin: string;
  qcReportRef: string;
  batchNo: string;
  isActivation: boolean;
  status: 'on_sale' | 'off_shelf';
  launchedAt: number;
}

export interface Address {
  name: string;
  phone: string;
  region: string;
  /** City and district of the region, for tracking trails: '杭州市', '西湖区'. */
  city: string;
  district: string;
  detail: string;
}

export type PotentialScore = 'high' | 'mid' | 'low';
export type Gender = 'f' | 'm' | 'u';

export interface ShopperSeed {
  openid: string;
  nickname: string;
  phone: string;
  /** 'yyyy-mm-dd' */
  birthday: string;
  gender: Gender;
  skinType: SkinType;
  tier: Tier;
  potentialScore: PotentialScore | null;
  identity: ReferralIdentity;
  referrerOpenid: string | null;
  referralBoundAt: number | null;
  marketingConsent: boolean;
  profileSummary: string;
  registeredAt: number;
  address: Address;
  /** Categories this shopper mostly buys and browses. */
  favouriteCategories: string[];
}

export type OrderStatus = 'created' | 'paid' | 'shipped' | 'delivered' | 'completed' | 'cancelled' | 'refunded';

/** How an order's life goes, decided when it is created; `now` cuts it at the stage reached. */
export type OrderFate = 'normal' | 'cancelledByShopper' | 'unpaidClosed' | 'refundBeforeShip' | 'refundAfterDelivery';

/** Every moment of an order's planned life; null where the fate never gets there. */
export interface Timeline {
  createdAt: number;
  paidAt: number | null;
  shippedAt: number | null;
  deliveredAt: number | null;
  completedAt: number | null;
  cancelledAt: number | null;
  refundedAt: number | null;
}

export interface OrderItemSeed {
  sku: string;
  productName: string;
  category: string;
  unitPriceFen: number;
  quantity: number;
}

export interface OrderSeed extends Timeline {
  orderNo: string;
  shopperOpenid: string;
  status: OrderStatus;
  fate: OrderFate;
  /** The whole plan, including what lies after `now` (a shipment's ETA, a pending refund). */
  planned: Timeline;
  items: OrderItemSeed[];
  itemsFen: number;
  discountFen: number;
  shippingFen: number;
  payFen: number;
  /** issue_key of the coupon used on this order. */
  couponIssueKey: string | null;
  address: Address;
  /** Supplier whose warehouse ships the order (that of the first item). */
  supplierId: string;
}

export interface TrackingEventSeed {
  occurredAt: number;
  status: 'picked_up' | 'in_transit' | 'out_for_delivery' | 'delivered';
  location: string;
  description: string;
}

export interface ShipmentSeed {
  orderNo: string;
  carrier: string;
  trackingNo: string;
  status: 'in_transit' | 'out_for_delivery' | 'delivered';
  shipByAt: number;
  shippedAt: number;
  deliveredAt: number | null;
  etaAt: number;
  events: TrackingEventSeed[];
}

export interface AfterSaleSeed {
  requestNo: string;
  orderNo: string;
  shopperOpenid: string;
  kind: 'return' | 'exchange' | 'refund';
  reason: string;
  status: 'requested' | 'approved' | 'rejected' | 'completed' | 'withdrawn';
  amountFen: number;
  createdAt: number;
  updatedAt: number;
}

export interface CouponTemplateSeed {
  code: string;
  name: string;
  kind: 'threshold' | 'no_threshold' | 'discount';
  thresholdFen: number;
  amountFen: number;
  percentOff: number;
  trigger: 'claimable' | 'second_purchase' | 'birthday' | 'discount_day' | 'points_redeem' | 'replenishment' | 'referral';
  audienceTiers: Tier[];
  perShopperLimit: number;
  totalQuantity: number | null;
  pointsCost: number | null;
  validDays: number;
}

export interface CouponSeed {
  templateCode: string;
  shopperOpenid: string;
  status: 'unused' | 'used' | 'expired';
  issueKey: string;
  issuedAt: number;
  validUntil: number;
  usedOrderNo: string | null;
  usedAt: number | null;
}

export interface PointsEntrySeed {
  shopperOpenid: string;
  delta: number;
  reason: string;
  refKey: string;
  createdAt: number;
}

export interface ReferralLinkSeed {
  shopperOpenid: string;
  code: string;
  productSku: string | null;
  createdAt: number;
}

export interface BehaviourEventSeed {
  shopperOpenid: string;
  kind: 'view' | 'favourite' | 'follow' | 'share' | 'consult' | 'search';
  productSku: string | null;
  payload: Record<string, string | number>;
  occurredAt: number;
}

/** A running 老铁 vote, its votes, and the feedback centre's suggestions. */
export interface CommunitySeed {
  campaign: { title: string; opensAt: number; closesAt: number; candidateSkus: string[]; votesPerShopper: number; topN: number };
  votes: { shopperOpenid: string; productSku: string; votedAt: number }[];
  feedback: { shopperOpenid: string; text: string; createdAt: number; adopted: { rewardFen: number; credit: string; adoptedAt: number } | null }[];
}

export interface SampleShopperNote {
  openid: string;
  note: string;
}

export interface SeedPlan {
  shop: ShopSeed;
  suppliers: SupplierSeed[];
  products: ProductSeed[];
  shoppers: ShopperSeed[];
  samples: SampleShopperNote[];
  couponTemplates: CouponTemplateSeed[];
  orders: OrderSeed[];
  shipments: ShipmentSeed[];
  afterSales: AfterSaleSeed[];
  coupons: CouponSeed[];
  points: PointsEntrySeed[];
  referralLinks: ReferralLinkSeed[];
  behaviourEvents: BehaviourEventSeed[];
  community: CommunitySeed;
}
