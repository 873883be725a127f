import type { Position } from '../pipeline/pipeline.machine.js';
import { GATE_SPECS } from '../pipeline/gates.js';
import { STAGES, STAGE_INFO } from '../pipeline/stages.js';
import type { Segment } from '../transcript.js';

/**
 * Pure: the pipeline as a row of boxes joined by the gate commands, the current stage marked
 * with ▶ and brackets (readable without colour) and toned `accent` for the UI.
 */
export function renderPipeline(position: Position | undefined): Segment[] {
  const segments: Segment[] = [];
  const rows: Segment[][] = [];
  let row: Segment[] = [];
  STAGES.forEach((stage, index) => {
    const label = STAGE_INFO[stage].label;
    const current = position?.stage === stage;
    const box = current ? `▶[ ${label.toUpperCase()}${position?.paused ? ' (paused)' : ''} ]` : `( ${label} )`;
    row.push({ text: box, tone: current ? 'accent' : 'dim' });
    const gate = Object.values(GATE_SPECS).find((g) => g.from === stage);
    const next = STAGES[index + 1];
    if (next !== undefined) {
      row.push({ text: gate ? ` ─${gate.command}→ ` : stage === 'verification' ? ' ─ship→ ' : ' → ', tone: 'plain' });
    }
    // Three stages a row keeps the drawing inside 80 columns.
    if ((index + 1) % 3 === 0 && next !== undefined) {
      rows.push(row);
      row = [];
    }
  });
  rows.push(row);
  rows.forEach((r, i) => {
    if (i > 0) segments.push({ text: '\n  ' });
    segments.push(...r);
  });
  return segments;
}
