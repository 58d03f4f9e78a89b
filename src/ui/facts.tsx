import type { Child } from 'hono/jsx';

/** A list of labelled facts (`<dl class="facts">`), e.g. a member's record. */
export function Facts({ items }: { items: ReadonlyArray<readonly [label: string, value: Child]> }) {
  return (
    <dl class="facts">
      {items.map(([label, value]) => (
        <>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </>
      ))}
    </dl>
  );
}
