import { describe, expect, it } from 'vitest';
import { BudgetLedger, type CallCheck } from '../../../src/core/budget/ledger.js';
import { SONNET, usage } from './prices.js';

const sonnetCall = (projectedInputTokens: number, maxOutputTokens: number) => ({
  projectedInputTokens,
  maxOutputTokens,
  model: 'claude-sonnet-4-6',
  price: SONNET,
});

function allowed(check: CallCheck) {
  if (check.kind !== 'allow') throw new Error(`expected allow, got: ${check.message}`);
  return check;
}

describe('BudgetLedger.tier', () => {
  const ledger = new BudgetLedger({ budgetUsd: 10 });

  it.each([
    [0, 'ok'],
    [7.99, 'ok'], // 79.9 %
    [8, 'warning'], // 80 %
    [9.99, 'warning'],
    [10, 'exhausted'], // 100 %
    [12, 'exhausted'],
  ] as const)('spent $%d of $10 → %s', (spent, tier) => {
    expect(ledger.tier(spent)).toBe(tier);
  });

  it('has no float trap at exactly 80 % ($0.88 of $1.10)', () => {
    // 0.88 / 1.1 is 0.7999999999999999 in floating point; the ledger counts nano-dollars.
    expect(new BudgetLedger({ budgetUsd: 1.1 }).tier(0.88)).toBe('warning');
    expect(new BudgetLedger({ budgetUsd: 1.1 }).tier(0.879999999)).toBe('ok');
  });

  it('is always ok without a budget', () => {
    expect(new BudgetLedger().tier(1_000)).toBe('ok');
  });
});

describe('BudgetLedger.record', () => {
  it('keeps totals per agent and per stage and moves through the tiers', () => {
    const ledger = new BudgetLedger({ budgetUsd: 1 });
    // $0.45 each: 100,000 input + 10,000 output on Sonnet.
    expect(ledger.record({ agent: 'planner', stage: 'planning', usage: usage(100_000, 10_000), price: SONNET })).toEqual({ costUsd: 0.45, tier: 'ok' });
    expect(ledger.record({ agent: 'builder', stage: 'building', usage: usage(100_000, 10_000), price: SONNET }).tier).toBe('warning');
    expect(ledger.record({ agent: 'builder', stage: 'building', usage: usage(0, 0, 100_000, 10_000), price: SONNET }).costUsd).toBeCloseTo(0.0675, 10);
    const snap = ledger.snapshot();
    expect(snap.spentUsd).toBe(0.9675);
    expect(snap.remainingUsd).toBe(0.0325);
    expect(snap.tier).toBe('warning');
    expect(snap.byAgent.map((a) => [a.name, a.calls, a.costUsd])).toEqual([
      ['builder', 2, 0.5175],
      ['planner', 1, 0.45],
    ]);
    expect(snap.byStage.map((s) => s.name)).toEqual(['building', 'planning']);
    expect(snap.byAgent[0]).toMatchObject({ inputTokens: 100_000, outputTokens: 10_000, cacheReadTokens: 100_000, cacheWriteTokens: 10_000 });
  });
});

describe('BudgetLedger.checkBeforeCall', () => {
  it('allows a call whose worst case fits and refuses one whose worst case would cross the cap', () => {
    const ledger = new BudgetLedger({ budgetUsd: 1 });
    ledger.record({ agent: 'builder', stage: 'building', usage: usage(100_000, 10_000), price: SONNET }); // $0.45 spent
    // Worst case 100,000 × $3.75 + 8,000 × $15 per million = $0.495 ≤ $0.55 left.
    const first = allowed(ledger.checkBeforeCall(sonnetCall(100_000, 8_000)));
    expect(first.projectedUsd).toBe(0.495);
    ledger.release(first.ticket);
    ledger.record({ agent: 'builder', stage: 'building', usage: usage(0, 6_667), price: SONNET }); // $0.100005 more
    // $0.449995 left: at the plain input rate this call ($0.42) would fit, but its input could
    // be written to the cache at $3.75, so the worst case is $0.495 and it is refused.
    const check = ledger.checkBeforeCall(sonnetCall(100_000, 8_000));
    expect(check.kind).toBe('refuse');
    if (check.kind !== 'refuse') return;
    expect(check.projectedUsd).toBe(0.495);
    expect(check.remainingUsd).toBeCloseTo(0.449995, 9);
    expect(check.message).toContain('claude-sonnet-4-6');
    expect(check.message).toContain('$0.4950');
    expect(check.message).toContain('Nothing was sent');
    expect(check.message).toContain('!budget extend 0.05');
  });

  it('allows a call that uses exactly what is left', () => {
    const ledger = new BudgetLedger({ budgetUsd: 0.495 });
    expect(ledger.checkBeforeCall(sonnetCall(100_000, 8_000)).kind).toBe('allow');
  });

  it('says the budget is used up once it is', () => {
    const ledger = new BudgetLedger({ budgetUsd: 0.45 });
    ledger.record({ agent: 'critic', stage: 'critique', usage: usage(100_000, 10_000), price: SONNET });
    const check = ledger.checkBeforeCall(sonnetCall(10, 10));
    expect(check.kind).toBe('refuse');
    if (check.kind === 'refuse') expect(check.message).toContain('The budget of $0.4500 is used up');
  });

  it('holds the worst case of calls in flight, so calls side by side cannot pass the cap together', () => {
    const ledger = new BudgetLedger({ budgetUsd: 1 });
    const a = allowed(ledger.checkBeforeCall(sonnetCall(100_000, 8_000))); // holds $0.495
    const b = allowed(ledger.checkBeforeCall(sonnetCall(100_000, 8_000))); // holds $0.495, $0.99 held
    const c = ledger.checkBeforeCall(sonnetCall(100_000, 8_000));
    expect(c.kind).toBe('refuse');
    if (c.kind === 'refuse') expect(c.message).toContain('held for calls still running');
    expect(ledger.snapshot().heldUsd).toBe(0.99);
    // a finishes cheaper than its worst case; its hold is replaced by its real cost.
    ledger.record({ agent: 'builder', stage: 'building', usage: usage(0, 1_000, 100_000, 0), price: SONNET }, a.ticket); // $0.045
    expect(ledger.checkBeforeCall(sonnetCall(100_000, 8_000)).kind).toBe('refuse'); // 1 - 0.045 - 0.495 < 0.495
    ledger.release(b.ticket);
    expect(ledger.checkBeforeCall(sonnetCall(100_000, 8_000)).kind).toBe('allow');
  });

  it('allows everything without a budget, and counts it', () => {
    const ledger = new BudgetLedger();
    expect(ledger.checkBeforeCall(sonnetCall(1_000_000, 100_000)).kind).toBe('allow');
    expect(ledger.snapshot()).toMatchObject({ budgetUsd: null, remainingUsd: null, tier: 'ok' });
  });

  it('never lets a session spend past the cap when calls stay within their projection', () => {
    // A deterministic pseudo-random session: each call is checked, then billed at most its
    // worst case (any mix of cached, uncached and written input; any output up to max).
    let seed = 42;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (const budget of [0.05, 0.5, 3, 7.77]) {
      const ledger = new BudgetLedger({ budgetUsd: budget });
      let refusals = 0;
      for (let i = 0; i < 500 && refusals < 20; i++) {
        const input = Math.floor(rand() * 150_000);
        const maxOut = 1 + Math.floor(rand() * 16_000);
        const check = ledger.checkBeforeCall(sonnetCall(input, maxOut));
        if (check.kind === 'refuse') {
          refusals++;
          continue;
        }
        const cached = Math.floor(rand() * input);
        const written = Math.floor(rand() * (input - cached));
        const billed = usage(input - cached - written, Math.floor(rand() * (maxOut + 1)), cached, written);
        ledger.record({ agent: 'builder', stage: 'building', usage: billed, price: SONNET }, check.ticket);
        expect(ledger.spentUsd).toBeLessThanOrEqual(budget);
      }
      expect(refusals).toBeGreaterThan(0);
    }
  });

  it('rejects projections that are not token counts', () => {
    expect(() => new BudgetLedger({ budgetUsd: 1 }).checkBeforeCall(sonnetCall(-5, 10))).toThrow(RangeError);
  });
});

describe('setBudget and extend', () => {
  it('extends an existing budget', () => {
    const ledger = new BudgetLedger({ budgetUsd: 2 });
    ledger.extend(0.5);
    expect(ledger.budgetUsd).toBe(2.5);
  });

  it('cannot extend when there is no budget', () => {
    expect(() => new BudgetLedger().extend(5)).toThrow(/no budget to extend/);
  });

  it('a budget set below what is spent stops further calls', () => {
    const ledger = new BudgetLedger({ budgetUsd: 5 });
    ledger.record({ agent: 'planner', stage: 'planning', usage: usage(1_000_000, 0), price: SONNET }); // $3
    ledger.setBudget(2);
    expect(ledger.snapshot()).toMatchObject({ tier: 'exhausted', remainingUsd: 0 });
    expect(ledger.checkBeforeCall(sonnetCall(1, 1)).kind).toBe('refuse');
    ledger.setBudget(null);
    expect(ledger.checkBeforeCall(sonnetCall(1, 1)).kind).toBe('allow');
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2_000_000])('rejects a budget of %d', (usd) => {
    expect(() => new BudgetLedger().setBudget(usd)).toThrow(RangeError);
    expect(() => new BudgetLedger({ budgetUsd: 1 }).extend(usd)).toThrow(RangeError);
  });
});
