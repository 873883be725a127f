import { Box, Text, useInput } from 'ink';
import TextInput from 'ink-text-input';
import { useRef, useState } from 'react';
import { InputHistory } from './input-history.js';

/** The prompt: a text input with shell-like history; disabled while a line is being handled. */
export function InputLine({ busy, onSubmit }: { readonly busy: boolean; readonly onSubmit: (line: string) => void }) {
  const [value, setValue] = useState('');
  const history = useRef(new InputHistory());

  useInput(
    (_input, key) => {
      if (key.upArrow) setValue((current) => history.current.up(current));
      else if (key.downArrow) setValue(history.current.down());
    },
    { isActive: !busy },
  );

  if (busy) {
    return (
      <Box paddingX={1}>
        <Text color="gray">… working (Ctrl+C cancels)</Text>
      </Box>
    );
  }
  return (
    <Box paddingX={1}>
      <Text color="cyan">› </Text>
      <TextInput
        value={value}
        onChange={setValue}
        placeholder="Start agent 0, a !command, or a message"
        onSubmit={(line) => {
          history.current.push(line);
          setValue('');
          onSubmit(line);
        }}
      />
    </Box>
  );
}
