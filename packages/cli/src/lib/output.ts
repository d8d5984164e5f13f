import { OutputStream } from './io';

/** `1536` → `1.5 kB`; exact bytes below a kilobyte. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) {
    return `${bytes} B`;
  }
  const units = ['kB', 'MB', 'GB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** `12.345` s → `12 s`; `75` → `1 min 15 s`; `600` → `10 min`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = `${Math.floor(seconds / 60)} min`;
  return seconds % 60 ? `${minutes} ${seconds % 60} s` : minutes;
}

/** A bundle version shortened for tables: `sha256:9f86d0818845`. */
export function shortVersion(version: string | undefined): string {
  if (!version) {
    return '-';
  }
  return version.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]*$/, '$1');
}

/** An ISO time as `2026-11-30 10:00:00Z`. */
export function formatTime(iso: string | undefined): string {
  if (!iso) {
    return '-';
  }
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** Writes rows as columns padded to their widest cell. */
export function writeTable(
  out: OutputStream,
  headers: string[],
  rows: Array<Array<string | number | undefined>>,
) {
  const cells = [headers, ...rows.map(r => r.map(c => String(c ?? '-')))];
  const widths = headers.map((_, i) =>
    Math.max(...cells.map(row => (row[i] ?? '').length)),
  );
  for (const row of cells) {
    out.write(
      `${row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell.padEnd(widths[i]),
        )
        .join('  ')
        .trimEnd()}\n`,
    );
  }
}

/** Writes `label: value` lines with the values aligned. */
export function writeFields(
  out: OutputStream,
  fields: Array<[string, string | number | undefined]>,
  indent = '  ',
) {
  const width = Math.max(...fields.map(([label]) => label.length)) + 1;
  for (const [label, value] of fields) {
    out.write(`${indent}${`${label}:`.padEnd(width)} ${value ?? '-'}\n`);
  }
}

/** An API object as the `--json` output: the object itself, indented. */
export function writeJson(out: OutputStream, value: unknown) {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}
