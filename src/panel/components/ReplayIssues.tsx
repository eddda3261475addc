import type { Issue } from '../../replay/types';

/** The draft's problems: errors block the replay, warnings do not. */
export function ReplayIssues({ issues }: { issues: readonly Issue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul class="replay-issues" role="alert" aria-label="Problems with this replay">
      {issues.map((i, k) => (
        <li key={k} class={`replay-issue ${i.severity}`}>
          <span class="replay-issue-kind">{i.severity === 'error' ? '✖ error' : '⚠ warning'}</span> ({i.field}
          ) {i.message}
        </li>
      ))}
    </ul>
  );
}
