/** Up/down history over submitted lines, like a shell: pure, so it is tested without Ink. */
export class InputHistory {
  private readonly lines: string[] = [];
  private cursor = 0;
  private draft = '';

  push(line: string): void {
    if (line.trim() !== '' && this.lines[this.lines.length - 1] !== line) this.lines.push(line);
    this.cursor = this.lines.length;
    this.draft = '';
  }

  /** The older line, keeping what was being typed so `down` can bring it back. */
  up(current: string): string {
    if (this.cursor === this.lines.length) this.draft = current;
    if (this.cursor > 0) this.cursor--;
    return this.lines[this.cursor] ?? current;
  }

  down(): string {
    if (this.cursor < this.lines.length) this.cursor++;
    return this.cursor === this.lines.length ? this.draft : (this.lines[this.cursor] ?? '');
  }
}
