import { describe, expect, it } from 'vitest';
import { MAX_REVIEW_DIFF_CHARS, renderReviewDiff } from '../../../src/core/build/task-brief.js';

describe('renderReviewDiff', () => {
  it('fences a diff, and says when it is empty or could not be made', () => {
    expect(renderReviewDiff({ kind: 'diff', text: 'diff --git a/x b/x\n+1\n' })).toEqual(['The change against the last commit (paths from the repository top):', '```diff', 'diff --git a/x b/x\n+1', '```']);
    expect(renderReviewDiff({ kind: 'diff', text: '' })).toEqual(['The change against the last commit: (empty)']);
    expect(renderReviewDiff({ kind: 'unavailable', reason: 'not a repository' })).toEqual(['The change against the last commit could not be shown (not a repository); read the files.']);
  });

  it('uses a fence the diff cannot close', () => {
    const lines = renderReviewDiff({ kind: 'diff', text: '+```js\n+code\n+```\n' });
    expect(lines[1]).toBe('~~~~diff');
    expect(lines[3]).toBe('~~~~');
  });

  it('cuts a long diff on a line boundary and says how much is shown', () => {
    const line = `+${'x'.repeat(99)}\n`;
    const text = line.repeat(Math.ceil((MAX_REVIEW_DIFF_CHARS * 2) / line.length));
    const [, , body, end] = renderReviewDiff({ kind: 'diff', text });
    expect(body!.length).toBeLessThanOrEqual(MAX_REVIEW_DIFF_CHARS);
    expect(body!.split('\n').every((l) => l === line.trimEnd())).toBe(true);
    expect(end).toMatch(/^```\n\(The diff is 47 KB; the first 23 KB are shown\. Read the files for the rest\.\)$/);
  });
});
