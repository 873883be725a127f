import type { Stage } from '../pipeline/stages.js';

/** A phrase that sounds like the person wants a gate, and the command that would do it. */
interface Hint {
  readonly phrases: readonly RegExp[];
  readonly command: string;
  readonly does: string;
  /** Stages where the hint makes sense; elsewhere the phrase is just conversation. */
  readonly stages: readonly Stage[];
}

const HINTS: readonly Hint[] = [
  {
    phrases: [/\blooks? good\b/, /\bthat looks right\b/, /\bhappy with (this|that|it)\b/, /\blet'?s plan\b/, /\bstart planning\b/],
    command: '!plan',
    does: 'start the Planner',
    stages: ['discovery'],
  },
  {
    phrases: [/\blet'?s build\b/, /\bstart building\b/, /\bgo ahead and build\b/, /\blooks? good\b/, /\bbuild it\b/],
    command: '!build',
    does: 'start the Builder',
    stages: ['planning'],
  },
  {
    phrases: [/\bcritique\b/, /\breview (it|the product)\b/, /\blooks? good\b/],
    command: '!critic',
    does: 'start the Critic',
    stages: ['building'],
  },
  {
    phrases: [/\bcheck security\b/, /\bsecurity review\b/, /\brun the security\b/, /\bis it secure\b/],
    command: '!security',
    does: 'start the Security review',
    stages: ['critique', 'building'],
  },
  {
    phrases: [/\bready to ship\b/, /\blooks shippable\b/, /\bwe'?re done\b/, /\bship it\b/],
    command: '!verify',
    does: 'start the Verifier',
    stages: ['security', 'critique', 'building'],
  },
];

/**
 * Natural language never moves the pipeline; this only finds the command the person may
 * mean, so the transcript can say "type !build to start the Builder".
 */
export function suggestGate(text: string, stage: Stage): { command: string; message: string } | undefined {
  const lower = text.toLowerCase();
  for (const hint of HINTS) {
    if (!hint.stages.includes(stage)) continue;
    if (hint.phrases.some((p) => p.test(lower))) {
      return {
        command: hint.command,
        message: `It sounds like you are ready to move on: type ${hint.command} to ${hint.does}. Nothing moves until you do.`,
      };
    }
  }
  return undefined;
}
