import { Box, Text } from 'ink';

/** The live area above the status bar: streaming text wraps; the task board keeps one line per task. */
export function LiveArea({ text, board }: { readonly text: string; readonly board: boolean }) {
  return (
    <Box paddingX={1} marginBottom={1} flexDirection="column">
      {board ? (
        text.split('\n').map((line, index) => (
          <Text key={index} wrap="truncate-end">
            {line}
          </Text>
        ))
      ) : (
        <Text>{text}</Text>
      )}
    </Box>
  );
}
