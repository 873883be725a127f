/** The first lines the REPL shows; shared by the early paint and the Ink app so they match. */
export function greetingText(version: string): string {
  return `CodeSleuth ${version} — type \`Start agent 0\` to start the Orchestrator, !help for commands, Ctrl+C twice to leave.`;
}

export const PROMPT_PLACEHOLDER = 'Start agent 0, a !command, or a message';
