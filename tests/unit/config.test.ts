import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { maskPhones } from '../../src/log.ts';

describe('configuration', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 8787, HOST: '127.0.0.1', DATA_DIR: './data', SEED_DEMO: true });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })).toThrow(
      /PORT[\s\S]*DATABASE_URL[\s\S]*LOG_LEVEL|PORT[\s\S]*LOG_LEVEL[\s\S]*DATABASE_URL/,
    );
  });

  it('refuses production without AUTH_SECRET', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 's'.repeat(32) }).AUTH_SECRET).toHaveLength(32);
  });

  it('seeds the demo shop by default, but under NODE_ENV=production only when SEED_DEMO=true is set', () => {
    const secret = { AUTH_SECRET: 's'.repeat(32) };
    expect(loadConfig({}).SEED_DEMO).toBe(true);
    expect(loadConfig({ SEED_DEMO: 'false' }).SEED_DEMO).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', ...secret }).SEED_DEMO).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true', ...secret }).SEED_DEMO).toBe(true);
  });

  it('bounds the live streams per token subject and per shop unless told otherwise', () => {
    expect(loadConfig({})).toMatchObject({ LIVE_STREAMS_PER_USER: 4, LIVE_STREAMS_PER_SHOP: 300 });
    expect(loadConfig({ LIVE_STREAMS_PER_USER: '0', LIVE_STREAMS_PER_SHOP: '50' })).toMatchObject({ LIVE_STREAMS_PER_USER: 0, LIVE_STREAMS_PER_SHOP: 50 });
    expect(() => loadConfig({ LIVE_STREAMS_PER_USER: '-1' })).toThrow(/LIVE_STREAMS_PER_USER/);
  });

  it('reads the hosts a webhook may reach inside the network, and names a bad entry', () => {
    expect(loadConfig({}).WEBHOOK_ALLOW_HOSTS).toEqual([]);
    expect(loadConfig({ WEBHOOK_ALLOW_HOSTS: 'mall.internal, 10.0.0.5:8080,[fd00::1]:443' }).WEBHOOK_ALLOW_HOSTS).toEqual([
      { host: 'mall.internal', port: null },
      { host: '10.0.0.5', port: 8080 },
      { host: 'fd00::1', port: 443 },
    ]);
    expect(() => loadConfig({ WEBHOOK_ALLOW_HOSTS: 'mall.internal,http://10.0.0.5/hook' })).toThrow(
      /WEBHOOK_ALLOW_HOSTS: "http:\/\/10\.0\.0\.5\/hook" is not a host name or host:port/,
    );
  });

  it('holds orders from the events to ORDER_MAX_FEN, ¥100,000 unless set', () => {
    expect(loadConfig({}).ORDER_MAX_FEN).toBe(10_000_000);
    expect(loadConfig({ ORDER_MAX_FEN: '500000' }).ORDER_MAX_FEN).toBe(500_000);
    expect(() => loadConfig({ ORDER_MAX_FEN: '0' })).toThrow(/ORDER_MAX_FEN/);
  });

  it('goes through a transaction pooler only with a direct URL for LISTEN', () => {
    const pooler = 'postgres://app@pgbouncer:6432/laotie';
    const direct = 'postgres://app@db:5432/laotie';
    expect(loadConfig({ DATABASE_URL: pooler }).DATABASE_POOL_MODE).toBe('session');
    expect(() => loadConfig({ DATABASE_URL: pooler, DATABASE_POOL_MODE: 'transaction' })).toThrow(/DATABASE_LISTEN_URL: required/);
    expect(loadConfig({ DATABASE_URL: pooler, DATABASE_POOL_MODE: 'transaction', DATABASE_LISTEN_URL: direct })).toMatchObject({
      DATABASE_POOL_MODE: 'transaction',
      DATABASE_LISTEN_URL: direct,
    });
    expect(() => loadConfig({ DATABASE_POOL_MODE: 'statement' })).toThrow(/DATABASE_POOL_MODE/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(8787);
  });
});

describe('log lines', () => {
  it('never carry a mobile number in full', () => {
    expect(maskPhones('{"phone":"13812345678","n":"x"}')).toBe('{"phone":"138****5678","n":"x"}');
    expect(maskPhones('order 20261101123456789')).toBe('order 20261101123456789');
  });
});
