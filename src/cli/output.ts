// Where the CLI writes its JSON (--out): checked before any work, written so that a failure never
// leaves a partial file and never replaces something that is not a regular file.
//
// `--out -` (or no --out) prints to stdout. A target that exists must be a regular file: a device
// node (/dev/full), a symbolic link, a FIFO, a socket or a directory is refused, because writing
// beside it and renaming would replace it. The directory must exist and take a new file — tried
// with a real file, since permission bits do not tell (root, read-only mounts, /sys).

import { closeSync, lstatSync, openSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** `--out -`: print to stdout. */
export const STDOUT = '-';

function kindOf(st: Stats): string | null {
  if (st.isFile()) return null;
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

const lstat = (path: string): Stats | null => {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
};

/** The temporary file written beside `out` before the rename. */
const tmpOf = (out: string) => join(dirname(out), `.${basename(out)}.tmp-${process.pid}`);

const reason = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    default:
      return code ?? (e instanceof Error ? e.message : String(e));
  }
};

/**
 * Why `--out <out>` cannot be written, in one line naming the path as typed, or null. Creates and
 * removes one empty file beside the target to prove the directory takes new files.
 */
export function checkOut(out: string): string | null {
  if (out === STDOUT) return null;
  const st = lstat(out);
  if (st) {
    const kind = kindOf(st);
    if (kind) return `--out ${out} is ${kind}; give a regular file (or - to print to stdout)`;
  }
  const dir = dirname(out);
  const dst = lstat(dir);
  // a symlinked directory is fine: stat through it
  if (!dst) return `--out: directory ${dir} does not exist`;
  const probe = tmpOf(out);
  try {
    closeSync(openSync(probe, 'wx'));
    rmSync(probe, { force: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return `--out: ${dir} is not a directory`;
    if (code === 'ENOENT') return `--out: directory ${dir} does not exist`;
    return `--out ${out}: cannot create a file in ${dir} (${reason(e)})`;
  }
  return null;
}

/**
 * Write `text` to `out` (stdout for `-`): to a temporary file beside it, then rename, so a failure
 * leaves no partial file. Re-checks the target (it may have changed since checkOut); errors name
 * the user's path, never the temporary file.
 */
export function writeOut(out: string, text: string): void {
  if (out === STDOUT) {
    process.stdout.write(text);
    return;
  }
  const problem = checkOut(out);
  if (problem) throw new Error(problem);
  const tmp = tmpOf(out);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, out);
  } catch (e) {
    throw new Error(`could not write --out ${out} (${reason(e)})`);
  } finally {
    rmSync(tmp, { force: true });
  }
}
