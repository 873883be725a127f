import type { AgentOutcome } from '../../src/core/agent/agent-types.js';
import type { ReportStatusInput } from '../../src/core/agent/structured-tools.js';
import type { ChatMessage } from '../../src/core/provider/types.js';

/** A Builder run that ended with report_status, as the agent loop returns it (the call and its result appended). */
export function finishedWithReport(messages: readonly ChatMessage[], report: Partial<ReportStatusInput> = {}, id = 'rs1'): AgentOutcome {
  const input = { status: 'DONE', summary: 'Implemented sum.', ...report };
  return {
    kind: 'finished',
    tool: 'report_status',
    toolUseId: id,
    input,
    messages: [
      ...messages,
      { role: 'assistant', content: [{ type: 'tool_use', id, name: 'report_status', input }] },
      { role: 'user', content: [{ type: 'tool_result', toolUseId: id, content: 'Reported.', isError: false }] },
    ],
  };
}
