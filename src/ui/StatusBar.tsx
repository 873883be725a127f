import { Box, Text } from 'ink';
import type { SessionStatus } from '../core/session/session.js';

/**
 * Project, stage, agent and budget at a glance, plus what the session is waiting for. One
 * line of text, so a narrow terminal wraps it instead of squeezing each cell.
 */
export function StatusBar({ status, notice }: { readonly status: SessionStatus; readonly notice?: string | undefined }) {
  const budgetColor = status.budgetTier === 'exhausted' ? 'red' : status.budgetTier === 'warning' ? 'yellow' : 'gray';
  const bar = <Text color="gray"> │ </Text>;
  return (
    <Box borderStyle="single" borderTop borderBottom={false} borderLeft={false} borderRight={false} paddingX={1}>
      <Text>
        <Text color="cyan">{status.project ?? 'no project'}</Text>
        {bar}
        <Text>{status.stage ?? '—'}</Text>
        {bar}
        <Text>{status.agent}</Text>
        {bar}
        <Text color={budgetColor}>{status.budget}</Text>
        {status.waitingFor ? (
          <>
            {bar}
            <Text color="yellow">waiting for {status.waitingFor}</Text>
          </>
        ) : null}
        {notice ? (
          <>
            {bar}
            <Text color="yellow">{notice}</Text>
          </>
        ) : null}
      </Text>
    </Box>
  );
}
