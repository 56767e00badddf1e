import { Fragment, useEffect, useRef, useState, type ReactElement } from 'react';
import type { ModelVersion, RegisteredModel } from '../../../shared/registry';
import { getApi } from '../../api/connection';
import { EmptyState } from '../../components/empty-state';
import { ChevronIcon, TrashIcon } from '../../components/icons';
import { formatTimestamp } from '../../lib/format';
import { modelCompareHref, modelHref } from '../../lib/hash-route';
import { navigationTarget } from '../../lib/list-navigation';
import { modelVersionUri } from '../../lib/model-names';
import { navigate } from '../../lib/use-route';
import { useServingStore } from '../../stores/serving';
import { useUiStore } from '../../stores/ui';
import { isTyping } from '../runs/use-table-keyboard';
import { CopyUri } from './copy-uri';
import { EvaluateDialog } from './evaluate-dialog';
import { AliasChip, StageBadge } from './registry-badges';
import { serveModel } from './serve-action';
import { KeyMetrics, SourceRunLink } from './source-run';
import { VersionDetail } from './version-detail';
import { AliasDialog, ConfirmDialog, StageDialog } from './version-dialogs';

type Action =
  | { readonly kind: 'stage' | 'alias' | 'delete' | 'evaluate'; readonly version: ModelVersion }
  | { readonly kind: 'unalias'; readonly version: ModelVersion; readonly alias: string };

/**
 * Every version, newest first: stage, aliases, the run it came from and that run's key metrics.
 * A row opens to show the signature and its last evaluation; its buttons move the stage, set an
 * alias, evaluate it, serve it, copy the URI or delete it — each write after a confirmation. Two
 * ticked versions open side by side (Compare).
 */
export function VersionsPanel({ model, versions }: { model: RegisteredModel; versions: readonly ModelVersion[] }): ReactElement {
  const [selected, setSelected] = useState<number | null>(versions[0]?.version ?? null);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  const [action, setAction] = useState<Action | null>(null);
  const [picked, setPicked] = useState<readonly number[]>([]);
  const [reveal, setReveal] = useState<number | null>(null);
  const servers = useServingStore((state) => state.servers);
  const starting = useServingStore((state) => state.starting);
  const body = useRef<HTMLTableSectionElement>(null);
  // A deleted selection falls back to the newest version.
  const current = versions.find((version) => version.version === selected) ?? versions[0] ?? null;
  const toggle = (version: number, open?: boolean): void =>
    setExpanded((previous) => {
      const next = new Set(previous);
      if (open ?? !next.has(version)) next.add(version);
      else next.delete(version);
      return next;
    });
  useVersionKeys(versions, current, { select: setSelected, toggle, act: (kind, version) => setAction({ kind, version }) });
  useEffect(() => {
    body.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [current?.version]);
  // A started evaluation: its row opens and its Evaluation section comes into view.
  useEffect(() => {
    if (reveal === null) return;
    body.current?.querySelector(`[data-testid="version-detail-row"][data-version="${reveal}"] [data-testid="version-evaluation"]`)?.scrollIntoView({ block: 'nearest' });
    setReveal(null);
  }, [reveal]);
  // Ticks of deleted versions fall away.
  const comparing = picked.filter((version) => versions.some((entry) => entry.version === version));
  const pick = (version: number, on: boolean): void =>
    setPicked((previous) => (on ? [...previous.filter((entry) => entry !== version), version].slice(-2) : previous.filter((entry) => entry !== version)));
  const [older, newer] = [...comparing].sort((a, b) => a - b);

  if (versions.length === 0) {
    return (
      <EmptyState title="No versions" testId="versions-empty">
        <p>Register a model from a training run’s page (<strong>Register model…</strong>) to add version {model.versionCount + 1}.</p>
      </EmptyState>
    );
  }

  const close = (): void => setAction(null);
  return (
    <div className="model-versions" data-testid="versions-panel">
      <div className="versions-toolbar" data-testid="compare-bar">
        {older !== undefined && newer !== undefined ? (
          <>
            <button type="button" className="button primary compact" onClick={() => navigate(modelCompareHref(model.name, older, newer))} data-testid="compare-versions">
              Compare v{older} and v{newer}
            </button>
            <button type="button" className="button compact" onClick={() => setPicked([])}>Clear</button>
          </>
        ) : (
          <span className="faint">{comparing.length === 1 ? `v${comparing[0]} ticked: tick one more version to compare them.` : versions.length > 1 ? 'Tick two versions to compare their evaluations side by side.' : ''}</span>
        )}
      </div>
      <table className="data-table model-versions-table" aria-label="Versions">
        <colgroup>
          <col style={{ width: 30 }} />
          <col style={{ width: 150 }} />
          <col style={{ width: 112 }} />
          <col style={{ width: 140 }} />
          <col style={{ width: 140 }} />
          <col style={{ width: 180 }} />
          <col style={{ width: 170 }} />
          <col />
          <col style={{ width: 300 }} />
        </colgroup>
        <thead>
          <tr>
            <th aria-label="Compare" />
            <th>Version</th>
            <th>Stage</th>
            <th>Aliases</th>
            <th>Source run</th>
            <th>Key metrics</th>
            <th>Created</th>
            <th>Description</th>
            <th className="right">Actions</th>
          </tr>
        </thead>
        <tbody ref={body}>
          {versions.map((version) => {
            const open = expanded.has(version.version);
            const uri = modelVersionUri(version.name, version.version);
            const served = servers.some((server) => server.model?.name === version.name && server.model.version === version.version);
            return (
              <Fragment key={version.version}>
                <tr
                  aria-selected={version.version === current?.version}
                  aria-expanded={open}
                  onClick={() => setSelected(version.version)}
                  onDoubleClick={() => toggle(version.version)}
                  data-testid="model-version-row"
                  data-version={version.version}
                  data-stage={version.stage}
                >
                  <td onClick={(event) => event.stopPropagation()}>
                    <input
                      type="checkbox"
                      className="version-pick"
                      checked={comparing.includes(version.version)}
                      onChange={(event) => pick(version.version, event.target.checked)}
                      aria-label={`Compare v${version.version}`}
                      title="Tick two versions to compare them"
                      data-testid="version-compare-pick"
                    />
                  </td>
                  <td className="numeric">
                    <button
                      type="button"
                      className="icon-button version-expand"
                      onClick={(event) => {
                        event.stopPropagation();
                        setSelected(version.version);
                        toggle(version.version);
                      }}
                      aria-label={open ? `Hide v${version.version}'s signature` : `Show v${version.version}'s signature`}
                      title={open ? 'Hide the signature (←)' : 'Show the signature (→)'}
                      data-testid="version-expand"
                    >
                      <ChevronIcon size={12} className={open ? 'chevron open' : 'chevron'} />
                    </button>
                    <strong>v{version.version}</strong>
                    {served ? (
                      <a className="serving-chip" href={modelHref(version.name, 'serving')} onClick={(event) => event.stopPropagation()} title="Being served: try it in the Serving tab" data-testid="version-serving">
                        serving
                      </a>
                    ) : null}
                  </td>
                  <td><StageBadge stage={version.stage} /></td>
                  <td>
                    <span className="chip-list">
                      {version.aliases.length === 0 ? <span className="faint">—</span> : version.aliases.map((alias) => (
                        <AliasChip key={alias} alias={alias} onRemove={() => setAction({ kind: 'unalias', version, alias })} />
                      ))}
                    </span>
                  </td>
                  <td><SourceRunLink runId={version.runId} /></td>
                  <td><KeyMetrics runId={version.runId} /></td>
                  <td className="numeric muted" title={`by ${version.createdBy}`}>
                    {formatTimestamp(version.createdAt)} <span className="faint">· {version.createdBy}</span>
                  </td>
                  <td className="muted" title={version.description || undefined}>{version.description || <span className="faint">—</span>}</td>
                  <td className="right version-actions" onClick={(event) => event.stopPropagation()}>
                    <button type="button" className="button compact" onClick={() => setAction({ kind: 'stage', version })} title="Move to stage… (s)" data-testid="version-stage">Stage…</button>
                    <button type="button" className="button compact" onClick={() => setAction({ kind: 'alias', version })} title="Set alias… (a)" data-testid="version-alias">Alias…</button>
                    <button type="button" className="button compact" onClick={() => setAction({ kind: 'evaluate', version })} title="Evaluate on a dataset… (e)" data-testid="version-evaluate">Evaluate…</button>
                    <button
                      type="button"
                      className="button compact"
                      onClick={() => void serveModel(uri, `${version.name} v${version.version}`)}
                      disabled={starting.includes(uri)}
                      title={`Serve ${uri} over MLflow's scoring protocol on this machine`}
                      data-testid="version-serve"
                    >
                      {starting.includes(uri) ? 'Starting…' : 'Serve'}
                    </button>
                    <CopyUri name={version.name} version={version.version} />
                    <button type="button" className="icon-button" onClick={() => setAction({ kind: 'delete', version })} aria-label={`Delete v${version.version}`} title="Delete version…" data-testid="version-delete">
                      <TrashIcon size={13} />
                    </button>
                  </td>
                </tr>
                {open ? (
                  <tr className="version-detail-row" data-testid="version-detail-row" data-version={version.version}>
                    <td colSpan={9}>
                      <VersionDetail version={version} onEvaluate={() => setAction({ kind: 'evaluate', version })} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      <p className="models-hint faint">
        <span className="kbd">j</span> <span className="kbd">k</span> move, <span className="kbd">Enter</span> shows the signature, <span className="kbd">s</span> moves to a stage,{' '}
        <span className="kbd">a</span> sets an alias, <span className="kbd">e</span> evaluates. Load a version as <code>models:/{model.name}/&lt;version&gt;</code> or <code>models:/{model.name}@&lt;alias&gt;</code>.
      </p>
      {action?.kind === 'stage' ? <StageDialog version={action.version} versions={versions} onClose={close} /> : null}
      {action?.kind === 'alias' ? <AliasDialog model={model} version={action.version} onClose={close} /> : null}
      {action?.kind === 'evaluate' ? (
        <EvaluateDialog
          version={action.version}
          onClose={close}
          onStarted={() => {
            const number = action.version.version;
            close();
            setSelected(number);
            toggle(number, true);
            setReveal(number);
          }}
        />
      ) : null}
      {action?.kind === 'unalias' ? (
        <ConfirmDialog
          title={`Remove @${action.alias}?`}
          confirmLabel="Remove alias"
          busyLabel="Removing…"
          name={model.name}
          write={() => getApi()['models.deleteAlias']({ name: model.name, alias: action.alias })}
          onClose={close}
          testId="unalias"
        >
          <p>
            @{action.alias} points at v{action.version.version} now. Once removed, <code>models:/{model.name}@{action.alias}</code> no longer loads; set it again on any version later.
          </p>
        </ConfirmDialog>
      ) : null}
      {action?.kind === 'delete' ? (
        <ConfirmDialog
          title={`Delete ${model.name} v${action.version.version}?`}
          confirmLabel="Delete version"
          busyLabel="Deleting…"
          name={model.name}
          write={() => getApi()['models.deleteVersion']({ name: model.name, version: action.version.version })}
          onClose={close}
          testId="delete-version"
        >
          <p>
            The version is removed from the registry{action.version.aliases.length > 0 ? `, with its aliases (${action.version.aliases.map((alias) => `@${alias}`).join(', ')})` : ''}. Its number, v
            {action.version.version}, is never reused. The run it came from and its artifacts stay.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

/**
 * The versions table's keys, bound on the document like the other lists: ↑/↓ or j/k move, Enter
 * (or →/← and l/h) opens and closes the signature, `s`, `a` and `e` open Move to stage…, Set
 * alias… and Evaluate….
 */
function useVersionKeys(
  versions: readonly ModelVersion[],
  current: ModelVersion | null,
  actions: { select(version: number): void; toggle(version: number, open?: boolean): void; act(kind: 'stage' | 'alias' | 'evaluate', version: ModelVersion): void },
): void {
  const latest = useRef({ versions, current, actions });
  latest.current = { versions, current, actions };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isTyping(event.target) || useUiStore.getState().paletteOpen || document.querySelector('[role="dialog"]')) return;
      const { versions: list, current: version, actions: act } = latest.current;
      if (!version) return;
      // Enter on a focused link or button is theirs (the run link, a row's buttons).
      if (event.key === 'Enter' && event.target instanceof Element && event.target.closest('a, button')) return;
      const target = navigationTarget(event.key, list.indexOf(version), list.length);
      switch (event.key) {
        case 'Enter':
          act.toggle(version.version);
          break;
        case 'ArrowRight':
        case 'l':
          act.toggle(version.version, true);
          break;
        case 'ArrowLeft':
        case 'h':
          act.toggle(version.version, false);
          break;
        case 's':
        case 'a':
        case 'e':
          act.act(event.key === 's' ? 'stage' : event.key === 'a' ? 'alias' : 'evaluate', version);
          break;
        default:
          if (target === null) return;
          act.select(list[target]!.version);
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
