import { describe, expect, it } from 'vitest';
import { FILE_TOOL_NAMES } from '../../src/core/tools/names.js';
import { createProjectTools } from '../../src/tools/project-tools.js';

describe('createProjectTools', () => {
  it('returns one tool per canonical name, in order', () => {
    expect(createProjectTools().map((tool) => tool.name)).toEqual([...FILE_TOOL_NAMES]);
  });

  it('builds only the tools an agent is allowed', () => {
    expect(createProjectTools({ only: ['grep', 'read_file'] }).map((tool) => tool.name)).toEqual(['read_file', 'grep']);
  });

  it('gives every tool a description and an object JSON Schema without extra keys', () => {
    for (const tool of createProjectTools()) {
      expect(tool.description.length).toBeGreaterThan(40);
      expect(tool.jsonSchema).toMatchObject({ type: 'object', additionalProperties: false });
    }
  });

  it('shows optional fields with defaults as optional to the model', () => {
    const listFiles = createProjectTools({ only: ['list_files'] })[0];
    expect(listFiles?.jsonSchema).not.toHaveProperty('required');
    const edit = createProjectTools({ only: ['edit_file'] })[0];
    expect(edit?.jsonSchema.required).toEqual(['path', 'old_string', 'new_string']);
  });
});
