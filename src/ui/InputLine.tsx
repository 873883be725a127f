import { Box, Text, useInput } from 'ink';
import TextInput from 'ink-text-input';
import { useRef, useState } from 'react';
import { PROMPT_PLACEHOLDER } from './greeting.js';
import { InputHistory } from './input-history.js';

/**
 * The prompt: a text input with shell-like history. It stays live while a line is handled, so
 * nothing typed ahead is lost; the App queues submitted lines in order.
 */
export function InputLine({ onSubmit }: { readonly onSubmit: (line: string) => void }) {
  const [value, setValue] = useState('');
  // The latest text, read at Enter: ink-text-input's key handler can still hold the previous
  // render's value when Enter follows the last keystroke within one frame.
  const latest = useRef('');
  const history = useRef(new InputHistory());
  const update = (next: string) => {
    latest.current = next;
    setValue(next);
  };

  useInput((_input, key) => {
    if (key.upArrow) update(history.current.up(latest.current));
    else if (key.downArrow) update(history.current.down());
  });

  const submit = (line: string) => {
    history.current.push(line);
    onSubmit(line);
  };

  return (
    <Box paddingX={1}>
      <Text color="cyan">› </Text>
      <TextInput
        value={value}
        onChange={(next) => {
          // Pasted text arrives in one chunk, newlines included: every complete line is
          // submitted as Enter would, and the unfinished rest stays in the input.
          const lines = next.split(/\r\n|\r|\n/);
          const rest = lines.pop() ?? '';
          for (const line of lines) submit(line);
          update(rest);
        }}
        placeholder={PROMPT_PLACEHOLDER}
        onSubmit={() => {
          submit(latest.current);
          update('');
        }}
      />
    </Box>
  );
}
