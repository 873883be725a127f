/** Outcome of an exact string replacement; failures carry a message for the model. */
export type EditOutcome =
  | { ok: true; content: string; replacements: number }
  | { ok: false; reason: string };

/** Non-overlapping occurrences of `needle` in `haystack`. */
export function countOccurrences(haystack: string, needle: string): number {
  if (needle.length === 0) return 0;
  let count = 0;
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at === -1) return count;
    count++;
    from = at + needle.length;
  }
}

/**
 * Replaces `oldString` with `newString` exactly (no regex, no `$&` surprises).
 * Refuses when the old text is missing, or appears more than once without `replaceAll`,
 * saying how many matches there were so the model can add context.
 * A file with CRLF line endings still matches an `oldString` written with LF.
 */
export function applyEdit(
  content: string,
  oldString: string,
  newString: string,
  options: { replaceAll?: boolean; path?: string } = {},
): EditOutcome {
  const where = options.path ?? 'the file';
  if (oldString.length === 0) {
    return { ok: false, reason: `old_string is empty. To create or overwrite ${where}, use write_file.` };
  }
  if (oldString === newString) {
    return { ok: false, reason: 'old_string and new_string are identical; there is nothing to change.' };
  }

  let needle = oldString;
  let replacement = newString;
  let count = countOccurrences(content, needle);
  if (count === 0 && content.includes('\r\n') && !oldString.includes('\r\n')) {
    needle = oldString.replace(/\n/g, '\r\n');
    replacement = newString.replace(/\n/g, '\r\n');
    count = countOccurrences(content, needle);
  }

  if (count === 0) {
    return {
      ok: false,
      reason: `old_string was not found in ${where} (0 matches). Read the file again and copy the text exactly, including whitespace and indentation.`,
    };
  }
  if (count > 1 && !options.replaceAll) {
    return {
      ok: false,
      reason: `old_string matches ${count} times in ${where}; it must be unique. Add surrounding lines to old_string to pick one, or set replace_all to true to change all ${count}.`,
    };
  }
  const updated = options.replaceAll
    ? content.split(needle).join(replacement)
    : replaceFirst(content, needle, replacement);
  return { ok: true, content: updated, replacements: options.replaceAll ? count : 1 };
}

function replaceFirst(content: string, needle: string, replacement: string): string {
  const at = content.indexOf(needle);
  return content.slice(0, at) + replacement + content.slice(at + needle.length);
}

/** A short before/after view for the transcript (not for the model). */
export function editPreview(oldString: string, newString: string, maxLines = 12): string {
  const clip = (text: string, sign: string): string[] => {
    const lines = text.split('\n');
    const shown = lines.slice(0, maxLines).map((line) => `${sign} ${line}`);
    if (lines.length > maxLines) shown.push(`${sign} ... (${lines.length - maxLines} more lines)`);
    return shown;
  };
  return [...clip(oldString, '-'), ...clip(newString, '+')].join('\n');
}
