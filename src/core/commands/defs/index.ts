import { CommandRegistry } from '../registry.js';
import { budgetCommand } from './budget.js';
import { autonomyCommand } from './autonomy.js';
import { buildCommand } from './build.js';
import { continueCommand } from './continue.js';
import { decideCommand } from './decide.js';
import { retryCommand } from './retry.js';
import { skipCommand } from './skip.js';
import { criticCommand } from './critic.js';
import { gatesCommand } from './gates.js';
import { helpCommand } from './help.js';
import { pauseCommand } from './pause.js';
import { pipelineCommand } from './pipeline.js';
import { planCommand } from './plan.js';
import { quitCommand } from './quit.js';
import { resetCommand } from './reset.js';
import { resumeCommand } from './resume.js';
import { securityCommand } from './security.js';
import { stateCommand } from './state.js';
import { statusCommand } from './status.js';
import { verifyCommand } from './verify.js';

/** The registry with every built-in command, in the order `!help` lists them. */
export function createBuiltinRegistry(): CommandRegistry {
  return new CommandRegistry([
    helpCommand,
    statusCommand,
    stateCommand,
    pipelineCommand,
    budgetCommand,
    planCommand,
    buildCommand,
    criticCommand,
    securityCommand,
    verifyCommand,
    decideCommand,
    retryCommand,
    skipCommand,
    continueCommand,
    autonomyCommand,
    gatesCommand,
    pauseCommand,
    resumeCommand,
    resetCommand,
    quitCommand,
  ]);
}
