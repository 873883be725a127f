import { describe, expect, it } from 'vitest';
import { forecast, formatTokens, renderForecast } from '../../../src/core/task-graph/forecast.js';
import { SIZE_ESTIMATES } from '../../../src/core/task-graph/task.js';
import { graph, task } from './graph-fixtures.js';

const sonnet = { inputPerMTok: 3, outputPerMTok: 15 };

describe('forecast', () => {
  it('adds the size estimates of every task not DONE and prices them', () => {
    const g = graph(
      task('TASK-001', { size: 'S', status: 'DONE' }),
      task('TASK-002', { size: 'S' }),
      task('TASK-003', { size: 'M', status: 'STALE' }),
      task('TASK-004', { size: 'M' }),
      task('TASK-005', { size: 'L', status: 'BLOCKED' }),
      task('TASK-006', { size: 'XL', status: 'IN-PROGRESS' }),
    );
    const f = forecast(g, sonnet);
    // S 40k/4k, M 120k/12k (x2), L 300k/30k, XL 700k/60k
    expect(f).toEqual({
      taskCount: 5,
      doneCount: 1,
      bySize: { S: 1, M: 2, L: 1, XL: 1 },
      inputTokens: 40_000 + 2 * 120_000 + 300_000 + 700_000,
      outputTokens: 4_000 + 2 * 12_000 + 30_000 + 60_000,
      usd: (1_280_000 * 3 + 118_000 * 15) / 1_000_000,
    });
    expect(f.usd).toBeCloseTo(5.61, 10);
  });

  it('takes another size table and another price', () => {
    const sizes = { ...SIZE_ESTIMATES, M: { inputTokens: 1_000_000, outputTokens: 100_000, meaning: 'measured' } };
    const f = forecast(graph(task('TASK-001'), task('TASK-002')), { inputPerMTok: 0.8, outputPerMTok: 4 }, sizes);
    expect(f.inputTokens).toBe(2_000_000);
    expect(f.outputTokens).toBe(200_000);
    expect(f.usd).toBeCloseTo(2 * 0.8 + 0.2 * 4, 10);
  });

  it('costs nothing when every task is done or there are none', () => {
    expect(forecast(graph(task('TASK-001', { status: 'DONE' })), sonnet)).toMatchObject({ taskCount: 0, doneCount: 1, inputTokens: 0, usd: 0 });
    expect(forecast(graph(), sonnet).usd).toBe(0);
  });

  it('renders the lines shown before !build is confirmed', () => {
    const g = graph(task('TASK-001', { size: 'S', status: 'DONE' }), task('TASK-002', { size: 'S' }), task('TASK-003', { size: 'L' }));
    expect(renderForecast(forecast(g, sonnet), sonnet).split('\n').slice(0, 2)).toEqual([
      '2 tasks to build (1 S, 1 L) · 1 already DONE',
      'estimated 340k input + 34k output tokens ≈ $1.53 at $3/$15 per million tokens',
    ]);
    expect(formatTokens(1_250_000)).toBe('1.3M');
    expect(formatTokens(2_000_000)).toBe('2M');
    expect(formatTokens(999)).toBe('999');
  });

  it('says what caps the real spend: no budget, enough left, or less left than the estimate', () => {
    const f = forecast(graph(task('TASK-001', { size: 'L' })), sonnet);
    const last = (budget?: { budgetUsd: number | null; remainingUsd: number | null }) => renderForecast(f, sonnet, budget).split('\n').at(-1);
    const none = 'The estimate comes from the task sizes, not from a measurement. No budget is set, so nothing caps the spend: type !budget set N (US dollars) first to set one.';
    expect(last()).toBe(none);
    expect(last({ budgetUsd: null, remainingUsd: null })).toBe(none);
    expect(last({ budgetUsd: 10, remainingUsd: 7.5 })).toBe(
      'The estimate comes from the task sizes, not from a measurement. $7.50 of the $10.00 budget is left; no call is sent that would cross it.',
    );
    expect(f.usd).toBeGreaterThan(0.5);
    expect(last({ budgetUsd: 5, remainingUsd: 0.5 })).toBe(
      'The estimate comes from the task sizes, not from a measurement. $0.50 of the $5.00 budget is left, less than the estimate: the build stops when it runs out, until !budget extend N.',
    );
  });
});
