interface Props {
  text: string;
  /** Character index to highlight (where parsing broke). */
  highlight?: number;
  label: string;
}

/** Text in a <pre>, with one character marked when the payload broke there. Text nodes only. */
export function RawText({ text, highlight, label }: Props) {
  if (highlight === undefined || highlight < 0 || highlight > text.length) {
    return (
      <pre class="raw" aria-label={label} tabIndex={0}>
        {text}
      </pre>
    );
  }
  const at = text.slice(highlight, highlight + 1);
  return (
    <pre class="raw" aria-label={label} tabIndex={0}>
      {text.slice(0, highlight)}
      <mark class="mark" title="Parsing stopped here">
        {at === '' ? '⟂' : at === '\n' ? '↵\n' : at === '\r' ? '␍' : at}
      </mark>
      {text.slice(highlight + 1)}
    </pre>
  );
}
