import { memo } from './memo';
import { CONN_ROW_HEIGHT } from '../store/list-rows';
import { CHAIN_FAILURE_LABEL, chainPath, type RowGroup } from '../store/summary';

interface Props {
  group: RowGroup;
  /** Offset of the header inside the virtual list, in CSS pixels. */
  top: number;
}

/** The header line of a redirect chain: its readable path, loop and too-many flags, hop count. */
export const ChainGroupHead = memo(function ChainGroupHead({ group, top }: Props) {
  const chain = group.chain;
  return (
    <div class="chain-head" role="presentation" style={{ top: `${top}px`, height: `${CONN_ROW_HEIGHT}px` }}>
      <span class="chain-icon" aria-hidden="true">
        ↪
      </span>
      <span class="chain-path">{chainPath(group.connections)}</span>
      {chain?.loop && <span class="badge outcome-failed">{CHAIN_FAILURE_LABEL.loop}</span>}
      {chain?.outcome === 'too-many-redirects' && (
        <span class="badge outcome-failed">{CHAIN_FAILURE_LABEL['too-many-redirects']}</span>
      )}
      <span class="chain-count">{group.connections.length} hops</span>
    </div>
  );
});
