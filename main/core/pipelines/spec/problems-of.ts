import { parsePipeline } from './parse-pipeline';
import { PipelineSpecError } from './spec-error';

/**
 * For tests: the issues `text` is rejected with, each as `line:column path: message`; throws when
 * the spec is accepted.
 */
export function problemsOf(text: string, file?: string): string[] {
  try {
    parsePipeline(text, file);
  } catch (error) {
    if (!(error instanceof PipelineSpecError)) throw error;
    return error.issues.map((issue) => `${issue.line}:${issue.column} ${issue.path}${issue.path ? ': ' : ''}${issue.message}`);
  }
  throw new Error('the spec was accepted');
}
