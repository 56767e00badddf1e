import { useState, type FormEvent, type ReactElement } from 'react';
import { datasetNamePattern, type ImportSelection } from '../lib/dropped-files';
import { formatBytes } from '../lib/format';
import { useDatasetsStore } from '../stores/datasets';
import { useImportsStore } from '../stores/imports';
import { Dialog } from './dialog';
import { FileIcon, FolderIcon } from './icons';

/** Opens when files are dropped or picked: the dataset name (default: the file name) and options. */
export function ImportDialog(): ReactElement | null {
  const pending = useImportsStore((state) => state.pending);
  // A new drop while the dialog is open starts the form afresh.
  return pending ? <ImportForm key={`${pending.label}:${pending.knownBytes ?? ''}`} selection={pending} /> : null;
}

function ImportForm({ selection }: { selection: ImportSelection }): ReactElement {
  const { dismiss, start } = useImportsStore.getState();
  const [name, setName] = useState(selection.defaultName);
  const [skipBadRows, setSkipBadRows] = useState(false);
  const [writeDvcFile, setWriteDvcFile] = useState(false);
  const trimmed = name.trim();
  const existing = useDatasetsStore((state) => state.summaries.find((summary) => summary.name === trimmed));
  const nameError = trimmed === '' ? 'Give the dataset a name.' : datasetNamePattern.test(trimmed) ? null : "Use letters, digits, '.', '_' or '-', starting with a letter or digit (at most 128).";

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (nameError) return;
    void start(selection, { name: trimmed, skipBadRows, writeDvcFile });
  };

  return (
    <Dialog
      title="Import a dataset"
      onClose={dismiss}
      testId="import-dialog"
      footer={
        <>
          <span className="field-hint spacer">{selection.path ? 'Read in place — nothing is copied through the window.' : 'The files are uploaded to the local Trainyard server.'}</span>
          <button type="button" className="button" onClick={dismiss} data-testid="import-cancel">Cancel</button>
          <button type="submit" form="import-form" className="button primary" disabled={nameError !== null} data-testid="import-submit">Import</button>
        </>
      }
    >
      <form id="import-form" onSubmit={submit}>
        <div className="import-source" data-testid="import-source">
          {selection.kind === 'file' ? <FileIcon size={16} /> : <FolderIcon size={16} />}
          <span className="import-source-name" title={selection.path ?? selection.label}>{selection.path ?? selection.label}</span>
          <span className="faint numeric">{selection.knownBytes === null ? 'folder' : formatBytes(selection.knownBytes)}</span>
        </div>
        <label className="field">
          <span className="field-label">Dataset name</span>
          <input
            className="input"
            autoFocus
            value={name}
            onChange={(event) => setName(event.target.value)}
            aria-invalid={nameError !== null}
            data-testid="import-name"
            spellCheck={false}
          />
          {nameError ? (
            <span className="inline-error">{nameError}</span>
          ) : (
            <span className="field-hint" data-testid="import-name-hint">
              {existing ? `Adds version ${existing.latestVersion + 1} to “${existing.name}” — unless the content is identical to a version it has.` : 'A new dataset, at version 1.'}
            </span>
          )}
        </label>
        <label className="check">
          <input type="checkbox" checked={skipBadRows} onChange={(event) => setSkipBadRows(event.target.checked)} data-testid="import-skip-bad-rows" />
          <span>
            Skip bad rows
            <span className="field-hint"> — count and drop CSV rows with the wrong number of fields instead of stopping at the first one</span>
          </span>
        </label>
        {selection.path ? (
          <label className="check">
            <input type="checkbox" checked={writeDvcFile} onChange={(event) => setWriteDvcFile(event.target.checked)} />
            <span>
              Write a <code>.dvc</code> file beside it
              <span className="field-hint"> — when it sits in a git repository, so the data also works with DVC</span>
            </span>
          </label>
        ) : null}
      </form>
    </Dialog>
  );
}
