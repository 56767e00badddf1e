import { useEffect, useState, type ReactElement } from 'react';
import { getConnection } from '../api/connection';
import { selectionFromDataTransfer } from '../lib/dropped-files';
import { useImportsStore } from '../stores/imports';
import { UploadIcon } from './icons';
import './drop-zone.css';

const carriesFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') ?? false;

/**
 * The whole window accepts dropped files and folders: while files are dragged over it, an overlay
 * says what a drop does; the drop opens the import dialog. Drags of anything else (text, links)
 * are left alone, and a file dropped anywhere never makes the window navigate to it.
 */
export function DropZone(): ReactElement | null {
  const [active, setActive] = useState(false);

  useEffect(() => {
    // dragenter/dragleave fire for every element crossed; the window is left when they balance.
    let depth = 0;
    const onEnter = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth += 1;
      setActive(true);
    };
    const onOver = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setActive(false);
    };
    const onDrop = (event: DragEvent): void => {
      if (!carriesFiles(event) || !event.dataTransfer) return;
      event.preventDefault();
      depth = 0;
      setActive(false);
      // Read now: the DataTransfer is emptied as soon as this handler returns.
      const connection = getConnection();
      const selection = selectionFromDataTransfer(event.dataTransfer, (file) => connection.pathForFile(file));
      if (selection) useImportsStore.getState().offer(selection);
    };
    const onEnd = (): void => {
      depth = 0;
      setActive(false);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    window.addEventListener('dragend', onEnd);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
      window.removeEventListener('dragend', onEnd);
    };
  }, []);

  if (!active) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-card">
        <UploadIcon size={28} />
        <div className="drop-title">Drop to import</div>
        <div className="drop-hint">A dataset: CSV, Parquet or JSON lines — or a folder of them, or of images with a labels file. A model: one .onnx file.</div>
      </div>
    </div>
  );
}
