import { describe, expect, it } from 'vitest';
import { createActor, initialTransition, transition } from 'xstate';
import type { ArtifactEvidence } from '../../../src/core/pipeline/artifacts.js';
import { GATE_SPECS, GATES, type Gate } from '../../../src/core/pipeline/gates.js';
import { pipelineMachine, positionOf, type PipelineSnapshot } from '../../../src/core/pipeline/pipeline.machine.js';

const SHA = 'a'.repeat(64);

function validEvidence(gate: Gate): ArtifactEvidence[] {
  return GATE_SPECS[gate].artifacts.map((name) => ({ name, status: 'valid', sha256: SHA }));
}

/** A finished build, as HANDOFF.json says it once BUILD_REPORT.md is written (only !critic reads it). */
const FINISHED = { completedAt: '2026-01-01T00:00:00Z', unfinished: [] };

function start(): PipelineSnapshot {
  return initialTransition(pipelineMachine)[0];
}

function walkTo(gates: readonly Gate[]): PipelineSnapshot {
  let snapshot = start();
  for (const gate of gates) [snapshot] = transition(pipelineMachine, snapshot, { type: 'GATE', gate, evidence: validEvidence(gate), build: FINISHED });
  return snapshot;
}

describe('pipeline machine', () => {
  it('starts in discovery', () => {
    expect(positionOf(start())).toEqual({ stage: 'discovery', paused: false });
  });

  it('walks every gate in order when the artifacts validate', () => {
    const expected = ['planning', 'building', 'critique', 'security', 'verification'];
    let snapshot = start();
    GATES.forEach((gate, i) => {
      [snapshot] = transition(pipelineMachine, snapshot, { type: 'GATE', gate, evidence: validEvidence(gate), build: FINISHED });
      expect(positionOf(snapshot).stage).toBe(expected[i]);
    });
  });

  it.each([
    ['missing', [{ name: 'feature-spec.md', status: 'missing' }]],
    ['invalid', [{ name: 'feature-spec.md', status: 'invalid', sha256: SHA, problems: [{ message: 'missing the section "## Users"' }] }]],
    ['absent from the evidence', []],
  ] as const)('refuses !plan when the feature spec is %s', (_label, evidence) => {
    const [snapshot] = transition(pipelineMachine, start(), { type: 'GATE', gate: 'plan', evidence: evidence as readonly ArtifactEvidence[] });
    expect(positionOf(snapshot).stage).toBe('discovery');
  });

  it.each([
    ['without the build\'s evidence', undefined],
    ['while a task is BLOCKED', { completedAt: '2026-01-01T00:00:00Z', unfinished: [{ id: 'TASK-002', status: 'BLOCKED' }] }],
    ['before the build completed', { unfinished: [] }],
  ] as const)('refuses !critic with a valid BUILD_REPORT.md %s', (_label, build) => {
    const [snapshot] = transition(pipelineMachine, walkTo(['plan', 'build']), { type: 'GATE', gate: 'critic', evidence: validEvidence('critic'), ...(build ? { build } : {}) });
    expect(positionOf(snapshot).stage).toBe('building');
  });

  it('ignores a gate that does not leave the current stage, even with valid evidence', () => {
    const [snapshot] = transition(pipelineMachine, start(), { type: 'GATE', gate: 'build', evidence: validEvidence('build') });
    expect(positionOf(snapshot).stage).toBe('discovery');
  });

  it('pauses and resumes in the stage it left', () => {
    const planning = walkTo(['plan']);
    const [paused] = transition(pipelineMachine, planning, { type: 'PAUSE' });
    expect(positionOf(paused)).toEqual({ stage: 'planning', paused: true });
    const [gateWhilePaused] = transition(pipelineMachine, paused, { type: 'GATE', gate: 'build', evidence: validEvidence('build') });
    expect(positionOf(gateWhilePaused)).toEqual({ stage: 'planning', paused: true });
    const [resumed] = transition(pipelineMachine, paused, { type: 'RESUME' });
    expect(positionOf(resumed)).toEqual({ stage: 'planning', paused: false });
  });

  it('resets to discovery from any stage, paused or not', () => {
    const [fromSecurity] = transition(pipelineMachine, walkTo(['plan', 'build', 'critic', 'security']), { type: 'RESET' });
    expect(positionOf(fromSecurity)).toEqual({ stage: 'discovery', paused: false });
    const [paused] = transition(pipelineMachine, walkTo(['plan']), { type: 'PAUSE' });
    const [fromPaused] = transition(pipelineMachine, paused, { type: 'RESET' });
    expect(positionOf(fromPaused)).toEqual({ stage: 'discovery', paused: false });
  });

  it('routes a shipped project to maintenance', () => {
    const [snapshot] = transition(pipelineMachine, walkTo(['plan']), { type: 'ROUTE_MAINTENANCE' });
    expect(positionOf(snapshot).stage).toBe('maintenance');
  });

  it('survives persistence: a restored paused actor resumes where it paused', () => {
    const actor = createActor(pipelineMachine).start();
    actor.send({ type: 'GATE', gate: 'plan', evidence: validEvidence('plan') });
    actor.send({ type: 'GATE', gate: 'build', evidence: validEvidence('build') });
    actor.send({ type: 'PAUSE' });
    const persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    actor.stop();
    const restored = createActor(pipelineMachine, { snapshot: persisted }).start();
    expect(positionOf(restored.getSnapshot())).toEqual({ stage: 'building', paused: true });
    restored.send({ type: 'RESUME' });
    expect(positionOf(restored.getSnapshot())).toEqual({ stage: 'building', paused: false });
  });
});
