import { useEffect, useState, type ReactElement } from 'react';
import { reportError } from '../stores/toasts';
import { CheckIcon, CopyIcon } from './icons';

/** One click copies `text` (a URL, a command); the icon says when it did. */
export function CopyButton({ text, label, testId, ariaLabel }: { text: string; label: string; testId?: string; ariaLabel?: string }): ReactElement {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1200);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = (): void => {
    navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      (error: unknown) => reportError(`Copying the ${label} failed`, error),
    );
  };
  return (
    <button type="button" className="icon-button" onClick={copy} aria-label={ariaLabel ?? `Copy the ${label}`} title={`Copy the ${label}`} data-testid={testId} data-copied={copied}>
      {copied ? <CheckIcon size={13} /> : <CopyIcon size={13} />}
    </button>
  );
}
