import type { Header } from '../../protocol/model';

/** Header lines as a two-column table, in the order they were written. */
export function HeadersTable({ headers, label }: { headers: Header[]; label: string }) {
  if (headers.length === 0) return <div class="note">No headers.</div>;
  return (
    <table class="headers" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {headers.map(([name, value], i) => (
          <tr key={i}>
            <th scope="row">{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
