import type { RegistryEvent } from '../../shared/registry';
import { shortId } from './format';
import { runIdOfSource } from './model-names';

/**
 * A model's history in plain words: "v3 moved Staging → Production", "@champion moved from v2
 * to v3". The server records each change as kind + from → to (registry-service.ts); kinds this
 * renderer does not know yet are still shown, as "kind: from → to".
 */
export function describeRegistryEvent(event: RegistryEvent): string {
  const version = event.version === null ? null : `v${event.version}`;
  const subject = version ?? 'The model';
  switch (event.kind) {
    case 'create_model':
      return 'Model created';
    case 'delete_model':
      return 'Model deleted';
    case 'rename':
      return `Renamed from ${event.from ?? '?'} to ${event.to ?? '?'}`;
    case 'create_version': {
      const runId = runIdOfSource(event.to);
      return `${subject} registered${runId ? ` from run ${shortId(runId)}` : event.to ? ` from ${event.to}` : ''}`;
    }
    case 'delete_version':
      return `${subject} deleted`;
    case 'stage':
      return `${subject} moved ${event.from ?? 'None'} → ${event.to ?? 'None'}`;
    case 'archive_existing':
      // Written just before the stage move it belongs to, so a sync can replay the flag.
      return `Other versions in ${event.to ?? '?'} archived as ${version ?? 'the version'} moved there`;
    case 'alias':
      return describeAlias(event, version);
    case 'description':
      if (!event.to) return version ? `${version} description cleared` : 'Description cleared';
      return version ? `${version} description changed` : 'Description changed';
    case 'tag':
      return `${version ? `${version} tag` : 'Tag'} ${event.from ?? '?'} set to “${event.to ?? ''}”`;
    case 'delete_tag':
      return `${version ? `${version} tag` : 'Tag'} ${event.from ?? '?'} removed`;
    default:
      return `${version ? `${version} ` : ''}${event.kind.replaceAll('_', ' ')}${event.from || event.to ? `: ${event.from ?? '—'} → ${event.to ?? '—'}` : ''}`;
  }
}

/** Set: to `@a`, from null. Moved: from `@a on v2`. Removed: from `@a`, to null. */
function describeAlias(event: RegistryEvent, version: string | null): string {
  if (event.to === null) return `${event.from ?? '@?'} removed${version ? ` from ${version}` : ''}`;
  const moved = event.from ? /^(@\S+) on (v\d+)$/.exec(event.from) : null;
  if (moved) return `${event.to} moved from ${moved[2]} to ${version ?? '?'}`;
  return `${event.to} set on ${version ?? '?'}`;
}

/** The event kind as a short label for the history's first column. */
export function registryEventLabel(kind: string): string {
  const labels: Record<string, string> = {
    create_model: 'created',
    delete_model: 'deleted',
    rename: 'renamed',
    create_version: 'registered',
    delete_version: 'deleted',
    stage: 'stage',
    archive_existing: 'stage',
    alias: 'alias',
    description: 'description',
    tag: 'tag',
    delete_tag: 'tag',
  };
  return labels[kind] ?? kind.replaceAll('_', ' ');
}
