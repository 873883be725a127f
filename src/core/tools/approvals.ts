import type { ApprovalDecision, ApprovalRequest, ApproveFn } from './types.js';

/**
 * How "always" is remembered. Tools never remember anything: a tool that gets 'always'
 * treats it as 'yes'. The caller (the composition root) wraps the UI's ask port once per
 * session with `createSessionApprover` and passes `approver.approve` as `ToolContext.approve`.
 * After the person answers 'always', the same kind of action on the same exact target
 * (`approvalKey`: the exact command line, or the exact project-relative path) is approved
 * without asking again until the session ends (or `forget()` is called). Nothing is
 * written to disk, so a new session asks again.
 */
export interface SessionApprover {
  approve: ApproveFn;
  /** Keys approved with 'always' so far, for a "/permissions" style view. */
  remembered(): string[];
  /** Drops every remembered 'always'. */
  forget(): void;
}

/**
 * The identity of an action for 'always'. Deliberately exact: approving `npm test`
 * does not approve `npm test; rm -rf src`, and approving a write to `a.ts` does not
 * approve `b.ts`.
 */
export function approvalKey(request: ApprovalRequest): string {
  return `${request.kind}:${request.action}`;
}

/** Wraps an ask port so that 'always' answers are remembered for this session. */
export function createSessionApprover(ask: ApproveFn): SessionApprover {
  const always = new Set<string>();
  return {
    async approve(request: ApprovalRequest): Promise<ApprovalDecision> {
      const key = approvalKey(request);
      if (always.has(key)) return 'yes';
      const decision = await ask(request);
      if (decision === 'always') always.add(key);
      return decision;
    },
    remembered: () => [...always],
    forget: () => always.clear(),
  };
}

/** What the person is asked before an action the policy wants a person to decide; `who` names the asker. */
export function approvalQuestion(who: string, request: ApprovalRequest): string {
  const detail = request.detail ? `\n${request.detail}` : '';
  return `${who} asks to ${request.kind}: ${request.action}\n${request.reason}${detail}\nAllow? (y = yes, n = no, a = always for this session)`;
}

/** The person's answer to an approval question; undefined when it is none of y/n/a. */
export function parseApprovalAnswer(text: string): ApprovalDecision | undefined {
  const answer = text.trim().toLowerCase();
  if (answer === 'y' || answer === 'yes') return 'yes';
  if (answer === 'n' || answer === 'no') return 'no';
  if (answer === 'a' || answer === 'always') return 'always';
  return undefined;
}

/** Said when the answer was none of them. */
export const APPROVAL_ANSWER_HINT = 'Answer y (yes), n (no) or a (always for this session).';
