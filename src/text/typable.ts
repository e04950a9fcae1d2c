// Text a person could type: the rule for every string the service takes in, from a shopper, a
// staff member, an operator, the mall or a model's tool call. Two things are no such text: U+0000,
// which PostgreSQL's text and jsonb cannot hold (the write fails deep inside a turn or an import),
// and a lone UTF-16 surrogate, which is no character at all (each driver, tokenizer and client
// reads it its own way). Both are refused where text comes in, naming the field. A model's own
// words cannot be refused (the shopper is owed an answer): they are cleaned before they are kept.
import { z } from 'zod';

export const UNTYPABLE_MESSAGE = 'must be text a person could type: no U+0000 (NUL) and no unpaired surrogate';

export function isTypable(s: string): boolean {
  return s.isWellFormed() && !s.includes('\u0000');
}

/** z.string() held to isTypable; chain .trim(), .min(), .max() as on any string. */
export function typable() {
  return z.string().refine(isTypable, UNTYPABLE_MESSAGE);
}

/** The path of the first string in a JSON value (an object key or a string value) that is not typable; null when all are. */
export function untypablePath(value: unknown, path: readonly (string | number)[] = []): (string | number)[] | null {
  if (typeof value === 'string') return isTypable(value) ? null : [...path];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = untypablePath(v, [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!isTypable(k)) return [...path, k];
      const found = untypablePath(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

/** Holds a value of open shape (settings, an event's data) to the rule in every string it carries, keys included. */
export function typableJson<S extends z.ZodType>(schema: S): S {
  return schema.superRefine((value, ctx) => {
    const path = untypablePath(value);
    if (path) ctx.addIssue({ code: 'custom', path, message: UNTYPABLE_MESSAGE });
  });
}

/** A model's text made storable: NULs dropped, a lone surrogate replaced by U+FFFD. */
export function cleanText(s: string): string {
  return s.replaceAll('\u0000', '').toWellFormed();
}

/**
 * cleanText over every string of a JSON value, keys included. A value with nothing to clean (nearly
 * every turn's tool calls) is given back as it is, not copied string by string.
 */
export function cleanJson<T>(value: T): T {
  return cleanAlready(value) ? value : cleanCopy(value);
}

/** Whether every string cleanCopy would clean (the same walk) is typable already. */
function cleanAlready(value: unknown): boolean {
  if (typeof value === 'string') return isTypable(value);
  if (Array.isArray(value)) return value.every(cleanAlready);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      if (!isTypable(k) || !cleanAlready((value as Record<string, unknown>)[k])) return false;
    }
  }
  return true;
}

function cleanCopy<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map(cleanCopy) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanCopy(v)])) as T;
  }
  return value;
}
