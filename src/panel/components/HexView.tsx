import { asciiOf, hexRows } from '../store/payload';

interface Props {
  bytes: Uint8Array;
  /** A byte to highlight (where parsing broke). */
  highlight?: number;
  label?: string;
}

const MAX_ROWS = 2048;

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** Renders cells of one row as text, wrapping the highlighted cell (if any) in a <mark>. */
function Cells({ cells, at, sep }: { cells: string[]; at: number; sep: string }) {
  if (at < 0 || at >= cells.length) return <>{cells.join(sep)}</>;
  const before = cells.slice(0, at).join(sep);
  const after = cells.slice(at + 1).join(sep);
  return (
    <>
      {before}
      {before && sep}
      <mark class="mark">{cells[at]}</mark>
      {after && sep}
      {after}
    </>
  );
}

/** A hex + ASCII dump, 16 bytes per row, rendered as text only. */
export function HexView({ bytes, highlight, label = 'Hex dump' }: Props) {
  const rows = hexRows(bytes, MAX_ROWS);
  return (
    <div class="hex-view" role="table" aria-label={label}>
      {rows.map((row) => {
        const at = highlight === undefined ? -1 : highlight - row.offset;
        return (
          <div class="hex-row" role="row" key={row.offset}>
            <span class="hex-offset" role="rowheader">
              {row.offset.toString(16).padStart(8, '0')}
            </span>
            <span class="hex-bytes" role="cell">
              <Cells cells={row.bytes.map(hex2)} at={at} sep=" " />
            </span>
            <span class="hex-ascii" role="cell">
              <Cells cells={row.bytes.map(asciiOf)} at={at} sep="" />
            </span>
          </div>
        );
      })}
      {bytes.length > MAX_ROWS * 16 && (
        <div class="note">
          Showing the first {MAX_ROWS * 16} of {bytes.length} bytes.
        </div>
      )}
      {bytes.length === 0 && <div class="note">(no bytes)</div>}
    </div>
  );
}
