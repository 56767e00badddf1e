import type { ReactElement } from 'react';
import { shortId } from '../lib/format';
import { CopyButton } from './copy-text';

/** A long id shown short, with the full id in the tooltip and one click to copy it. */
export function CopyId({ id, label = 'id' }: { id: string; label?: string }): ReactElement {
  return (
    <span className="copy-id" title={id}>
      <code data-testid="copy-id-text">{shortId(id)}</code>
      <CopyButton text={id} label={label} ariaLabel={`Copy ${label} ${id}`} testId="copy-id-button" />
    </span>
  );
}
