import type { Outcome } from '../../protocol/model';
import { OUTCOME_LABEL } from '../store/summary';

/** A coloured badge with the outcome in words (colour is never the only signal). */
export function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  return <span class={`badge outcome-${outcome}`}>{OUTCOME_LABEL[outcome]}</span>;
}
