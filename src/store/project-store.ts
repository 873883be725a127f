import { createHash } from 'node:crypto';
import { approvalText } from '../core/pipeline/approval-text.js';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { handoffSchema, type Handoff } from '../core/handoff/handoff.schema.js';
import { chatMessagesSchema } from '../core/provider/message-schema.js';
import type { ArtifactRead, ProjectStorePort } from '../core/session/ports.js';
import { writeFileAtomic } from './atomic-write.js';
import { acquireProjectLock } from './project-lock.js';
import { readJsonFile } from './read-json.js';

/** artifacts/<project-id>/ under the CodeSleuth home. */
export function createProjectStore(homeDir: string, now: () => Date = () => new Date()): ProjectStorePort {
  const projectDir = (id: string) => path.join(homeDir, 'artifacts', id);
  const handoffPath = (id: string) => path.join(projectDir(id), 'HANDOFF.json');

  return {
    handoffPath,

    artifactPath: (id, name) => path.join(projectDir(id), name),

    loadHandoff: (id) => readJsonFile(handoffPath(id), handoffSchema),

    saveHandoff: (id, handoff: Handoff) => writeFileAtomic(handoffPath(id), `${JSON.stringify(handoff, null, 2)}\n`),

    async backupHandoff(id) {
      const dir = path.join(projectDir(id), 'backups');
      await mkdir(dir, { recursive: true });
      const target = path.join(dir, `HANDOFF-${now().toISOString().replace(/[:.]/g, '-')}.json`);
      await copyFile(handoffPath(id), target);
      return target;
    },

    async readArtifact(id, name): Promise<ArtifactRead> {
      try {
        const text = await readFile(path.join(projectDir(id), name), 'utf8');
        // Approvals bind to the plan, not the Builder's status marks (see approvalText).
        return { kind: 'ok', text, sha256: createHash('sha256').update(approvalText(name, text)).digest('hex') };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
        throw error;
      }
    },

    writeArtifact: (id, name, text) => writeFileAtomic(path.join(projectDir(id), name), text),

    lock: (id) => acquireProjectLock(path.join(projectDir(id), '.lock')),

    async loadConversation(id, stage) {
      const file = path.join(projectDir(id), 'conversations', `${stage}.json`);
      const read = await readJsonFile(file, chatMessagesSchema);
      if (read.kind === 'ok') return { messages: read.value };
      if (read.kind === 'missing') return { messages: [] };
      // Kept, never overwritten: the next save would replace it, so it moves aside first.
      const aside = `${file}.unreadable-${now().toISOString().replace(/[:.]/g, '-')}`;
      await rename(file, aside);
      return { messages: [], warning: `The saved ${stage} conversation could not be read; it was moved to ${aside} and the agent starts afresh.` };
    },

    async archiveConversations(id) {
      const from = path.join(projectDir(id), 'conversations');
      const to = path.join(projectDir(id), 'backups', `conversations-${now().toISOString().replace(/[:.]/g, '-')}`);
      await mkdir(path.dirname(to), { recursive: true });
      try {
        await rename(from, to);
        return to;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },

    async archiveArtifacts(id, names) {
      const dir = path.join(projectDir(id), 'backups', `run-${now().toISOString().replace(/[:.]/g, '-')}`);
      const moved: string[] = [];
      for (const name of names) {
        const from = path.join(projectDir(id), name);
        if (!existsSync(from)) continue;
        await mkdir(dir, { recursive: true });
        await rename(from, path.join(dir, name));
        moved.push(name);
      }
      return { dir, moved };
    },

    saveConversation: (id, stage, messages) =>
      writeFileAtomic(path.join(projectDir(id), 'conversations', `${stage}.json`), `${JSON.stringify(messages)}\n`),
  };
}
