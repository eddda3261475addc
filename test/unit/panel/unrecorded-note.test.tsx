// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { UnrecordedNote } from '../../../src/panel/components/UnrecordedNote';

afterEach(cleanup);

describe('UnrecordedNote', () => {
  it('says why each span went unrecorded, with the sends, and the drops where they were counted', () => {
    const { container } = render(
      <UnrecordedNote
        startedAt={1000}
        spans={[
          { from: 1000, to: 2000, reason: 'no-devtools', sent: 1 },
          { from: 2000, to: 2500, reason: 'held-full', sent: 3, received: 4 },
          { from: 3000, reason: 'budget', sent: 0 },
        ]}
      />,
    );
    const lines = [...container.querySelectorAll('.banner > div')].map((d) => d.textContent);
    expect(lines[0]).toMatch(/DevTools was closed on this tab\): the page sent 1 message meanwhile\.$/);
    expect(lines[1]).toMatch(
      /its store was full: the oldest were dropped\): 3 messages sent and 4 messages received were dropped\.$/,
    );
    expect(lines[2]).toMatch(/^Frames not recorded since .*frame budget was used up.*\)\.$/);
  });

  it('renders nothing without spans', () => {
    const { container } = render(<UnrecordedNote startedAt={0} spans={[]} />);
    expect(container.textContent).toBe('');
  });
});
