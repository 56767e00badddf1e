import { useState, type ReactElement } from 'react';
import type { ModelVersion, RegisteredModel } from '../../../shared/registry';
import type { ServedModelInfo } from '../../../shared/serving';
import { CopyButton } from '../../components/copy-text';
import { EmptyState } from '../../components/empty-state';
import { StopServerDialog } from '../../components/stop-server-dialog';
import { formatDuration, formatTimestamp } from '../../lib/format';
import { modelVersionUri } from '../../lib/model-names';
import { useNow } from '../../lib/use-now';
import { serversOf, useServingStore } from '../../stores/serving';
import { serveModel } from './serve-action';
import { TryItForm } from './try-it-form';
import './serving.css';

/** What Serve can start for a model: each alias (it keeps its version while the server runs), then each version. */
export function serveTargets(model: RegisteredModel, versions: readonly ModelVersion[]): { uri: string; label: string }[] {
  return [
    ...model.aliases.map((entry) => ({ uri: `models:/${model.name}@${entry.alias}`, label: `@${entry.alias} (v${entry.version})` })),
    ...versions.map((version) => ({ uri: modelVersionUri(model.name, version.version), label: `v${version.version}${version.stage !== 'None' ? ` · ${version.stage}` : ''}` })),
  ];
}

/**
 * The model's Serving tab: start a server for a version or an alias, and for each running one its
 * URL, uptime, Stop, and a form to try it.
 */
export function ServingPanel({ model, versions }: { model: RegisteredModel; versions: readonly ModelVersion[] }): ReactElement {
  const all = useServingStore((state) => state.servers);
  const starting = useServingStore((state) => state.starting);
  const servers = serversOf(all, model.name);
  const targets = serveTargets(model, versions);
  const [target, setTarget] = useState<string>(targets[0]?.uri ?? '');
  const chosen = targets.find((entry) => entry.uri === target) ?? targets[0];
  const busy = chosen ? starting.includes(chosen.uri) : false;

  return (
    <div className="serving-panel" data-testid="serving-panel">
      <form
        className="serving-start"
        onSubmit={(event) => {
          event.preventDefault();
          if (chosen) void serveModel(chosen.uri, `${model.name} ${chosen.label}`);
        }}
      >
        <label className="serving-start-field">
          <span className="field-label">Serve</span>
          <select className="select" value={chosen?.uri ?? ''} onChange={(event) => setTarget(event.target.value)} aria-label="What to serve" data-testid="serve-target" disabled={targets.length === 0}>
            {targets.map((entry) => (
              <option key={entry.uri} value={entry.uri}>{entry.label}</option>
            ))}
          </select>
        </label>
        <button type="submit" className="button primary" disabled={!chosen || busy} data-testid="serve-submit">{busy ? 'Starting…' : 'Serve'}</button>
        <span className="field-hint">
          {chosen ? <code>{chosen.uri}</code> : null} on 127.0.0.1, a free port, over MLflow’s scoring protocol. An alias is resolved when the server starts.
        </span>
      </form>
      {servers.length === 0 ? (
        <EmptyState title={`No version of ${model.name} is being served`} testId="serving-empty">
          <p>
            Serve one above, or with <strong>Serve</strong> on its row in Versions. Servers live only while the app runs: they stop when Trainyard quits, and
            start again only when you serve the model again.
          </p>
        </EmptyState>
      ) : (
        servers.map((server) => <ServerCard key={server.id} server={server} version={versions.find((version) => version.version === server.model?.version) ?? null} />)
      )}
    </div>
  );
}

function ServerCard({ server, version }: { server: ServedModelInfo; version: ModelVersion | null }): ReactElement {
  const now = useNow(true);
  const [stopping, setStopping] = useState(false);
  return (
    <section className="server-card" data-testid="server-card" data-server={server.id} data-uri={server.uri}>
      <header className="server-card-header">
        <span className="serving-chip" aria-hidden="true">serving</span>
        <strong className="server-card-label">{server.label}</strong>
        {server.uri !== (server.model ? modelVersionUri(server.model.name, server.model.version) : '') ? <code className="faint" title="Started from">{server.uri}</code> : null}
        <span className="server-card-url">
          <code data-testid="server-url">{server.url}</code>
          <CopyButton text={server.url} label="server URL" testId="server-copy-url" />
        </span>
        <span className="faint numeric" title={`Started ${formatTimestamp(server.startedAt)}`} data-testid="server-uptime">up {formatDuration((now || Date.now()) - server.startedAt)}</span>
        <span className="spacer" />
        <button type="button" className="button compact" onClick={() => setStopping(true)} data-testid="server-stop">Stop…</button>
      </header>
      <TryItForm server={server} version={version} />
      {stopping ? <StopServerDialog server={server} onClose={() => setStopping(false)} /> : null}
    </section>
  );
}
