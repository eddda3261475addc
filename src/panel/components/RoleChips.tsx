import type { FrameRole } from '../../protocol/model';
import { ROLE_GROUPS } from '../store/payload';

interface Props {
  /** Frames per role, for the counts on the chips. */
  counts: Map<FrameRole, number>;
  hidden: Set<string>;
  onToggle(groupId: string): void;
}

/** Toggle chips that show or hide families of frames (handshake, ping/pong, balancer, data). */
export function RoleChips({ counts, hidden, onToggle }: Props) {
  return (
    <div class="chips" role="group" aria-label="Show frames by role">
      {ROLE_GROUPS.map((g) => {
        const n = g.roles.reduce((sum, r) => sum + (counts.get(r) ?? 0), 0);
        if (n === 0 && g.id === 'unexpected') return null;
        const on = !hidden.has(g.id);
        return (
          <button
            type="button"
            key={g.id}
            class={on ? 'chip on' : 'chip'}
            aria-pressed={on}
            onClick={() => onToggle(g.id)}
          >
            {g.label} <span class="chip-count">{n}</span>
          </button>
        );
      })}
    </div>
  );
}
