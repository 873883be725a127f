import { describe, expect, it } from 'vitest';
import { MergeQueue } from '../../../src/core/build/merge-queue.js';

/* Where a worktree task may start while others wait to land, and the order they land in. */

const sha = (n: number) => String(n).padStart(40, 'a');

describe('MergeQueue', () => {
  it('lets a task land only after every task dispatched before it has left the queue', async () => {
    const queue = new MergeQueue();
    const first = queue.enter('TASK-001', { kind: 'head' });
    const second = queue.enter('TASK-002', { kind: 'head' });
    const order: string[] = [];
    const turns = [second.before.then(() => order.push('TASK-002')), first.before.then(() => order.push('TASK-001'))];
    queue.done(second, sha(2));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['TASK-001']); // TASK-001's turn came at once; TASK-002 waits for it
    queue.leave(first);
    await Promise.all(turns);
    expect(order).toEqual(['TASK-001', 'TASK-002']);
  });

  it('places a dependent from HEAD, stacked on a finished task waiting behind others, or not yet', () => {
    const queue = new MergeQueue();
    const a = queue.enter('TASK-001', { kind: 'head' }); // the head: its turn has come
    const b = queue.enter('TASK-002', { kind: 'head' });
    const c = queue.enter('TASK-003', { kind: 'head' });
    expect(queue.placementFor([])).toEqual({ kind: 'head' });
    queue.done(b, sha(2));
    queue.done(c, sha(3));
    expect(queue.placementFor(['TASK-002'])).toEqual({ kind: 'stack', on: 'TASK-002', sha: sha(2) });
    // Two waiting tasks on different branches: no one branch holds both.
    expect(queue.placementFor(['TASK-002', 'TASK-003'])).toBeUndefined();
    // Stacked on TASK-002, a branch holds both.
    const d = queue.enter('TASK-004', { kind: 'stack', on: 'TASK-002', sha: sha(2) });
    queue.done(d, sha(4));
    expect(queue.placementFor(['TASK-002', 'TASK-004'])).toEqual({ kind: 'stack', on: 'TASK-004', sha: sha(4) });
    // The head's own dependents wait for its merge, which comes now.
    queue.done(a, sha(1));
    expect(queue.placementFor(['TASK-001'])).toBeUndefined();
    expect(queue.baseLanded(d)).toBe(false);
    queue.landed(a);
    queue.leave(a);
    queue.landed(b);
    expect(queue.baseLanded(d)).toBe(true);
  });

  it('does not stack on a branch that lacks a dependency landed after that branch began', () => {
    const queue = new MergeQueue();
    const slow = queue.enter('TASK-008', { kind: 'head' });
    const e = queue.enter('TASK-005', { kind: 'head' });
    const slower = queue.enter('TASK-009', { kind: 'head' }); // still at work: TASK-002 waits behind it
    const b = queue.enter('TASK-002', { kind: 'head' }); // its branch starts before TASK-005 lands
    queue.done(b, sha(2));
    queue.leave(slow);
    queue.landed(e);
    queue.leave(e);
    expect(queue.placementFor(['TASK-002', 'TASK-005'])).toBeUndefined();
    expect(queue.placementFor(['TASK-002'])).toEqual({ kind: 'stack', on: 'TASK-002', sha: sha(2) });
    queue.leave(slower);
  });
});
