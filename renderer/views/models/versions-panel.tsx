import { Fragment, useEffect, useRef, useState, type ReactElement } from 'react';
import type { ModelVersion, RegisteredModel } from '../../../shared/registry';
import { getApi } from '../../api/connection';
import { EmptyState } from '../../components/empty-state';
import { ChevronIcon, TrashIcon } from '../../components/icons';
import { formatTimestamp } from '../../lib/format';
import { navigationTarget } from '../../lib/list-navigation';
import { useUiStore } from '../../stores/ui';
import { isTyping } from '../runs/use-table-keyboard';
import { CopyUri } from './copy-uri';
import { AliasChip, StageBadge } from './registry-badges';
import { KeyMetrics, SourceRunLink } from './source-run';
import { VersionDetail } from './version-detail';
import { AliasDialog, ConfirmDialog, StageDialog } from './version-dialogs';

type Action =
  | { readonly kind: 'stage' | 'alias' | 'delete'; readonly version: ModelVersion }
  | { readonly kind: 'unalias'; readonly version: ModelVersion; readonly alias: string };

/**
 * Every version, newest first: stage, aliases, the run it came from and that run's key metrics.
 * A row opens to show the signature; its buttons move the stage, set an alias, copy the URI or
 * delete it — each after a confirmation.
 */
export function VersionsPanel({ model, versions }: { model: RegisteredModel; versions: readonly ModelVersion[] }): ReactElement {
  const [selected, setSelected] = useState<number | null>(versions[0]?.version ?? null);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  const [action, setAction] = useState<Action | null>(null);
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
      <table className="data-table model-versions-table" aria-label="Versions">
        <colgroup>
          <col style={{ width: 84 }} />
          <col style={{ width: 112 }} />
          <col style={{ width: 150 }} />
          <col style={{ width: 150 }} />
          <col style={{ width: 230 }} />
          <col style={{ width: 200 }} />
          <col />
          <col style={{ width: 190 }} />
        </colgroup>
        <thead>
          <tr>
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
                    <CopyUri name={version.name} version={version.version} />
                    <button type="button" className="icon-button" onClick={() => setAction({ kind: 'delete', version })} aria-label={`Delete v${version.version}`} title="Delete version…" data-testid="version-delete">
                      <TrashIcon size={13} />
                    </button>
                  </td>
                </tr>
                {open ? (
                  <tr className="version-detail-row" data-testid="version-detail-row" data-version={version.version}>
                    <td colSpan={8}>
                      <VersionDetail version={version} />
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
        <span className="kbd">a</span> sets an alias. Load a version as <code>models:/{model.name}/&lt;version&gt;</code> or <code>models:/{model.name}@&lt;alias&gt;</code>.
      </p>
      {action?.kind === 'stage' ? <StageDialog version={action.version} versions={versions} onClose={close} /> : null}
      {action?.kind === 'alias' ? <AliasDialog model={model} version={action.version} onClose={close} /> : null}
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
 * (or →/← and l/h) opens and closes the signature, `s` and `a` open Move to stage… and Set alias….
 */
function useVersionKeys(
  versions: readonly ModelVersion[],
  current: ModelVersion | null,
  actions: { select(version: number): void; toggle(version: number, open?: boolean): void; act(kind: 'stage' | 'alias', version: ModelVersion): void },
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
          act.act(event.key === 's' ? 'stage' : 'alias', version);
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
