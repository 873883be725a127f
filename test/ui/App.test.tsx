import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import { StatusBar } from '../../src/ui/StatusBar.js';
import { EntryView } from '../../src/ui/EntryView.js';
import { LiveArea } from '../../src/ui/LiveArea.js';
import { makeTempHome, recordingSession, type TempHome } from '../support/temp-home.js';

let home: TempHome;
afterEach(async () => home?.cleanup());

const greeting = { id: 0, tone: 'info' as const, text: 'CodeSleuth test — type `Start agent 0`' };

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for the UI');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('App', () => {
  it('shows the greeting, the status bar and the prompt', async () => {
    home = await makeTempHome();
    const { session } = await recordingSession(home);
    const ui = render(<App session={session} greeting={greeting} />);
    const all = () => ui.frames.join('\n');
    await until(() => all().includes('no project'));
    expect(all()).toContain('type `Start agent 0`');
    expect(ui.lastFrame()).toContain('Orchestrator (agent 0)');
    expect(ui.lastFrame()).toContain('›');
    ui.unmount();
  });

  it('runs a typed line through the session and shows what it printed', async () => {
    home = await makeTempHome();
    const { session } = await recordingSession(home);
    const ui = render(<App session={session} greeting={greeting} />);
    const all = () => ui.frames.join('\n');
    await until(() => all().includes('›'));
    ui.stdin.write('!bild');
    await until(() => ui.lastFrame()!.includes('!bild'));
    ui.stdin.write('\r');
    await until(() => all().includes('Did you mean !build?'));
    ui.stdin.write('Start agent 0\r');
    await until(() => all().includes('1/3 What does the project do?'));
    await until(() => ui.lastFrame()!.includes('waiting for what the project does'));
    ui.unmount();
  });

  it('warns on the first Ctrl+C and leaves on the second', async () => {
    home = await makeTempHome();
    const { session } = await recordingSession(home);
    let savedAndLeft = false;
    const shutdown = session.shutdown.bind(session);
    session.shutdown = async () => {
      savedAndLeft = true;
      await shutdown();
    };
    const ui = render(<App session={session} greeting={greeting} />);
    await until(() => ui.frames.join('\n').includes('›'));
    ui.stdin.write('\u0003');
    await until(() => ui.lastFrame()!.includes('Ctrl+C again to exit'));
    expect(savedAndLeft).toBe(false);
    ui.stdin.write('\u0003');
    await until(() => savedAndLeft);
    ui.unmount();
  });
});

describe('StatusBar and EntryView', () => {
  it('show the project, stage, agent, budget and what is awaited', () => {
    const { lastFrame } = render(
      <StatusBar status={{ project: 'todo', stage: 'planning', agent: 'agent 2 (Planner)', budget: 'budget: not set', budgetTier: 'ok', waitingFor: 'yes to confirm' }} />,
    );
    for (const text of ['todo', 'planning', 'agent 2 (Planner)', 'budget: not set', 'waiting for yes to confirm']) expect(lastFrame()).toContain(text);
  });

  it('marks errors so they read as errors without colour', () => {
    const { lastFrame } = render(<EntryView entry={{ id: 1, tone: 'error', text: 'Unknown command !x' }} />);
    expect(lastFrame()).toContain('✗ Unknown command !x');
  });
});

describe('LiveArea', () => {
  const long = `TASK-001 IN-PROGRESS   ${'A very long task title '.repeat(6)}· 12 s — review: spec, round 1: read_file src/server.js`;

  it('keeps one line per task on the board, cut at the width with an ellipsis', () => {
    const ui = render(<LiveArea text={`Task board\n${long}\nTASK-002 PENDING       Short`} board />);
    const lines = ui.lastFrame()!.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]!.length).toBeLessThanOrEqual(100);
    expect(lines[1]!.trimEnd().endsWith('…')).toBe(true);
    expect(lines[2]).toContain('TASK-002 PENDING       Short');
    ui.unmount();
  });

  it('wraps streaming text so none of it is lost', () => {
    const ui = render(<LiveArea text={long} board={false} />);
    const frame = ui.lastFrame()!;
    expect(frame.split('\n').length).toBeGreaterThan(1);
    expect(frame.replace(/\s+/g, ' ')).toContain('read_file src/server.js');
    ui.unmount();
  });
});
