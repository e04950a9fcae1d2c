import { describe, expect, it } from 'vitest';
import { placeholdersOf, render, templateKeys, templateText } from '../../../src/agent/offline/templates.ts';

describe('offline reply templates', () => {
  const zh = templateKeys('zh').sort();
  const en = templateKeys('en').sort();

  it('has every template in Chinese and English', () => {
    expect(zh.length).toBeGreaterThan(100);
    expect(en).toEqual(zh);
  });

  it.each(zh)('%s uses the same placeholders in both languages', (key) => {
    expect(placeholdersOf(templateText('en', key)).sort()).toEqual(placeholdersOf(templateText('zh', key)).sort());
  });

  it('renders every template with sample values', () => {
    for (const lang of ['zh', 'en'] as const) {
      for (const key of zh) {
        const vars = Object.fromEntries(placeholdersOf(templateText(lang, key)).map((p) => [p, `<${p}>`]));
        const text = render(lang, key, vars);
        expect(text).not.toMatch(/\{\{\w+\}\}/);
      }
    }
  });

  it('fails loudly on a missing value', () => {
    expect(() => render('zh', 'logistics.eta', {})).toThrow(/eta/);
  });

  it('keeps spaces a template needs at its edges', () => {
    expect(render('en', 'common.list_separator')).toBe(', ');
    expect(render('zh', 'common.list_separator')).toBe('、');
  });
});
