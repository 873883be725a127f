import { describe, expect, it } from 'vitest';
import { contextFileSchema } from '../../../src/core/context/context.schema.js';
import { handoffSchema } from '../../../src/core/handoff/handoff.schema.js';
import { newHandoff } from '../../../src/core/session/open-project.js';
import { zodProblems } from '../../../src/core/validation.js';

const project = { id: 'todo-abc123', name: 'todo', path: '/tmp/todo', platform: 'Web', brief: 'A todo app', createdAt: '2026-01-01T00:00:00.000Z' };

describe('HANDOFF.json schema', () => {
  it('accepts what a new project writes, after a JSON round trip', () => {
    const { handoff, actor } = newHandoff(project, '2026-01-01T00:00:00.000Z');
    actor.stop();
    expect(handoffSchema.parse(JSON.parse(JSON.stringify(handoff)))).toEqual(handoff);
  });

  it('names the field that is wrong', () => {
    const { handoff, actor } = newHandoff(project, '2026-01-01T00:00:00.000Z');
    actor.stop();
    const broken = { ...handoff, stage: 'launching', approvals: [{ gate: 'plan', at: 'x', artifacts: [{ name: 'f', sha256: 'nothex' }] }] };
    const result = handoffSchema.safeParse(broken);
    expect(result.success).toBe(false);
    if (result.success) return;
    const fields = zodProblems('HANDOFF.json', result.error).map((p) => p.field);
    expect(fields).toContain('stage');
    expect(fields).toContain('approvals.0.artifacts.0.sha256');
  });

  it('reads a build section written with the dropped acceptedBlocked list, and does not write it back', () => {
    const { handoff, actor } = newHandoff(project, '2026-01-01T00:00:00.000Z');
    actor.stop();
    const parsed = handoffSchema.parse({ ...handoff, build: { autonomy: 'end_only', decisions: [], acceptedBlocked: [], branch: 'main' } });
    expect(parsed.build).toEqual({ autonomy: 'end_only', decisions: [], branch: 'main' });
    expect(JSON.stringify(parsed)).not.toContain('acceptedBlocked');
  });

  it('rejects unknown top-level fields (the shape is ours)', () => {
    const { handoff, actor } = newHandoff(project, '2026-01-01T00:00:00.000Z');
    actor.stop();
    expect(handoffSchema.safeParse({ ...handoff, extra: 1 }).success).toBe(false);
  });
});

describe('config/context.json schema', () => {
  it('fills defaults for a minimal file written by SETUP', () => {
    const parsed = contextFileSchema.parse({ _setup_complete: true, registered_projects: [] });
    expect(parsed.design_contract.status).toBe('inactive');
    expect(parsed.context_backends.coordination).toContain('HANDOFF');
  });

  it('reports a bad registered project by index and field', () => {
    const result = contextFileSchema.safeParse({
      _setup_complete: true,
      registered_projects: [{ id: 'a', name: 'a', path: '/a', stage: 'flying', last_active_agent: 'x', updated: 'now' }],
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(zodProblems('config/context.json', result.error)[0]?.field).toBe('registered_projects.0.stage');
  });
});
