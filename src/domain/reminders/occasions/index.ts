// Every occasion the planner knows, by name.
import type { Occasion } from '../occasion.ts';
import type { OccasionName } from '../settings.ts';
import { anniversary } from './anniversary.ts';
import { birthday } from './birthday.ts';
import { discountDay } from './discountDay.ts';
import { holiday } from './holidays.ts';
import { newProduct } from './newProduct.ts';
import { replenishment } from './replenishment.ts';
import { secondPurchase } from './secondPurchase.ts';
import { winBack } from './winBack.ts';

export const OCCASION_HANDLERS: Record<OccasionName, Occasion> = {
  birthday,
  secondPurchase,
  replenishment,
  discountDay,
  anniversary,
  winBack,
  newProduct,
  holiday,
};
