import { PROMPT_PLACEHOLDER, greetingText } from './greeting.js';

/** Removes what `paintEarly` drew, just before Ink draws the same screen for real. */
export type EraseEarlyPaint = () => void;

const ESC = '\u001b[';

/**
 * Draws the REPL's first screen (greeting, status bar, prompt) with plain escape codes the
 * moment the CLI starts, so the person sees the prompt while Ink, React and Yoga load.
 * The terminal goes to raw mode at once, so keys typed meanwhile are neither echoed nor lost:
 * they wait in the terminal's buffer until Ink reads them.
 */
export function paintEarly(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream, version: string, color: boolean): EraseEarlyPaint {
  const columns = Math.max(20, stdout.columns || 80);
  const paint = (code: string, text: string) => (color ? `${ESC}${code}m${text}${ESC}0m` : text);
  const gray = (text: string) => paint('90', text);
  const lines = [
    greetingText(version),
    '',
    gray('─'.repeat(columns)),
    ` ${paint('36', 'no project')}${gray(' │ ')}—${gray(' │ ')}Orchestrator (agent 0)${gray(' │ ')}${gray('budget: not set')}`,
  ];
  const prompt = ` ${paint('36', '›')} ${color ? `${ESC}7m${PROMPT_PLACEHOLDER[0]}${ESC}27m${gray(PROMPT_PLACEHOLDER.slice(1))}` : PROMPT_PLACEHOLDER}`;
  if (stdin.isTTY) stdin.setRawMode(true);
  stdout.write(`${lines.join('\n')}\n${prompt}`);
  // Rows taken by the lines above the prompt, wrapped at the terminal's width.
  const visible = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '').length;
  const rowsAbove = lines.reduce((rows, line) => rows + Math.max(1, Math.ceil(visible(line) / columns)), 0);
  let erased = false;
  return () => {
    if (erased) return;
    erased = true;
    stdout.write(`\r${ESC}${rowsAbove}A${ESC}J`);
  };
}
