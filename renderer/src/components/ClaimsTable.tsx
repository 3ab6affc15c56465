// Claims (or any JSON object) as a readable two-column table, times shown as dates.
import { formatClaim } from '../lib/format.ts';

export function ClaimsTable({ claims, label }: { claims: Record<string, unknown>; label: string }) {
  return (
    <table className="kv" aria-label={label}>
      <tbody>
        {Object.entries(claims).map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{formatClaim(k, v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
