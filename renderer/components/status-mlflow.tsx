import type { ReactElement } from 'react';
import { useAppStore } from '../stores/app';
import { CopyButton } from './copy-text';

/**
 * Where MLflow scripts log: the app's MLflow-compatible server, with one click to copy the
 * `export MLFLOW_TRACKING_URI=…` line for a terminal.
 */
export function StatusMlflow(): ReactElement | null {
  const uri = useAppStore((state) => state.info?.mlflowTrackingUri ?? null);
  if (!uri) return null;
  const line = `export MLFLOW_TRACKING_URI=${uri}`;
  return (
    <span className="status-item" data-testid="status-mlflow" title={`MLflow scripts log here: ${line}`}>
      MLflow <code data-testid="status-mlflow-uri">{uri}</code>
      <CopyButton text={line} label="MLFLOW_TRACKING_URI line" testId="status-mlflow-copy" />
    </span>
  );
}
