/**
 * Opens the OS file (or folder) picker from code: the command palette and the Import button share
 * it. Must run inside a user gesture (a click or a key press), as browsers require.
 */
export function openFilePicker(options: { directory: boolean; accept?: string }, onPick: (files: FileList) => void): void {
  const input = document.createElement('input');
  input.type = 'file';
  input.multiple = !options.directory;
  if (options.directory) input.webkitdirectory = true;
  if (options.accept && !options.directory) input.accept = options.accept;
  input.dataset.testid = options.directory ? 'import-folder-input' : 'import-file-input';
  input.style.display = 'none';
  input.addEventListener('change', () => {
    if (input.files && input.files.length > 0) onPick(input.files);
    input.remove();
  }, { once: true });
  input.addEventListener('cancel', () => input.remove(), { once: true });
  // In the document so tests (and some browsers) can reach it; removed once used.
  document.body.append(input);
  input.click();
}

/** What the file picker offers first; any file can still be chosen. */
export const importAccept = '.csv,.tsv,.txt,.parquet,.jsonl,.ndjson,.json,.onnx';
