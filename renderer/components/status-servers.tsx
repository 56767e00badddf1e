import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { ServedModelInfo } from '../../shared/serving';
import { formatDuration } from '../lib/format';
import { modelHref } from '../lib/hash-route';
import { useNow } from '../lib/use-now';
import { useServingStore } from '../stores/serving';
import { CopyButton } from './copy-text';
import { StopServerDialog } from './stop-server-dialog';
import './status-servers.css';

/**
 * "Servers" in the status bar: how many model servers run, and on click every one of them — its
 * URL to copy, uptime, the model page to try it on, and Stop (after a confirmation).
 */
export function StatusServers(): ReactElement {
  const servers = useServingStore((state) => state.servers);
  const [open, setOpen] = useState(false);
  const [stopping, setStopping] = useState<ServedModelInfo | null>(null);
  const root = useRef<HTMLSpanElement>(null);
  const now = useNow(open);

  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent): void => {
      // The confirmation is a dialog outside the popover: clicks there keep the list open.
      if (!root.current?.contains(event.target as Node) && !(event.target instanceof Element && event.target.closest('[role="dialog"]'))) setOpen(false);
    };
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && !event.defaultPrevented && !document.querySelector('[role="dialog"]')) {
        event.preventDefault();
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', onDown);
    // Capture: the popover's Esc comes before a page's own (which would leave the page).
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [open]);

  const count = servers.length;
  return (
    <span className="status-servers" ref={root}>
      <button
        type="button"
        className="status-item status-running"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        title="Model servers running in this app"
        data-testid="status-servers"
        data-count={count}
      >
        <span className={`serving-dot${count > 0 ? ' on' : ''}`} aria-hidden="true" />
        {count === 0 ? 'No servers' : count === 1 ? '1 server' : `${count} servers`}
      </button>
      {open ? (
        <div className="servers-popover" role="region" aria-label="Model servers" data-testid="servers-popover">
          <div className="servers-popover-title">Model servers</div>
          {count === 0 ? (
            <p className="servers-empty" data-testid="servers-empty">
              None running. Serve a version from its model’s page (<strong>Serve</strong>). Servers live only while the app runs: they stop when Trainyard quits.
            </p>
          ) : (
            <ul className="servers-list">
              {servers.map((server) => (
                <li key={server.id} className="servers-item" data-testid="servers-item" data-server={server.id}>
                  <div className="servers-item-top">
                    {server.model ? (
                      <a href={modelHref(server.model.name, 'serving')} onClick={() => setOpen(false)} className="servers-label" title="Try it on the model's Serving tab">{server.label}</a>
                    ) : (
                      <span className="servers-label">{server.label}</span>
                    )}
                    <span className="faint numeric" title={`since ${new Date(server.startedAt).toLocaleString()}`}>up {formatDuration((now || Date.now()) - server.startedAt)}</span>
                    <button type="button" className="button compact" onClick={() => setStopping(server)} data-testid="servers-stop">Stop…</button>
                  </div>
                  <div className="servers-item-url">
                    <code title={`${server.url}/invocations`}>{server.url}</code>
                    <CopyButton text={server.url} label="server URL" testId="servers-copy-url" />
                    <span className="faint mono servers-uri" title={server.uri}>{server.uri}</span>
                  </div>
                </li>
              ))}
            </ul>
          )}
          <p className="servers-note faint">Servers live only while the app runs.</p>
        </div>
      ) : null}
      {stopping ? <StopServerDialog server={stopping} onClose={() => setStopping(null)} /> : null}
    </span>
  );
}
