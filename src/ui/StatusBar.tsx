import { Box, Text } from 'ink';
import type { SessionStatus } from '../core/session/session.js';

/** Project, stage, agent and budget at a glance, plus what the session is waiting for. */
export function StatusBar({ status, notice }: { readonly status: SessionStatus; readonly notice?: string | undefined }) {
  return (
    <Box borderStyle="single" borderTop borderBottom={false} borderLeft={false} borderRight={false} paddingX={1}>
      <Text color="cyan">{status.project ?? 'no project'}</Text>
      <Text color="gray"> │ </Text>
      <Text>{status.stage ?? '—'}</Text>
      <Text color="gray"> │ </Text>
      <Text>{status.agent}</Text>
      <Text color="gray"> │ </Text>
      <Text color={status.budgetTier === 'exhausted' ? 'red' : status.budgetTier === 'warning' ? 'yellow' : 'gray'}>{status.budget}</Text>
      {status.waitingFor ? (
        <>
          <Text color="gray"> │ </Text>
          <Text color="yellow">waiting for {status.waitingFor}</Text>
        </>
      ) : null}
      {notice ? (
        <>
          <Text color="gray"> │ </Text>
          <Text color="yellow">{notice}</Text>
        </>
      ) : null}
    </Box>
  );
}
