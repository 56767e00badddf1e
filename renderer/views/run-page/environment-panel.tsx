import type { ReactElement } from 'react';
import type { Run } from '../../../shared/tracking';
import { EmptyState } from '../../components/empty-state';
import { formatBytes } from '../../lib/format';
import { KeyValueTable } from './key-value-table';

/** Where the run ran (machine, runtimes) and which code it ran (git). */
export function EnvironmentPanel({ run }: { run: Run }): ReactElement {
  const { environment, source } = run;
  const machine: Record<string, string> = environment
    ? {
        os: `${environment.os} ${environment.osRelease} (${environment.arch})`,
        hostname: environment.hostname,
        cpu: `${environment.cpuModel} × ${environment.cpuCores}`,
        memory: formatBytes(environment.totalMemoryBytes),
        gpus: environment.gpus.length > 0 ? environment.gpus.join(', ') : 'none',
        node: environment.nodeVersion,
        onnxruntime: environment.onnxruntimeVersion ?? 'not loaded',
        trainyard: environment.trainyardVersion,
      }
    : {};
  const code: Record<string, string> = {};
  if (source) {
    if (source.repository) code.repository = source.repository;
    if (source.gitBranch) code.branch = source.gitBranch;
    code.commit = source.gitCommit ?? 'not a git work tree';
    if (source.gitDirty !== null) code['uncommitted changes'] = source.gitDirty ? 'yes — the commit alone does not reproduce this run' : 'no';
    if (source.entryPoint) code['entry point'] = source.entryPoint;
  }
  return (
    <div className="env-panel" data-testid="environment-panel">
      <section>
        <h2 className="panel-heading">Source</h2>
        {source ? <KeyValueTable entries={code} kind="source" emptyHint="" sorted={false} /> : <EmptyState title="No source recorded">Runs started inside a git work tree record the commit, branch and whether it had uncommitted changes.</EmptyState>}
      </section>
      <section>
        <h2 className="panel-heading">Environment</h2>
        {environment ? <KeyValueTable entries={machine} kind="environment" emptyHint="" sorted={false} /> : <EmptyState title="No environment recorded">Runs started by Trainyard (or its CLI) record the machine, GPUs and runtime versions.</EmptyState>}
      </section>
    </div>
  );
}
