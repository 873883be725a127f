import { describe, expect, it } from 'vitest';
import { criticalPathLength, makespanLowerBound, simulateBuild, totalWork } from '../../../src/core/build/simulate-build.js';
import type { Task } from '../../../src/core/task-graph/task.js';
import { validateTaskGraph } from '../../../src/core/task-graph/validate-task-graph.js';
import { graph, id, random, task } from '../task-graph/graph-fixtures.js';

const SIZE_MINUTES = { S: 10, M: 25, L: 60, XL: 120 } as const;
const bySize = (t: Task) => SIZE_MINUTES[t.size];

describe('simulateBuild', () => {
  const g = graph(
    task('TASK-001', { size: 'L' }),
    task('TASK-002', { size: 'S' }),
    task('TASK-003', { size: 'S', depends_on: ['TASK-002'] }),
    task('TASK-004', { size: 'M', depends_on: ['TASK-001', 'TASK-003'] }),
  );

  it.each([
    [1, 105, [['TASK-001', 0, 0, 60], ['TASK-002', 0, 60, 70], ['TASK-003', 0, 70, 80], ['TASK-004', 0, 80, 105]]],
    [2, 85, [['TASK-001', 0, 0, 60], ['TASK-002', 1, 0, 10], ['TASK-003', 1, 10, 20], ['TASK-004', 0, 60, 85]]],
    [4, 85, [['TASK-001', 0, 0, 60], ['TASK-002', 1, 0, 10], ['TASK-003', 1, 10, 20], ['TASK-004', 0, 60, 85]]],
  ] as const)('%d worker(s): makespan %d and the timeline', (workers, makespan, rows) => {
    const sim = simulateBuild(g, { workers, durationOf: bySize });
    expect(sim.makespan).toBe(makespan);
    expect(sim.timeline.map((t) => [t.taskId, t.worker, t.start, t.end])).toEqual(rows);
    expect(sim.unscheduled).toEqual([]);
  });

  it('skips DONE tasks, leaves BLOCKED ones and their dependents unscheduled', () => {
    const h = graph(task('TASK-001', { status: 'DONE' }), task('TASK-002', { depends_on: ['TASK-001'] }), task('TASK-003', { status: 'BLOCKED' }), task('TASK-004', { depends_on: ['TASK-003'] }));
    const sim = simulateBuild(h, { workers: 2, durationOf: () => 5 });
    expect(sim.timeline.map((t) => t.taskId)).toEqual(['TASK-002']);
    expect(sim.unscheduled).toEqual(['TASK-003', 'TASK-004']);
    expect(sim.makespan).toBe(5);
  });

  it('terminates on a cycle and reports it', () => {
    const h = graph(task('TASK-001', { depends_on: ['TASK-002'] }), task('TASK-002', { depends_on: ['TASK-001'] }), task('TASK-003'));
    expect(simulateBuild(h, { workers: 2, durationOf: () => 1 })).toMatchObject({ makespan: 1, unscheduled: ['TASK-001', 'TASK-002'] });
  });

  it('runs skipped tasks not at all, their dependents regardless', () => {
    const sim = simulateBuild(g, { workers: 1, durationOf: bySize, skipped: new Set(['TASK-001']) });
    expect(sim.timeline.map((t) => t.taskId)).toEqual(['TASK-002', 'TASK-003', 'TASK-004']);
  });

  it.each([0, 1.5])('refuses %d workers', (workers) => {
    expect(() => simulateBuild(g, { workers, durationOf: bySize })).toThrow(RangeError);
  });

  it('on random valid graphs: never breaks a dependency, never overlaps a file, never exceeds the workers, meets the bounds', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rand = random(seed);
      const count = 10 + Math.floor(rand() * 40);
      const tasks: Task[] = [];
      let lastShared: string | undefined;
      for (let n = 1; n <= count; n++) {
        const deps = new Set<string>();
        for (let k = Math.floor(rand() * 3); k > 0 && n > 1; k--) deps.add(id(1 + Math.floor(rand() * (n - 1))));
        const files = [`src/m${n}.ts`];
        if (rand() < 0.2) {
          files.push('src/shared.ts');
          if (lastShared) deps.add(lastShared);
          lastShared = id(n);
        }
        tasks.push(task(id(n), { depends_on: [...deps], output_files: files, size: (['S', 'M', 'L', 'XL'] as const)[Math.floor(rand() * 4)]! }));
      }
      const h = graph(...tasks);
      expect(validateTaskGraph(h)).toEqual([]);
      for (const workers of [1, 2, 3, 4]) {
        const sim = simulateBuild(h, { workers, durationOf: bySize });
        const at = new Map(sim.timeline.map((t) => [t.taskId, t]));
        const files = new Map(h.tasks.map((t) => [t.id, t.output_files]));
        const broken: string[] = [];
        for (const t of h.tasks) {
          for (const d of t.depends_on) if (at.get(t.id)!.start < at.get(d)!.end) broken.push(`seed ${seed}: ${t.id} started before ${d} ended`);
        }
        for (const a of sim.timeline) {
          // Everything running at the moment a starts.
          const active = sim.timeline.filter((b) => b.start <= a.start && a.start < b.end);
          const written = active.flatMap((b) => files.get(b.taskId)!);
          if (active.length > workers) broken.push(`seed ${seed}: ${active.length} tasks at ${a.start} on ${workers} workers`);
          if (new Set(active.map((b) => b.worker)).size !== active.length) broken.push(`seed ${seed}: a worker runs two tasks at ${a.start}`);
          if (new Set(written).size !== written.length) broken.push(`seed ${seed}: a file written twice at ${a.start}`);
        }
        expect(broken).toEqual([]);
        expect(sim.unscheduled).toEqual([]);
        expect(at.size).toBe(count);
        expect(sim.makespan).toBeGreaterThanOrEqual(makespanLowerBound(h, workers, bySize) - 1e-9);
        if (workers === 1) expect(sim.makespan).toBe(totalWork(h, bySize));
      }
    }
  });
});

describe('lower bound', () => {
  const g = graph(task('TASK-001', { size: 'XL' }), task('TASK-002', { size: 'S' }), task('TASK-003', { size: 'S', depends_on: ['TASK-002'] }), task('TASK-004', { size: 'S', status: 'DONE' }));
  it.each([
    [1, 140],
    [2, 120],
    [8, 120],
  ])('%d workers → max(critical path 120, work 140 / workers) = %d', (workers, bound) => {
    expect(criticalPathLength(g, bySize)).toBe(120);
    expect(totalWork(g, bySize)).toBe(140);
    expect(makespanLowerBound(g, workers, bySize)).toBe(bound);
  });

  it('leaves cycles out of the critical path', () => {
    const h = graph(task('TASK-001', { depends_on: ['TASK-002'] }), task('TASK-002', { depends_on: ['TASK-001'] }), task('TASK-003', { size: 'L' }));
    expect(criticalPathLength(h, bySize)).toBe(60);
  });
});
