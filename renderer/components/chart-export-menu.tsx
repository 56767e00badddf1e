import { useEffect, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { downloadBlob, downloadText, drawnSize, safeFileName, standaloneSvg, svgToPngBlob } from '../lib/chart-export';
import { reportError } from '../stores/toasts';
import './chart-export-menu.css';

type Format = 'svg' | 'png';

/** What a chart hands over to be exported. */
export interface ChartExportMenuProps {
  /** The chart's name: the file's title and, made safe, its file name (`val/loss` → `val-loss.svg`). */
  readonly name: string;
  /**
   * The chart's SVG element, or null when nothing is drawn. May be async, so a chart drawn on a
   * canvas can render a vector version first.
   */
  readonly getSvg: () => Promise<SVGSVGElement | null> | SVGSVGElement | null;
}

/** 16-px stroke icon like those in icons.tsx: an arrow into a tray. */
function DownloadIcon(): ReactElement {
  return (
    <svg width={13} height={13} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M8 2.5v8M4.5 7L8 10.5 11.5 7" />
      <path d="M2.5 10.5v2a1 1 0 001 1h9a1 1 0 001-1v-2" />
    </svg>
  );
}

async function exportChart(format: Format, name: string, getSvg: ChartExportMenuProps['getSvg']): Promise<void> {
  const svg = await getSvg();
  if (!svg) throw new Error('The chart has nothing drawn yet');
  const text = standaloneSvg(svg, { title: name });
  const fileName = safeFileName(name);
  if (format === 'svg') {
    downloadText(text, `${fileName}.svg`, 'image/svg+xml;charset=utf-8');
  } else {
    const { width, height } = drawnSize(svg);
    downloadBlob(await svgToPngBlob(text, width, height), `${fileName}.png`);
  }
}

/** A chart's "Export" button: a two-item menu that downloads the chart as SVG or PNG. */
export function ChartExportMenu({ name, getSvg }: ChartExportMenuProps): ReactElement {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    root.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const onDown = (event: MouseEvent): void => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const choose = (format: Format): void => {
    setOpen(false);
    setBusy(true);
    exportChart(format, name, getSvg)
      .catch((error: unknown) => reportError(`Exporting ${name} as ${format.toUpperCase()} failed`, error))
      .finally(() => setBusy(false));
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !open) return;
    // Handled here: the comparison page would otherwise take Escape as "back to the runs".
    event.preventDefault();
    event.stopPropagation();
    setOpen(false);
    button.current?.focus();
  };

  return (
    <div className="chart-export" ref={root} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        className="icon-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-busy={busy}
        disabled={busy}
        onClick={() => setOpen(!open)}
        title="Export"
        aria-label={`Export ${name}`}
        data-testid="chart-export"
      >
        <DownloadIcon />
      </button>
      {open ? (
        <div className="chart-export-menu" role="menu" aria-label={`Export ${name} as`}>
          <button type="button" role="menuitem" className="chart-export-item" onClick={() => choose('svg')} data-testid="export-svg">SVG</button>
          <button type="button" role="menuitem" className="chart-export-item" onClick={() => choose('png')} data-testid="export-png">PNG</button>
        </div>
      ) : null}
    </div>
  );
}
