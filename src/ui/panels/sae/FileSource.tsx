// The SAE tab's file source: pick or drop an activations file (.npy or JSON, 2-D) and, optionally, the
// ground-truth directions to score MMCS. The engine's validator (activationsFile.ts) judges both; its messages show
// here. A link cannot carry the file, which this section says.

import { useId, useState, type DragEvent } from 'react';
import { ACTIVATION_LIMITS } from '../../../engine/sae/activationsFile.ts';
import { getSaeController } from '../../../state/saeController.ts';
import { useSae } from '../../../state/saeStore.ts';
import { FieldErrors } from '../../controls/FieldErrors.tsx';
import { count, num } from '../../format.ts';
import { FILE_LINK_CAVEAT, FILE_NOT_IN_LINK } from './fileText.ts';

const ACCEPT = '.npy,.json,application/json,application/octet-stream';

const size = (bytes: number) => (bytes < 1024 * 1024 ? `${num(bytes / 1024, 3)} kB` : `${num(bytes / 1024 / 1024, 3)} MB`);

export function FileSource() {
  const dataId = useId(), truthId = useId();
  const file = useSae((s) => s.file);
  const fileErrors = useSae((s) => s.editErrors.file);
  const truthErrors = useSae((s) => s.editErrors.truth);
  const wanted = useSae((s) => s.fileWanted);
  const [over, setOver] = useState(false);
  const c = getSaeController();
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) void c.openFile(f, 'data');
  };
  return (
    <div
      className={`sae-file${over ? ' sae-file-over' : ''}`}
      data-sae-file={file ? `${file.rows}x${file.cols}` : ''}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      {wanted && <p className="sae-file-wanted" role="status" data-sae-file-wanted>{FILE_NOT_IN_LINK}</p>}
      <div className="field">
        <label htmlFor={dataId}>activations file (or drop it here)</label>
        <input
          id={dataId}
          type="file"
          accept={ACCEPT}
          data-sae-control="file"
          aria-describedby={`${dataId}-hint ${dataId}-error`}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void c.openFile(f, 'data');
            e.target.value = '';
          }}
        />
        <FieldErrors id={`${dataId}-error`} errors={fileErrors} />
        <p className="field-hint" id={`${dataId}-hint`}>
          A 2-D float32 or float64 <code>.npy</code> (rows × d, d from {ACTIVATION_LIMITS.minDim} to {count(ACTIVATION_LIMITS.maxDim)}, at most{' '}
          {count(ACTIVATION_LIMITS.maxValues)} values), or JSON <code>{'{"shape": [N, d], "data": […]}'}</code> or <code>[[…], […]]</code>. README has a
          PyTorch snippet that writes one.
        </p>
      </div>
      {file && (
        <p className="field-hint sae-file-info" data-sae-file-info>
          <strong>{file.name}</strong>: {count(file.rows)} rows × d = {file.cols} ({file.format}, {size(file.bytes)}, read and checked in {num(file.parseMs, 2)} ms{file.firstSnapshotMs !== null ? `, training ${num(file.firstSnapshotMs, 2)} ms after it was chosen` : ''})
          {file.notes.length ? `; ${file.notes.join(', ')}` : ''}.
        </p>
      )}
      <div className="field">
        <label htmlFor={truthId}>ground-truth directions (optional, k × d)</label>
        <input
          id={truthId}
          type="file"
          accept={ACCEPT}
          data-sae-control="truth"
          disabled={!file}
          aria-describedby={`${truthId}-error`}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void c.openFile(f, 'truth');
            e.target.value = '';
          }}
        />
        <FieldErrors id={`${truthId}-error`} errors={truthErrors} />
        {file?.truth ? (
          <p className="field-hint">
            MMCS against <strong>{file.truth.name}</strong> ({file.truth.rows} directions).{' '}
            <button type="button" className="link-button" onClick={() => c.clearTruth()}>remove</button>
          </p>
        ) : (
          file && <p className="field-hint">Without them the SAE trains as usual; MMCS needs known directions.</p>
        )}
      </div>
      <p className="field-hint sae-file-link" role="note">{FILE_LINK_CAVEAT}</p>
    </div>
  );
}
