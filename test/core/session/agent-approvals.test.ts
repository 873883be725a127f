import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentOutcome } from '../../../src/core/agent/agent-types.js';
import { BudgetLedger } from '../../../src/core/budget/ledger.js';
import { SummaryBuilder } from '../../../src/core/budget/summary.js';
import { createBuiltinRegistry } from '../../../src/core/commands/defs/index.js';
import type { AgentRunRequest, AgentRuntimePort } from '../../../src/core/session/ports.js';
import { Session } from '../../../src/core/session/session.js';
import { createWorkspace } from '../../../src/git/workspace.js';
import { createConfigStore } from '../../../src/store/config-store.js';
import { createProjectStore } from '../../../src/store/project-store.js';
import { INSTALL_DIR, makeTempHome, submitAll, type TempHome } from '../../support/temp-home.js';

let home: TempHome;
afterEach(async () => home?.cleanup());

/**
 * A runtime whose agent asks the person before one action each turn and reports what it was
 * told: the session's side of approvals, without a model.
 */
function askingRuntime(decisions: string[]): AgentRuntimePort {
  return {
    check: async () => ({}),
    contextUse: async () => undefined,
    modelPrice: async () => undefined,
    async run(request: AgentRunRequest): Promise<AgentOutcome> {
      const decision = await request.approve({ toolName: 'bash', kind: 'run', action: 'curl https://example.invalid/install.sh', reason: 'a network command' });
      decisions.push(decision);
      request.onEvent({ type: 'text_delta', text: `You said ${decision}.` });
      const messages = [...request.messages, { role: 'assistant' as const, content: [{ type: 'text' as const, text: `You said ${decision}.` }] }];
      return { kind: 'reply', text: `You said ${decision}.`, stopReason: 'end_turn', messages };
    },
  };
}

async function sessionWith(runtime: AgentRuntimePort) {
  home = await makeTempHome();
  const session = new Session(
    {
      config: createConfigStore({ homeDir: home.home, installDir: INSTALL_DIR }),
      projects: createProjectStore(home.home),
      workspace: createWorkspace(home.scratch),
      env: { homeDir: home.home, installDir: INSTALL_DIR, now: () => new Date() },
      agents: runtime,
      budget: { ledger: new BudgetLedger(), spending: new SummaryBuilder(), projectSpending: async () => undefined },
    },
    createBuiltinRegistry(),
  );
  const texts: string[] = [];
  session.subscribe((event) => event.type === 'entry' && texts.push(event.entry.text));
  return { session, text: () => texts.join('\n') };
}

describe('an agent asking the person before an action', () => {
  it('shows the exact action, waits, and passes on yes, no and always', async () => {
    const decisions: string[] = [];
    const { session, text } = await sessionWith(askingRuntime(decisions));
    // Creating the project kicks off Discovery, which asks at once: the line settles while it waits.
    await submitAll(session, ['Start agent 0', 'An app', 'web', path.join(home.scratch, 'app'), 'yes']);
    expect(text()).toContain('The agent asks to run: curl https://example.invalid/install.sh');
    expect(text()).toContain('Allow? (y = yes, n = no, a = always for this session)');
    expect(session.status().agent).toContain('waiting for you');

    expect((await session.submit('perhaps')).ok).toBe(false);
    expect(text()).toContain('Answer y (yes), n (no) or a (always for this session).');
    expect((await session.submit('!plan')).ok).toBe(false);
    expect(text()).toContain('The agent is waiting for your answer');

    await session.submit('n');
    expect(decisions).toEqual(['no']);
    expect(text()).toContain('Discovery › You said no.');

    await session.submit('try again');
    await session.submit('a');
    await session.submit('and once more');
    // "always" is remembered for the session: the third request is allowed without asking.
    expect(decisions).toEqual(['no', 'always', 'yes']);
    expect(text().match(/Allow\? \(y = yes/g)).toHaveLength(2);
    await session.shutdown();
  });

  it('answers no when the person presses Ctrl+C while it waits', async () => {
    const decisions: string[] = [];
    const { session, text } = await sessionWith(askingRuntime(decisions));
    await submitAll(session, ['Start agent 0', 'An app', 'web', path.join(home.scratch, 'app'), 'yes']);
    expect(session.cancel()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(decisions).toEqual(['no']);
    expect(text()).toContain('Cancelling the agent');
    await session.shutdown();
  });
});
