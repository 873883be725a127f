import { Box, Text } from 'ink';
import type { TranscriptEntry } from '../core/transcript.js';
import { TONE_COLOR } from './theme.js';

/** One transcript block; errors carry a marker so they read as errors without colour too. */
export function EntryView({ entry }: { readonly entry: TranscriptEntry }) {
  const color = TONE_COLOR[entry.tone];
  return (
    <Box marginBottom={entry.tone === 'user' ? 0 : 1}>
      {entry.tone === 'error' ? <Text color="red">✗ </Text> : null}
      {entry.segments ? (
        <Text>
          {entry.segments.map((segment, i) => (
            <Text key={i} color={segment.tone ? TONE_COLOR[segment.tone] : undefined} bold={segment.tone === 'accent'}>
              {segment.text}
            </Text>
          ))}
        </Text>
      ) : (
        <Text color={color} bold={entry.tone === 'user'}>
          {entry.text}
        </Text>
      )}
    </Box>
  );
}
