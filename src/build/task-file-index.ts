import type { FileIndex } from '../core/verdicts/evidence.js';
import { createFileIndex, type FileIndexOptions } from '../scanners/file-index.js';

/*
 * The FileIndex a task's review checks citations against. createFileIndex caches every answer
 * for its lifetime, which suits a scan of a tree that holds still; a task's files change
 * between review rounds (the Builder fixes the findings), so each lookup here asks a fresh
 * index. checkCitations already asks once per file within one report, so nothing is read twice
 * for the same answer.
 */

/** Line counts of the files under `workDir` (the task's project directory or worktree) as they are at each call. */
export function taskFileIndex(workDir: string, options: FileIndexOptions = {}): FileIndex {
  return {
    lineCount: (file, commit) => createFileIndex(workDir, options).lineCount(file, commit),
  };
}
