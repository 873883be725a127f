import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';

/** Share of a cap kept from the start of a stream; the rest is its end, where failures are reported. */
const HEAD_SHARE = 0.4;

/**
 * Keeps at most `maxBytes` of a byte stream: the head and the tail, with a count of what
 * was dropped in between. Memory stays bounded however much a command prints.
 */
class CappedBytes {
  private readonly headCap: number;
  private readonly tailCap: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  dropped = 0;

  constructor(maxBytes: number) {
    this.headCap = Math.floor(maxBytes * HEAD_SHARE);
    this.tailCap = maxBytes - this.headCap;
  }

  push(chunk: Buffer): void {
    let rest = chunk;
    if (this.headBytes < this.headCap) {
      const take = Math.min(this.headCap - this.headBytes, rest.length);
      this.head.push(rest.subarray(0, take));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0) return;
    this.tail.push(rest);
    this.tailBytes += rest.length;
    while (this.tailBytes > this.tailCap) {
      const first = this.tail[0] as Buffer;
      const excess = this.tailBytes - this.tailCap;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
        this.dropped += excess;
      }
    }
  }

  toString(): string {
    if (this.dropped === 0) return Buffer.concat([...this.head, ...this.tail]).toString('utf8');
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    return `${head}\n[... ${this.dropped} bytes of output cut here ...]\n${tail}`;
  }
}

/** What a finished command printed. */
export interface CollectedOutput {
  stdout: string;
  stderr: string;
  /** stdout and stderr in the order the chunks arrived. */
  output: string;
  /** sha256 (hex) of every byte of `output` before capping, so evidence can cite it. */
  outputSha256: string;
  /** True when any of the three was cut. */
  truncated: boolean;
}

/** Collects a command's two streams into capped stdout, stderr and interleaved output. */
export class OutputCollector {
  private readonly stdout: CappedBytes;
  private readonly stderr: CappedBytes;
  private readonly output: CappedBytes;
  private readonly hash: Hash = createHash('sha256');

  constructor(maxBytes: number) {
    const cap = Math.max(64, Math.floor(maxBytes));
    this.stdout = new CappedBytes(cap);
    this.stderr = new CappedBytes(cap);
    this.output = new CappedBytes(cap);
  }

  push(stream: 'stdout' | 'stderr', chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    (stream === 'stdout' ? this.stdout : this.stderr).push(bytes);
    this.output.push(bytes);
    this.hash.update(bytes);
  }

  /** A note such as "could not start: ..." that belongs in the output but did not come from the command. */
  note(text: string): void {
    this.push('stderr', text.endsWith('\n') ? text : `${text}\n`);
  }

  finish(): CollectedOutput {
    return {
      stdout: this.stdout.toString(),
      stderr: this.stderr.toString(),
      output: this.output.toString(),
      outputSha256: this.hash.digest('hex'),
      truncated: this.stdout.dropped + this.stderr.dropped + this.output.dropped > 0,
    };
  }
}
