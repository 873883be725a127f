import { renderPipeline } from '../../render/pipeline-diagram.js';
import { entry } from '../../transcript.js';
import type { CommandDefinition } from '../types.js';

/** `!pipeline`: the stages drawn as a diagram, the current one highlighted. */
export const pipelineCommand: CommandDefinition = {
  name: 'pipeline',
  aliases: ['pl'],
  availability: { kind: 'always' },
  summary: 'Draw the pipeline with the current stage highlighted',
  usage: '!pipeline',
  run(ctx) {
    const segments = [{ text: '  ' }, ...renderPipeline(ctx.project?.position)];
    const note = ctx.project ? [] : [entry.hint('No project is open; type `Start agent 0` to start one.')];
    return { kind: 'message', entries: [entry.styled(segments), ...note] };
  },
};
