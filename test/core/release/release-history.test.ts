import { describe, expect, it } from 'vitest';
import { latestReleaseCheck, shippedText } from '../../../src/core/release/release-history.js';

const event = (name: string) => ({ at: '2026-01-03T00:00:00.000Z', event: name, from: 'verification', to: 'maintenance' });

describe('the latest release check beside the shipped milestone (status bar and !status)', () => {
  it('reads "shipped; latest release check HOLD" after a HOLD in Maintenance, and "shipped" again after the next SHIP', () => {
    const held = { milestone: 'shipped' as const, history: [event('release verdict SHIP'), event('maintenance tasks'), event('release verdict HOLD'), event('!autonomy per_task')] };
    expect(latestReleaseCheck(held)).toBe('HOLD');
    expect(shippedText(held)).toBe('shipped; latest release check HOLD');
    expect(shippedText({ ...held, history: [...held.history, event('release verdict SHIP')] })).toBe('shipped');
  });

  it('says nothing before the project shipped, even after a HOLD', () => {
    expect(shippedText({ milestone: 'secured', history: [event('release verdict HOLD')] })).toBeUndefined();
    expect(latestReleaseCheck({ history: [] })).toBeUndefined();
  });
});
