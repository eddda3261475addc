import { useContext, useMemo, useRef, useState } from 'preact/hooks';
import { memoryPrefs } from '../prefs';
import {
  columnStyle,
  nextSort,
  parseColumnPrefs,
  serializeColumnPrefs,
  type ColumnDef,
  type ColumnPrefs,
} from '../store/columns';
import { PanelContext } from '../store/context';

/** For a list rendered without the panel's context (tests): choices last as long as the page. */
const detachedPrefs = memoryPrefs();

/** A list's sort and column widths, read from and written to the host's preferences under `khp.columns.<list>`. */
export function useColumns(list: string, columns: readonly ColumnDef[], cssPrefix: string) {
  const prefs = useContext(PanelContext)?.host.prefs ?? detachedPrefs;
  const key = `khp.columns.${list}`;
  const [state, setState] = useState<ColumnPrefs>(() => parseColumnPrefs(prefs.get(key), columns));
  const latest = useRef(state);
  latest.current = state;
  const update = (next: ColumnPrefs, save: boolean) => {
    latest.current = next;
    setState(next);
    if (save) prefs.set(key, serializeColumnPrefs(next));
  };
  const style = useMemo(
    () => columnStyle(cssPrefix, columns, state.widths),
    [cssPrefix, columns, state.widths],
  );
  return {
    sort: state.sort,
    widths: state.widths,
    /** CSS custom properties for the list's grid. */
    style,
    /** A click on a column's header. */
    toggleSort: (column: string) =>
      update({ ...latest.current, sort: nextSort(latest.current.sort, column) }, true),
    /** New widths; `save` once the drag or key press is over. */
    resize: (widths: Record<string, number>, save: boolean) => update({ ...latest.current, widths }, save),
  };
}
