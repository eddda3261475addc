import type { UnrecordedSpan } from '../../protocol/capture';
import { formatOffset } from '../store/summary';

interface Props {
  spans: readonly UnrecordedSpan[];
  /** The socket's start (epoch ms): offsets are shown from it, as in the frame list. */
  startedAt: number;
}

const WHY: Record<UnrecordedSpan['reason'], string> = {
  'no-devtools': 'DevTools was closed on this tab',
  budget: 'the per-socket frame budget was used up; turn on Capture all frames to keep them',
  'held-full':
    'full capture kept the frames in the page while DevTools was closed, and its store was full: the oldest were dropped',
};

/** Says which stretches of the socket's life have no frames recorded, and why. */
export function UnrecordedNote({ spans, startedAt }: Props) {
  if (spans.length === 0) return null;
  return (
    <div class="banner info" role="status">
      {spans.map((span, i) => (
        <div key={i}>
          Frames not recorded {span.to === undefined ? 'since' : 'from'} {formatOffset(span.from - startedAt)}
          {span.to !== undefined && ` to ${formatOffset(span.to - startedAt)}`} ({WHY[span.reason]})
          {span.to !== undefined &&
            `: the page sent ${span.sent} ${span.sent === 1 ? 'message' : 'messages'} meanwhile`}
          .
        </div>
      ))}
    </div>
  );
}
