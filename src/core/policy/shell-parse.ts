/**
 * A careful-enough POSIX shell splitter for the policy. It does not run or expand
 * anything; it finds every simple command a line would run so each can be judged:
 * segments split on `&&`, `||`, `;`, `|`, `&`, newlines and `( )`, plus the inner
 * source of `$(...)`, backticks and `<(...)` / `>(...)` for recursive assessment.
 * When unsure it errs towards more segments (stricter), never fewer.
 */

/** One shell word after quote removal. */
export interface ShellWord {
  /** Text with quotes removed; expansions are kept as written (`$HOME`, `$(...)`). */
  text: string;
  /** Contains a parameter, command or arithmetic expansion whose value we cannot know. */
  dynamic: boolean;
  /** Some part was quoted or escaped (so it is never a keyword or an assignment). */
  quoted: boolean;
}

/** A redirection such as `> out.txt`, `2>&1`, `<< EOF`. */
export interface Redirect {
  op: string;
  fd?: number;
  target: ShellWord;
}

/** One simple command. */
export interface ShellSegment {
  words: ShellWord[];
  redirects: Redirect[];
  /** Its standard output feeds the next segment (`|`). */
  pipesInto: boolean;
  /** Inner source of every command/process substitution in this segment, heredoc bodies included. */
  substitutions: string[];
}

export interface ParsedShell {
  segments: ShellSegment[];
  /** Set when the line cannot be split safely (unterminated quote or substitution). */
  error?: string;
}

interface WordBuilder {
  text: string;
  dynamic: boolean;
  quoted: boolean;
}

interface PendingHeredoc {
  delimiter: string;
  expand: boolean;
  stripTabs: boolean;
  segment: ShellSegment;
}

const REDIRECT_OPS = ['<<<', '<<-', '&>>', '>>', '>|', '>&', '<<', '<&', '<>', '&>', '>', '<'];

class ParseError extends Error {}

/** Splits a command line into simple commands. Never throws. */
export function parseShell(source: string): ParsedShell {
  try {
    return { segments: new Parser(source).parse() };
  } catch (error) {
    if (error instanceof ParseError) return { segments: [], error: error.message };
    throw error;
  }
}

class Parser {
  private i = 0;
  private readonly segments: ShellSegment[] = [];
  private segment: ShellSegment = newSegment();
  private word: WordBuilder | undefined;
  private pendingRedirect: { op: string; fd?: number } | undefined;
  private heredocs: PendingHeredoc[] = [];

  constructor(private readonly s: string) {}

  parse(): ShellSegment[] {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i] as string;
      const next = s[this.i + 1];
      if (c === '#' && this.word === undefined) {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else if (c === ' ' || c === '\t' || c === '\r') {
        this.finishWord();
        this.i++;
      } else if (c === '\n') {
        this.finishSegment(false);
        this.i++;
        this.readHeredocBodies();
      } else if (c === ';' || c === '(' || c === ')') {
        this.finishSegment(false);
        this.i++;
      } else if (c === '&' && next === '&') {
        this.finishSegment(false);
        this.i += 2;
      } else if (c === '|' && next === '|') {
        this.finishSegment(false);
        this.i += 2;
      } else if (c === '|') {
        this.finishSegment(true);
        this.i += next === '&' ? 2 : 1;
      } else if ((c === '<' || c === '>') && next === '(') {
        const inner = this.readBalanced(this.i + 1);
        this.segment.substitutions.push(inner.text);
        this.append(this.s.slice(this.i, inner.end), true, true);
        this.i = inner.end;
      } else if (c === '<' || c === '>' || (c === '&' && next === '>')) {
        this.startRedirect();
      } else if (c === '&') {
        this.finishSegment(false);
        this.i++;
      } else {
        this.readWordPart();
      }
    }
    this.finishSegment(false);
    if (this.heredocs.length > 0) this.readHeredocBodies();
    return this.segments;
  }

  private readWordPart(): void {
    const s = this.s;
    const c = s[this.i] as string;
    if (c === '\\') {
      if (s[this.i + 1] === '\n') {
        this.i += 2;
        return;
      }
      this.append(s[this.i + 1] ?? '', false, true);
      this.i += 2;
    } else if (c === "'") {
      const end = s.indexOf("'", this.i + 1);
      if (end === -1) throw new ParseError('unterminated single quote');
      this.append(s.slice(this.i + 1, end), false, true);
      this.i = end + 1;
    } else if (c === '"') {
      this.readDoubleQuoted();
    } else if (c === '`') {
      this.readBacktick();
    } else if (c === '$') {
      this.readDollar();
    } else {
      this.append(c, false, false);
      this.i++;
    }
  }

  private readDoubleQuoted(): void {
    const s = this.s;
    this.i++;
    let text = '';
    let dynamic = false;
    while (this.i < s.length && s[this.i] !== '"') {
      const c = s[this.i] as string;
      if (c === '\\' && '$`"\\\n'.includes(s[this.i + 1] ?? '')) {
        if (s[this.i + 1] !== '\n') text += s[this.i + 1];
        this.i += 2;
      } else if (c === '`') {
        const start = this.i;
        this.readBacktick(false);
        text += s.slice(start, this.i);
        dynamic = true;
      } else if (c === '$') {
        const start = this.i;
        if (this.readDollar(false)) dynamic = true;
        text += s.slice(start, this.i);
      } else {
        text += c;
        this.i++;
      }
    }
    if (this.i >= s.length) throw new ParseError('unterminated double quote');
    this.i++;
    this.append(text, dynamic, true);
  }

  private readBacktick(appendToWord = true): void {
    const s = this.s;
    let j = this.i + 1;
    let inner = '';
    while (j < s.length && s[j] !== '`') {
      if (s[j] === '\\' && j + 1 < s.length) {
        inner += s[j + 1];
        j += 2;
      } else {
        inner += s[j];
        j++;
      }
    }
    if (j >= s.length) throw new ParseError('unterminated backtick');
    this.segment.substitutions.push(inner);
    if (appendToWord) this.append(s.slice(this.i, j + 1), true, false);
    this.i = j + 1;
  }

  /** Reads an expansion starting at `$`; returns whether it was dynamic. */
  private readDollar(appendToWord = true): boolean {
    const s = this.s;
    const start = this.i;
    const next = s[this.i + 1] ?? '';
    let dynamic = true;
    if (next === '(') {
      const inner = this.readBalanced(this.i + 1);
      // `$((...))` is arithmetic; anything else is a command substitution.
      const arithmetic = s[this.i + 2] === '(';
      const text = arithmetic ? inner.text.slice(1, -1) : inner.text;
      if (!arithmetic || /\$\(|`/.test(text)) this.segment.substitutions.push(text);
      this.i = inner.end;
    } else if (next === '{') {
      const close = this.findBraceEnd(this.i + 1);
      const inner = s.slice(this.i + 2, close);
      if (/\$\(|`/.test(inner)) this.segment.substitutions.push(inner);
      this.i = close + 1;
    } else if (/[A-Za-z_]/.test(next)) {
      this.i++;
      while (this.i < s.length && /[A-Za-z0-9_]/.test(s[this.i] as string)) this.i++;
    } else if (/[0-9@*#?$!-]/.test(next)) {
      this.i += 2;
    } else if (next === "'" && appendToWord) {
      // $'...' ANSI-C quoting: a literal with backslash escapes.
      let j = this.i + 2;
      while (j < s.length && s[j] !== "'") j += s[j] === '\\' ? 2 : 1;
      if (j >= s.length) throw new ParseError('unterminated $\'...\' quote');
      this.append(s.slice(this.i + 2, j), false, true);
      this.i = j + 1;
      return false;
    } else {
      dynamic = false;
      this.i++;
    }
    if (appendToWord) this.append(s.slice(start, this.i), dynamic, false);
    return dynamic;
  }

  /** From an opening '(' at `open`, the text inside the balanced pair and the index after it. */
  private readBalanced(open: number): { text: string; end: number } {
    const s = this.s;
    let depth = 0;
    for (let j = open; j < s.length; j++) {
      const c = s[j];
      if (c === '\\') {
        j++;
      } else if (c === "'") {
        const end = s.indexOf("'", j + 1);
        if (end === -1) throw new ParseError('unterminated single quote');
        j = end;
      } else if (c === '"') {
        j++;
        while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      } else if (c === '(') {
        depth++;
      } else if (c === ')') {
        depth--;
        if (depth === 0) return { text: s.slice(open + 1, j), end: j + 1 };
      }
    }
    throw new ParseError('unterminated $( or ( substitution');
  }

  private findBraceEnd(open: number): number {
    let depth = 0;
    for (let j = open; j < this.s.length; j++) {
      const c = this.s[j];
      if (c === '\\') j++;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) return j;
    }
    throw new ParseError('unterminated ${...}');
  }

  private startRedirect(): void {
    const s = this.s;
    let fd: number | undefined;
    if (this.word && !this.word.quoted && !this.word.dynamic && /^\d+$/.test(this.word.text)) {
      fd = Number(this.word.text);
      this.word = undefined;
    } else {
      this.finishWord();
    }
    if (this.pendingRedirect) throw new ParseError('redirection without a target');
    const op = REDIRECT_OPS.find((candidate) => s.startsWith(candidate, this.i)) ?? (s[this.i] as string);
    this.i += op.length;
    this.pendingRedirect = fd === undefined ? { op } : { op, fd };
  }

  private append(text: string, dynamic: boolean, quoted: boolean): void {
    if (!this.word) this.word = { text: '', dynamic: false, quoted: false };
    this.word.text += text;
    this.word.dynamic ||= dynamic;
    this.word.quoted ||= quoted;
  }

  private finishWord(): void {
    const word = this.word;
    if (!word) return;
    this.word = undefined;
    const redirect = this.pendingRedirect;
    if (!redirect) {
      this.segment.words.push(word);
      return;
    }
    this.pendingRedirect = undefined;
    this.segment.redirects.push({ ...redirect, target: word });
    if (redirect.op === '<<' || redirect.op === '<<-') {
      this.heredocs.push({
        delimiter: word.text,
        expand: !word.quoted,
        stripTabs: redirect.op === '<<-',
        segment: this.segment,
      });
    }
  }

  private finishSegment(pipesInto: boolean): void {
    this.finishWord();
    if (this.pendingRedirect) throw new ParseError('redirection without a target');
    const segment = this.segment;
    if (segment.words.length > 0 || segment.redirects.length > 0 || segment.substitutions.length > 0) {
      segment.pipesInto = pipesInto;
      this.segments.push(segment);
    }
    this.segment = newSegment();
  }

  /** Heredoc bodies are data, except `$(...)`/backticks in an unquoted-delimiter body. */
  private readHeredocBodies(): void {
    const pending = this.heredocs;
    this.heredocs = [];
    for (const heredoc of pending) {
      const lines: string[] = [];
      while (this.i < this.s.length) {
        const newline = this.s.indexOf('\n', this.i);
        const end = newline === -1 ? this.s.length : newline;
        const raw = this.s.slice(this.i, end);
        this.i = end + 1;
        const line = heredoc.stripTabs ? raw.replace(/^\t+/, '') : raw;
        if (line === heredoc.delimiter) break;
        lines.push(raw);
      }
      if (heredoc.expand) {
        const body = lines.join('\n');
        if (/\$\(|`/.test(body)) {
          const inner = parseShell(`echo ${JSON.stringify(body).replace(/\\n/g, ' ')}`);
          for (const seg of inner.segments) heredoc.segment.substitutions.push(...seg.substitutions);
          if (inner.error) heredoc.segment.substitutions.push(body);
        }
      }
    }
  }
}

function newSegment(): ShellSegment {
  return { words: [], redirects: [], pipesInto: false, substitutions: [] };
}
