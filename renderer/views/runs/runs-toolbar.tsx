import type { ReactElement } from 'react';
import { selectExperimentName, useExperimentsStore } from '../../stores/experiments';
import { isTreeMode, useRunsStore } from '../../stores/runs';
import { ColumnChooser } from './column-chooser';
import { FilterBox } from './filter-box';
import { SelectionBar, SelectionNotice } from './selection-bar';
import './runs-toolbar.css';

/** Title, count, comparison selection, filter and columns above the runs table. */
export function RunsToolbar(): ReactElement {
  const experimentId = useRunsStore((state) => state.experimentId);
  const total = useRunsStore((state) => state.total);
  const treeMode = useRunsStore(isTreeMode);
  const loading = useRunsStore((state) => state.loading);
  const filterRejected = useRunsStore((state) => state.filterError !== null);
  const name = useExperimentsStore(selectExperimentName(experimentId));
  const title = experimentId === null ? 'All experiments' : (name ?? `Experiment ${experimentId}`);
  return (
    <div className="runs-toolbar">
      <div className="runs-title-row">
        <h1 className="runs-title" data-testid="runs-title">{title}</h1>
        <span className="runs-count numeric" data-testid="runs-count">
          {filterRejected ? 'filter not applied — showing the previous result' : total === null ? '' : treeMode ? `${total} top-level ${total === 1 ? 'run' : 'runs'}` : `${total} matching ${total === 1 ? 'run' : 'runs'}`}
        </span>
        {loading ? <span className="spinner" aria-label="Loading" /> : null}
        <span className="runs-title-spacer" />
        <SelectionBar />
        <ColumnChooser />
      </div>
      <FilterBox />
      <SelectionNotice />
    </div>
  );
}
