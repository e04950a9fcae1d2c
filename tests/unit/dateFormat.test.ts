// Date formats are built once per locale and options, and format exactly as a new one would.
import { describe, expect, it } from 'vitest';
import { dateTimeFormat } from '../../src/text/dateFormat.ts';
import { localDate, localDateTime } from '../../src/domain/orders/localTime.ts';

describe('date formats kept per process', () => {
  it('hands out one format per locale and options, formatting as a new one does', () => {
    const opts = { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric' } as const;
    expect(dateTimeFormat('zh-CN', { ...opts })).toBe(dateTimeFormat('zh-CN', { ...opts }));
    expect(dateTimeFormat('en-US', opts)).not.toBe(dateTimeFormat('zh-CN', opts));
    const at = new Date('2026-03-10T17:30:00Z');
    expect(dateTimeFormat('zh-CN', opts).format(at)).toBe(new Intl.DateTimeFormat('zh-CN', opts).format(at));
  });

  it('still refuses an unknown timezone, every time', () => {
    expect(() => dateTimeFormat('sv-SE', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => localDate(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });

  it('gives the shop\'s local date and time', () => {
    const at = new Date('2026-03-10T17:30:00Z');
    expect(localDate(at, 'Asia/Shanghai')).toBe('2026-03-11');
    expect(localDate(at, 'UTC')).toBe('2026-03-10');
    expect(localDateTime(at, 'Asia/Shanghai')).toBe('2026-03-11 01:30');
  });
});
