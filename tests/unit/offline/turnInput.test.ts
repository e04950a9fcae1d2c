// The turn input's word lists: read once per shop list, not once per turn, without going stale.
import { describe, expect, it } from 'vitest';
import type { JSONObject } from '@ai-sdk/provider';
import { OFFLINE_PROVIDER, readTurnInput } from '../../../src/agent/offline/contract.ts';

const read = (input: Record<string, unknown>) => readTurnInput({ [OFFLINE_PROVIDER]: input as JSONObject });

describe('the word lists of the turn input', () => {
  it('keep only the non-blank words, and are empty when absent or not a list', () => {
    const c = read({ categories: ['面霜', ' ', 3, '口红', ''], colors: '正红' });
    expect(c.categories).toEqual(['面霜', '口红']);
    expect(c.colors).toEqual([]);
    expect(c.productNames).toEqual([]);
  });

  it('are read once for a frozen list that every turn of a shop sends', () => {
    const names = Object.freeze(['精粹水', '身体乳', '']) as string[];
    const first = read({ productNames: names });
    const second = read({ productNames: names });
    expect(second.productNames).toEqual(['精粹水', '身体乳']);
    expect(second.productNames).toBe(first.productNames);
    expect(Object.isFrozen(second.productNames)).toBe(true);
  });

  it('are read again for a list that is not frozen, which may have changed', () => {
    const names = ['精粹水'];
    expect(read({ productNames: names }).productNames).toEqual(['精粹水']);
    names.push('身体乳');
    expect(read({ productNames: names }).productNames).toEqual(['精粹水', '身体乳']);
  });
});
