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

  const submit = (line: string) => {
    history.current.push(line);
    setValue('');
    onSubmit(line);
  };

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
        onChange={(next) => {
          // A pasted line arrives with its newline in one chunk: submit it like Enter would.
          const newline = next.search(/[\r\n]/);
          if (newline === -1) setValue(next);
          else submit(next.slice(0, newline));
        }}
        placeholder="Start agent 0, a !command, or a message"
        onSubmit={submit}
      />
    </Box>
  );
}
