import { useEffect, useState, type ReactElement } from 'react';
import { shortId } from '../lib/format';
import { reportError } from '../stores/toasts';
import { CheckIcon, CopyIcon } from './icons';

/** A long id shown short, with the full id in the tooltip and one click to copy it. */
export function CopyId({ id, label = 'id' }: { id: string; label?: string }): ReactElement {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1200);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = (): void => {
    navigator.clipboard.writeText(id).then(
      () => setCopied(true),
      (error: unknown) => reportError(`Copying the ${label} failed`, error),
    );
  };
  return (
    <span className="copy-id" title={id}>
      <code data-testid="copy-id-text">{shortId(id)}</code>
      <button type="button" className="icon-button" onClick={copy} aria-label={`Copy ${label} ${id}`} data-testid="copy-id-button">
        {copied ? <CheckIcon size={13} /> : <CopyIcon size={13} />}
      </button>
    </span>
  );
}
