import type { ReactElement } from 'react';
import type { ModelStage } from '../../../shared/registry';
import { CloseIcon } from '../../components/icons';
import './registry-badges.css';

/** A version's stage, in the same four colours everywhere (list, page, run header). */
export function StageBadge({ stage, version }: { stage: ModelStage; version?: number }): ReactElement {
  return (
    <span className="stage-badge" data-stage={stage} data-testid="stage-badge" title={stageHints[stage]}>
      {stage}
      {version !== undefined ? <span className="numeric"> v{version}</span> : null}
    </span>
  );
}

const stageHints: Record<ModelStage, string> = {
  None: 'No stage yet',
  Staging: 'Staging: being tried before production',
  Production: 'Production: the version serving',
  Archived: 'Archived: kept, no longer used',
};

/** `@champion`; with `onRemove`, a ✕ that asks to remove it. */
export function AliasChip({ alias, onRemove, version }: { alias: string; onRemove?: () => void; version?: number }): ReactElement {
  return (
    <span className="alias-chip" data-testid="alias-chip" data-alias={alias}>
      @{alias}
      {version !== undefined ? <span className="alias-chip-version numeric"> v{version}</span> : null}
      {onRemove ? (
        <button
          type="button"
          className="alias-chip-remove"
          onClick={(event) => {
            event.stopPropagation();
            onRemove();
          }}
          aria-label={`Remove alias @${alias}`}
          title={`Remove @${alias}…`}
          data-testid="alias-remove"
        >
          <CloseIcon size={10} />
        </button>
      ) : null}
    </span>
  );
}
