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

const messages = (n: number) => `${n} ${n === 1 ? 'message' : 'messages'}`;

/** What happened during an ended span: the page's sends, and the receipts where they were counted. */
function meanwhile(span: UnrecordedSpan): string {
  if (span.received === undefined) return `: the page sent ${messages(span.sent)} meanwhile`;
  return `: ${messages(span.sent)} sent and ${messages(span.received)} received were dropped`;
}

/** Says which stretches of the socket's life have no frames recorded, and why. */
export function UnrecordedNote({ spans, startedAt }: Props) {
  if (spans.length === 0) return null;
  return (
    <div class="banner info" role="status">
      {spans.map((span, i) => (
        <div key={i}>
          Frames not recorded {span.to === undefined ? 'since' : 'from'} {formatOffset(span.from - startedAt)}
          {span.to !== undefined && ` to ${formatOffset(span.to - startedAt)}`} ({WHY[span.reason]})
          {span.to !== undefined && meanwhile(span)}.
        </div>
      ))}
    </div>
  );
}
