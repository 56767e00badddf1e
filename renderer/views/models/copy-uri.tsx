import { useEffect, useState, type ReactElement } from 'react';
import { CheckIcon, CopyIcon } from '../../components/icons';
import { modelVersionUri } from '../../lib/model-names';
import { reportError } from '../../stores/toasts';

/** One click copies `models:/name/<version>`, the URI serving, evaluation and MLflow clients load. */
export function CopyUri({ name, version, showText = false }: { name: string; version: number; showText?: boolean }): ReactElement {
  const uri = modelVersionUri(name, version);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1200);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = (): void => {
    navigator.clipboard.writeText(uri).then(
      () => setCopied(true),
      (error: unknown) => reportError('Copying the model URI failed', error),
    );
  };
  return (
    <span className="copy-id" title={uri}>
      {showText ? <code data-testid="version-uri">{uri}</code> : null}
      <button type="button" className="icon-button" onClick={copy} aria-label={`Copy ${uri}`} title={`Copy ${uri}`} data-testid="copy-uri" data-uri={uri}>
        {copied ? <CheckIcon size={13} /> : <CopyIcon size={13} />}
      </button>
    </span>
  );
}
