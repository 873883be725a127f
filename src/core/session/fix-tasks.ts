import { isOpen, type SecurityFinding } from '../security/finding.js';
import { outputFileProblem } from '../task-graph/task.js';
import type { CriticismFile } from '../verdicts/critic-tool.js';
import type { ProposedTask } from './append-tasks.js';

/**
 * Findings as fix tasks for the Builder. Each task names the files its finding cites, so the
 * Builder knows where to work and the graph can order it after the tasks that wrote them; a
 * finding that cites no file cannot become a task and is said to the person instead.
 */

export interface FixTasks {
  readonly tasks: ProposedTask[];
  /** What was left out, and why, in words for the person. */
  readonly skipped: string[];
}

/** An open finding whose fix task is already in the graph (an earlier `!security fix`). */
export interface ExistingFix {
  readonly findingId: string;
  readonly taskId: string;
}

const oneLine = (value: string): string => value.replace(/\s+/g, ' ').trim();
/** Titles are one line; long ones are cut at a word. */
function title(value: string, max = 100): string {
  const line = oneLine(value);
  return line.length <= max ? line : `${line.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}
/** Descriptions are prose under a heading: no line may read as a heading of its own. */
function prose(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/^(\s*)#/, '$1\\#').replace(/`{3,}|~{3,}/g, '``').trimEnd())
    .join('\n')
    .trim();
}
const usableFiles = (files: readonly string[]): string[] => [...new Set(files.map((f) => f.trim()))].filter((f) => f !== '' && outputFileProblem(f) === undefined);

/** Pure: the Critic's findings (and dimensions at 2 or below) as fix tasks, skipping titles already in the graph. */
export function criticFixTasks(criticism: CriticismFile, existingTitles: ReadonlySet<string>): FixTasks {
  const tasks: ProposedTask[] = [];
  const skipped: string[] = [];
  const add = (name: string, description: string, criteria: string[], files: string[]): void => {
    const taskTitle = title(`Fix: ${name}`);
    if (existingTitles.has(taskTitle)) {
      skipped.push(`"${name}" is already in the task graph`);
      return;
    }
    if (files.length === 0) {
      skipped.push(`"${name}" cites no file of the project, so it cannot become a task; describe it in Maintenance or fix it by hand`);
      return;
    }
    tasks.push({ id: `FIX-${tasks.length + 1}`, title: taskTitle, description: prose(description), acceptance_criteria: criteria.map(oneLine), output_files: files, depends_on: [], size: 'M' });
  };
  for (const finding of criticism.findings) {
    const files = usableFiles(finding.evidence.flatMap((e) => ('file' in e ? [e.file] : [])));
    const cited = finding.evidence.map((e) => ('file' in e ? `${e.file}:${e.line}` : `ran ${e.ran}`)).join('; ');
    add(finding.title, `From CRITICISM.md${finding.dimension ? ` (${finding.dimension})` : ''}: ${finding.detail}\n\nEvidence: ${cited}`, [`${oneLine(finding.title)} is resolved: ${oneLine(finding.detail)}`], files);
  }
  for (const score of criticism.scores) {
    if (score.score === 'N/A' || score.score > 2) continue;
    const files = usableFiles(score.evidence.flatMap((e) => ('file' in e ? [e.file] : [])));
    const name = `${score.id}${score.name ? ` ${score.name}` : ''} scored ${score.score}`;
    add(name, `The Critic scored ${name}: ${score.reason}\n\nTo raise it: ${score.improvement ?? 'see CRITICISM.md'}`, [oneLine(score.improvement ?? `${score.id} can be scored above 2 on a new review`)], files);
  }
  return { tasks, skipped };
}

/** Severities turned into fix tasks; LOW findings are left for the person to weigh. */
const FIXED_SEVERITIES = new Set(['CRITICAL', 'HIGH', 'MEDIUM']);

/** The title of a finding's fix task: how a later `!security fix` knows the finding already has one. */
export function securityFixTitle(finding: Pick<SecurityFinding, 'severity' | 'id' | 'title'>): string {
  return title(`Fix ${finding.severity} ${finding.id}: ${finding.title}`);
}

/**
 * Pure: the open security findings (CRITICAL, HIGH, MEDIUM) as fix tasks, most severe first.
 * `existingTasks` maps the graph's task titles to their ids; a finding whose fix task is
 * already there is returned in `existing`, for the caller to build or explain by its status.
 */
export function securityFixTasks(findings: readonly SecurityFinding[], existingTasks: ReadonlyMap<string, string>): FixTasks & { readonly existing: ExistingFix[] } {
  const tasks: ProposedTask[] = [];
  const skipped: string[] = [];
  const existing: ExistingFix[] = [];
  const open = findings.filter(isOpen);
  const low = open.filter((f) => !FIXED_SEVERITIES.has(f.severity)).length;
  if (low > 0) skipped.push(`${low} open LOW finding${low === 1 ? '' : 's'} left as they are (accept or fix them by hand)`);
  for (const finding of open.filter((f) => FIXED_SEVERITIES.has(f.severity))) {
    const taskTitle = securityFixTitle(finding);
    const taskId = existingTasks.get(taskTitle);
    if (taskId !== undefined) {
      existing.push({ findingId: finding.id, taskId });
      continue;
    }
    const files = usableFiles([finding.file]);
    if (files.length === 0) {
      skipped.push(`${finding.id} names no usable project file (${finding.file})`);
      continue;
    }
    const where = `${finding.file}:${finding.line}${finding.commit ? ` (in commit ${finding.commit.slice(0, 12)}: the value must also be rotated, since history keeps it)` : ''}`;
    const description = [
      `Security finding ${finding.id} (${finding.severity}, domain ${finding.domain}, found by ${finding.source}) at ${where}.`,
      `Evidence: ${oneLine(finding.evidence)}`,
      ...(finding.exploit ? [`Exploit: ${oneLine(finding.exploit)}`] : []),
      ...(finding.fix ? [`Fix: ${oneLine(finding.fix)}`] : []),
    ].join('\n\n');
    tasks.push({
      id: `FIX-${tasks.length + 1}`,
      title: taskTitle,
      description: prose(description),
      acceptance_criteria: [`${finding.file}:${finding.line} no longer has the problem: ${oneLine(finding.title)}`, `a new security scan no longer reports ${finding.id}`],
      output_files: files,
      depends_on: [],
      size: 'S',
    });
  }
  return { tasks, skipped, existing };
}
