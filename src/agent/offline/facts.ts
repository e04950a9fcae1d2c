// Typed, defensive readers of tool results. A result is JSON from another module (or a replayed
// conversation): every field is checked, and a missing one reads as empty — never as invented data.
// Field names follow tools/*.ts; facts*.ts are the one place that knows them.

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
export function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.map(obj) : [];
}
export function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}
export function texts(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}
export function numberOr(v: unknown, fallback: number | null): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}
