import type { Context } from 'hono';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import type { AppError } from '../../server/errors.ts';
import { CsrfField, Field } from '../../ui/forms.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { governanceSettings, updateSettings, type GovSettings } from './settings.ts';
import { attempt, formOf, issuesOf, Problem, statusOf } from './settings-ui.tsx';

async function settingsPage(c: Context<AppEnv>, values?: Record<string, string>, problem?: AppError) {
  const view = viewOf(c);
  const { t } = view;
  const s: GovSettings = await governanceSettings(c.get('deps').database.db, c.get('tenant').id);
  const v = (k: keyof GovSettings) => values?.[k] ?? (s[k] === null ? '' : String(s[k]));
  const issues = issuesOf(problem);
  const num = (name: keyof GovSettings, label: string, hint?: string) => (
    <Field t={t} name={name} label={label} hint={hint} issues={issues}>
      {(a) => <input {...a} type="number" inputmode="numeric" value={v(name)} required />}
    </Field>
  );
  const kind = (name: 'boardQuorumKind' | 'generalQuorumKind', label: string) => (
    <Field t={t} name={name} label={label} issues={issues}>
      {(a) => (
        <select {...a}>
          <option value="number" selected={v(name) === 'number'}>{t('gov.core.settings.quorum.number')}</option>
          <option value="share" selected={v(name) === 'share'}>{t('gov.core.settings.quorum.share')}</option>
        </select>
      )}
    </Field>
  );
  const check = (name: 'proxiesAllowed' | 'wardSeats', label: string) => (
    <div class="field">
      <input type="checkbox" id={`f-${name}`} name={name} value="on" checked={values ? values[name] === 'on' : s[name]} />{' '}
      <label for={`f-${name}`}>{label}</label>
    </div>
  );
  return c.html(
    <Layout view={view} title={t('gov.core.settings.title')}>
      <p>
        <a href="/governance">{t('gov.core.back.overview')}</a>
      </p>
      <h1>{t('gov.core.settings.title')}</h1>
      <Problem t={t} problem={problem} />
      {c.req.query('done') ? <p class="success" role="status">{t('gov.core.saved')}</p> : null}
      <form method="post" action="/governance/settings">
        <CsrfField token={view.csrfToken} />
        <h2>{t('gov.core.settings.society')}</h2>
        <Field t={t} name="societyName" label={t('gov.core.settings.societyName')} issues={issues}>
          {(a) => <input {...a} type="text" value={v('societyName')} />}
        </Field>
        <Field t={t} name="registrationNumber" label={t('gov.core.settings.registrationNumber')} hint={t('gov.core.settings.registrationHint')} issues={issues}>
          {(a) => <input {...a} type="text" value={v('registrationNumber')} />}
        </Field>
        <Field t={t} name="registeredOn" label={t('gov.core.settings.registeredOn')} issues={issues}>
          {(a) => <input {...a} type="date" value={v('registeredOn')} />}
        </Field>
        <Field t={t} name="registerName" label={t('gov.core.settings.registerName')} issues={issues}>
          {(a) => <input {...a} type="text" value={v('registerName')} required />}
        </Field>
        <h2>{t('gov.core.settings.meetings')}</h2>
        {kind('boardQuorumKind', t('gov.core.settings.boardQuorumKind'))}
        {num('boardQuorumValue', t('gov.core.settings.boardQuorumValue'), t('gov.core.settings.quorumHint'))}
        {kind('generalQuorumKind', t('gov.core.settings.generalQuorumKind'))}
        {num('generalQuorumValue', t('gov.core.settings.generalQuorumValue'), t('gov.core.settings.quorumHint'))}
        {num('boardNoticeDays', t('gov.core.settings.boardNoticeDays'))}
        {num('generalNoticeDays', t('gov.core.settings.generalNoticeDays'))}
        {num('agmNoticeDays', t('gov.core.settings.agmNoticeDays'))}
        {num('specialThresholdPct', t('gov.core.settings.specialThresholdPct'))}
        {check('proxiesAllowed', t('gov.core.settings.proxiesAllowed'))}
        <h2>{t('gov.core.settings.board')}</h2>
        {num('rotationDenominator', t('gov.core.settings.rotationDenominator'), t('gov.core.settings.rotationHint'))}
        {num('termYears', t('gov.core.settings.termYears'))}
        {check('wardSeats', t('gov.core.settings.wardSeats'))}
        <button class="button" type="submit">
          {t('gov.core.save')}
        </button>
      </form>
    </Layout>,
    statusOf(problem),
  );
}

export function registerSettingsPages(app: RouteTarget): void {
  route(app, 'GET', '/governance/settings', 'governance.manage', (c) => settingsPage(c));
  route(app, 'POST', '/governance/settings', 'governance.manage', async (c) => {
    const actor = requireActor(c);
    const form = await formOf(c);
    const input = { ...form, proxiesAllowed: form.proxiesAllowed ?? '', wardSeats: form.wardSeats ?? '' } as never;
    const res = await attempt(() => updateSettings(c.get('deps').database.db, actor, input));
    if ('problem' in res) return settingsPage(c, form, res.problem);
    return c.redirect('/governance/settings?done=1', 303);
  });
}
