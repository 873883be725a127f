import { approvalKey } from '../tools/approvals.js';
import type { ApprovalDecision, ApprovalRequest } from '../tools/types.js';

/** A y/n/a question a running task put to the person. */
export interface AskedApproval {
  readonly taskId: string;
  readonly request: ApprovalRequest;
}

/** How the queue reaches the person. */
export interface ApprovalQueueHost {
  /** Puts `asked` on screen (and rings); `queued`: how many more wait behind it. */
  show(asked: AskedApproval, queued: number): void;
  /** The question on screen was withdrawn because its task stopped. */
  withdrawn(asked: AskedApproval): void;
}

interface Pending extends AskedApproval {
  readonly resolve: (decision: ApprovalDecision) => void;
  readonly detach: () => void;
  shown: boolean;
}

/**
 * The Builder's approval questions, first asked first shown, one on screen at a time: tasks
 * run in parallel and may ask at once, and each answer must reach the task that asked. A
 * task that stops (Ctrl+C, !pause, the patrol) takes its question back, answered 'no'.
 * Nothing is ever denied on a timeout. 'always' is remembered for the session, by the exact
 * action (`approvalKey`), and also answers the same action already queued by another task.
 */
export class ApprovalQueue {
  private readonly pending: Pending[] = [];
  private readonly always = new Set<string>();

  constructor(private readonly host: ApprovalQueueHost) {}

  /** Asks the person on behalf of `taskId`; `signal` is the task's: when it aborts, the question is withdrawn. */
  ask(taskId: string, request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> {
    if (this.always.has(approvalKey(request))) return Promise.resolve('yes');
    if (signal.aborted) return Promise.resolve('no');
    return new Promise((resolve) => {
      const onAbort = () => this.withdraw(item);
      const item: Pending = { taskId, request, resolve, shown: false, detach: () => signal.removeEventListener('abort', onAbort) };
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.push(item);
      this.showNext();
    });
  }

  /** The question on screen, if any. */
  current(): AskedApproval | undefined {
    const head = this.pending[0];
    return head?.shown ? { taskId: head.taskId, request: head.request } : undefined;
  }

  /** Questions waiting behind the one on screen. */
  queued(): number {
    return Math.max(0, this.pending.length - 1);
  }

  /** The person's answer to the question on screen; false when none is shown. */
  answer(decision: ApprovalDecision): boolean {
    const head = this.pending[0];
    if (!head?.shown) return false;
    this.pending.shift();
    head.detach();
    if (decision === 'always') {
      const key = approvalKey(head.request);
      this.always.add(key);
      for (const same of this.pending.filter((p) => approvalKey(p.request) === key)) this.remove(same, 'yes');
    }
    head.resolve(decision);
    this.showNext();
    return true;
  }

  /** Withdraws every question (the build stopped): each is answered 'no'. */
  withdrawAll(): void {
    for (const item of [...this.pending]) this.withdraw(item);
  }

  private withdraw(item: Pending): void {
    if (!this.pending.includes(item)) return;
    this.remove(item, 'no');
    if (!item.shown) return;
    this.host.withdrawn(item);
    // A stop aborts every task at once: show the next question only once the others had their say.
    queueMicrotask(() => this.showNext());
  }

  private remove(item: Pending, decision: ApprovalDecision): void {
    this.pending.splice(this.pending.indexOf(item), 1);
    item.detach();
    item.resolve(decision);
  }

  private showNext(): void {
    const head = this.pending[0];
    if (!head || head.shown) return;
    head.shown = true;
    this.host.show(head, this.pending.length - 1);
  }
}
