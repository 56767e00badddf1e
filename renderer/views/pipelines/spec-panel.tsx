import { useEffect, useMemo, useState, type ReactElement } from 'react';
import { CheckIcon, CopyIcon } from '../../components/icons';
import { reportError } from '../../stores/toasts';

/** The spec as stored (read-only): monospace with line numbers, so a `pipeline.yaml:12:5` message is easy to find. */
export function SpecPanel({ spec, path }: { spec: string; path: string | null }): ReactElement {
  const lines = useMemo(() => spec.replace(/\n$/, '').split('\n'), [spec]);
  return (
    <div className="spec-panel" data-testid="spec-panel">
      <div className="spec-toolbar">
        <span className="faint">{path ? <>Registered from <code>{path}</code>; change the file and add it again to update it.</> : 'Registered from pasted YAML.'}</span>
        <span className="spacer" />
        <CopySpec spec={spec} />
      </div>
      <pre className="spec-code" aria-label="Pipeline spec" data-testid="spec-code">
        {lines.map((line, index) => (
          <span key={index} className="spec-line">
            <span className="spec-number numeric" aria-hidden="true">{index + 1}</span>
            <span className="spec-text">{line || ' '}</span>
          </span>
        ))}
      </pre>
    </div>
  );
}

function CopySpec({ spec }: { spec: string }): ReactElement {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1200);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = (): void => {
    navigator.clipboard.writeText(spec).then(
      () => setCopied(true),
      (error: unknown) => reportError('Copying the spec failed', error),
    );
  };
  return (
    <button type="button" className="button compact" onClick={copy} data-testid="copy-spec">
      {copied ? <CheckIcon size={12} /> : <CopyIcon size={12} />}
      {copied ? 'Copied' : 'Copy YAML'}
    </button>
  );
}
