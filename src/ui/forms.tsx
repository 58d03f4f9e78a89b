import type { Child } from 'hono/jsx';
import type { FieldIssue } from '../server/errors.ts';
import { messageText, type Translate } from './i18n/index.ts';

/** Field messages are catalogue keys where the service knows them; plain text otherwise. */
export const issueText = messageText;

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function ErrorSummary({ t, issues }: { t: Translate; issues: FieldIssue[] }) {
  if (!issues.length) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1} id="error-summary">
      <h2>{t('form.errors.title')}</h2>
      <ul>
        {issues.map((i) => (
          <li>
            <a href={`#f-${i.field}`}>{issueText(t, i.message)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  t: Translate;
  name: string;
  label: string;
  hint?: string | undefined;
  issues: FieldIssue[];
  children: (attrs: { id: string; name: string; 'aria-describedby'?: string; 'aria-invalid'?: 'true' }) => Child;
}

/** A labelled form field with its hint and error, wired for screen readers. */
export function Field({ t, name, label, hint, issues, children }: FieldProps) {
  const id = `f-${name}`;
  const issue = issues.find((i) => i.field === name);
  const describedBy = [hint ? `${id}-hint` : '', issue ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={issue ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {issue ? (
        <p class="error" id={`${id}-error`}>
          {issueText(t, issue.message)}
        </p>
      ) : null}
      {children({ id, name, ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(issue ? { 'aria-invalid': 'true' as const } : {}) })}
    </div>
  );
}

/** A wide table's scroll box: focusable and named, so keyboard users can scroll it (WCAG 2.1.1). */
export function TableWrap({ label, children }: { label: string; children: Child }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabindex={0}>
      {children}
    </div>
  );
}
