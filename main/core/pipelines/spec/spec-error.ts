import { WorkbenchError } from '../../../../shared/errors';

/** One problem in a pipeline file, where it is written. */
export interface PipelineSpecIssue {
  /** The file as the caller named it; absent when the spec came as text. */
  readonly file?: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  /** Where in the spec, e.g. `steps.train.params.target` (empty for the file as a whole). */
  readonly path: string;
  readonly message: string;
}

/** `pipeline.yaml:12:5: steps.train.params.target: required` */
export function formatIssue(issue: PipelineSpecIssue): string {
  const where = `${issue.file === undefined ? '' : `${issue.file}:`}${issue.line}:${issue.column}`;
  return `${where}: ${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`;
}

/** Every problem found in a pipeline spec at once, in the order they appear in the file. */
export class PipelineSpecError extends WorkbenchError {
  readonly issues: readonly PipelineSpecIssue[];

  constructor(issues: readonly PipelineSpecIssue[]) {
    const sorted = [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
    super('INVALID_ARGUMENT', sorted.map(formatIssue).join('\n'));
    this.name = 'PipelineSpecError';
    this.issues = sorted;
  }
}
