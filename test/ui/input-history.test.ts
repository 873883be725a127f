import { describe, expect, it } from 'vitest';
import { InputHistory } from '../../src/ui/input-history.js';

describe('InputHistory', () => {
  it('walks back and forth like a shell, restoring the draft', () => {
    const history = new InputHistory();
    history.push('Start agent 0');
    history.push('!status');
    expect(history.up('!pl')).toBe('!status');
    expect(history.up('!status')).toBe('Start agent 0');
    expect(history.up('Start agent 0')).toBe('Start agent 0');
    expect(history.down()).toBe('!status');
    expect(history.down()).toBe('!pl');
  });

  it('skips blanks and immediate repeats', () => {
    const history = new InputHistory();
    history.push('!help');
    history.push('!help');
    history.push('   ');
    expect(history.up('')).toBe('!help');
    expect(history.up('!help')).toBe('!help');
  });
});
