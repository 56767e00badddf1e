import { useRef, type ReactElement } from 'react';
import type { ColumnProfile, DatasetVersion, ImageProfile } from '../../../shared/datasets';
import { EmptyState } from '../../components/empty-state';
import { Histogram, TopValues } from './histogram';
import { formatShare, formatStat, isNumeric } from './profile-format';
import './profile.css';

/** The schema at a glance, then one card per column with its statistics and distribution. */
export function ProfilePanel({ version }: { version: DatasetVersion }): ReactElement {
  const { profile } = version;
  const cards = useRef<HTMLDivElement>(null);
  const reveal = (name: string): void => {
    const card = cards.current?.querySelector(`[data-column="${CSS.escape(name)}"]`);
    card?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    card?.classList.add('flash');
    setTimeout(() => card?.classList.remove('flash'), 900);
  };
  return (
    <div className="profile" data-testid="profile-panel">
      {profile.images ? <ImagesCard images={profile.images} /> : null}
      <h2 className="panel-heading">
        Schema <span className="faint">· {profile.columns.length} columns · {profile.rowCount.toLocaleString('en-US')} rows</span>
      </h2>
      {profile.columns.length === 0 ? (
        <EmptyState title="No columns">This version holds no table: nothing was read as data.</EmptyState>
      ) : (
        <table className="data-table schema-table" data-testid="schema-table" aria-label="Schema">
          <thead>
            <tr>
              <th className="right">#</th>
              <th>Column</th>
              <th>Type</th>
              <th className="right">Nulls</th>
              <th className="right">Distinct</th>
              <th className="right">Min</th>
              <th className="right">Max</th>
              <th className="right">Mean</th>
            </tr>
          </thead>
          <tbody>
            {profile.columns.map((column, index) => (
              <tr key={column.name} onClick={() => reveal(column.name)} data-testid="schema-row" data-column={column.name}>
                <td className="right numeric faint">{index + 1}</td>
                <td className="mono schema-name">{column.name}</td>
                <td><span className="type-badge" data-kind={column.kind}>{column.type}</span></td>
                <td className="right numeric">
                  <NullShare nulls={column.nullCount} count={column.count} />
                </td>
                <td className="right numeric">{column.distinctCount.toLocaleString('en-US')}</td>
                <td className="right numeric" title={String(column.min ?? '')}>{formatStat(column.min)}</td>
                <td className="right numeric" title={String(column.max ?? '')}>{formatStat(column.max)}</td>
                <td className="right numeric">{formatStat(column.mean)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {profile.columns.length > 0 ? <h2 className="panel-heading profile-columns-heading">Columns</h2> : null}
      <div className="column-cards" ref={cards}>
        {profile.columns.map((column) => (
          <ColumnCard key={column.name} column={column} />
        ))}
      </div>
    </div>
  );
}

function NullShare({ nulls, count }: { nulls: number; count: number }): ReactElement {
  const share = count > 0 ? nulls / count : 0;
  return (
    <span className={`null-share${nulls > 0 ? ' some' : ''}`}>
      {nulls > 0 ? <span className="null-bar" style={{ width: `${Math.max(3, share * 48)}px` }} aria-hidden="true" /> : null}
      {formatShare(nulls, count)}
    </span>
  );
}

function Stat({ name, label, value }: { name: string; label: string; value: string }): ReactElement {
  return (
    <div className="column-stat" data-testid="column-stat" data-stat={name}>
      <dt>{label}</dt>
      <dd className="numeric" title={value}>{value}</dd>
    </div>
  );
}

/** One column: type, nulls, distinct values, range and moments, and its histogram or top values. */
function ColumnCard({ column }: { column: ColumnProfile }): ReactElement {
  const numeric = isNumeric(column);
  const nonNull = column.count - column.nullCount;
  return (
    <article className="column-card" data-testid="column-card" data-column={column.name} data-kind={column.kind}>
      <header className="column-card-header">
        <span className="column-card-name mono" title={column.name}>{column.name}</span>
        {column.distinctCount === nonNull && nonNull > 1 ? <span className="unique-badge" title="Every non-null value is different">unique</span> : null}
        <span className="type-badge" data-kind={column.kind}>{column.type}</span>
      </header>
      <dl className="column-stats">
        <Stat name="nulls" label="Nulls" value={formatShare(column.nullCount, column.count)} />
        <Stat name="distinct" label="Distinct" value={column.distinctCount.toLocaleString('en-US')} />
        <Stat name="min" label="Min" value={formatStat(column.min)} />
        <Stat name="max" label="Max" value={formatStat(column.max)} />
        {numeric ? (
          <>
            <Stat name="mean" label="Mean" value={formatStat(column.mean)} />
            <Stat name="std" label="Std" value={formatStat(column.std)} />
            {column.quantiles ? (
              <Stat name="quantiles" label="p25 · p50 · p75" value={`${formatStat(column.quantiles.p25)} · ${formatStat(column.quantiles.p50)} · ${formatStat(column.quantiles.p75)}`} />
            ) : null}
          </>
        ) : null}
      </dl>
      {numeric && column.histogram.length > 0 ? <Histogram bins={column.histogram} /> : <TopValues values={column.topValues} total={nonNull} />}
    </article>
  );
}

/** Image folders: how many, how big, which formats, and how the classes are balanced. */
function ImagesCard({ images }: { images: ImageProfile }): ReactElement {
  const most = Math.max(1, ...images.classCounts.map((entry) => entry.count));
  const size = (axis: ImageProfile['width']): string => (axis.min === axis.max ? `${axis.min}` : `${axis.min}–${axis.max} (mean ${formatStat(axis.mean)})`);
  return (
    <section className="images-card" data-testid="images-card">
      <div className="images-facts">
        <div><span className="images-big numeric">{images.imageCount.toLocaleString('en-US')}</span> images</div>
        <dl className="column-stats">
          <Stat name="width" label="Width px" value={size(images.width)} />
          <Stat name="height" label="Height px" value={size(images.height)} />
          <Stat name="formats" label="Formats" value={images.formats.map((format) => `${format.value} ${format.count}`).join(' · ') || '—'} />
          <Stat name="classes" label="Classes" value={String(images.classCounts.length)} />
        </dl>
      </div>
      <div className="images-classes">
        <h3 className="panel-heading">Class counts</h3>
        <div className="top-values">
          {images.classCounts.slice(0, 24).map((entry) => (
            <div key={entry.label} className="top-value" data-testid="class-count">
              <span className="top-value-label mono">{entry.label}</span>
              <span className="top-value-bar">
                <span className="top-value-fill" style={{ width: `${(entry.count / most) * 100}%` }} />
              </span>
              <span className="top-value-count numeric">{entry.count.toLocaleString('en-US')}</span>
            </div>
          ))}
          {images.classCounts.length > 24 ? <div className="faint">and {images.classCounts.length - 24} more classes</div> : null}
        </div>
      </div>
    </section>
  );
}
