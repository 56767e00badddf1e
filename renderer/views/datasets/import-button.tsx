import type { ReactElement } from 'react';
import { FolderIcon, UploadIcon } from '../../components/icons';
import { pickFilesToImport } from '../../stores/imports';

/** "Import…" with a file picker, and a folder picker beside it (a folder of files or images). */
export function ImportButton(): ReactElement {
  return (
    <span className="button-group">
      <button type="button" className="button primary" onClick={() => pickFilesToImport(false)} data-testid="import-button" title="Import a CSV, Parquet or JSON-lines file (or drop it anywhere on the window)">
        <UploadIcon size={14} />
        Import…
      </button>
      <button type="button" className="button" onClick={() => pickFilesToImport(true)} data-testid="import-folder-button" title="Import a folder: several tables, or images with a labels file">
        <FolderIcon size={14} />
        Folder…
      </button>
    </span>
  );
}
