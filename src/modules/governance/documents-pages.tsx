import type { Locale } from '../../ui/i18n/locales.ts';
import type { Context } from 'hono';
import { formatDate, isoDate } from '../../lib/dates.ts';
import { allows, requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError } from '../../server/errors.ts';
import { DemoNotice, DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { CsrfField, Field, TableWrap } from '../../ui/forms.tsx';
import type { MessageKey, Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { createDocument, createDraft, documentBySlug, editDraft, listDocuments, recordPaperAdoption, versionsOf, type GovDocument, type GovVersion } from './documents.ts';
import { diffVersions } from './documents-diff.ts';
import { governanceChecklist } from './s2.ts';
import { DOCUMENT_KINDS } from './schema.ts';
import { attempt, formOf, issuesOf, nowOf, Problem, statusOf } from './settings-ui.tsx';

const canRead = (c: Context<AppEnv>) => !!c.get('actor') && allows('governance.read', c.get('actor')!.roles);
const canManage = (c: Context<AppEnv>) => !!c.get('actor') && allows('governance.manage', c.get('actor')!.roles);
const docTitle = (d: GovDocument, locale: string) => (locale === 'pl' && d.titlePl ? d.titlePl : d.title);
const STATUS_KEY = { draft: 'gov.core.version.draft', adopted: 'gov.core.version.adopted', superseded: 'gov.core.version.superseded' } as const satisfies Record<string, MessageKey>;
const kindKey = (k: string) => `gov.core.kind.${k}` as MessageKey;

/** Plain text with blank-line paragraphs, as paragraphs. */
function Body({ text }: { text: string }) {
  return (
    <div class="document-body">
      {text.split(/\n{2,}/).map((p) => (
        <p>
          {p.split('\n').map((line, i) => (
            <>
              {i > 0 ? <br /> : null}
              {line}
            </>
          ))}
        </p>
      ))}
    </div>
  );
}

async function overviewPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const today = isoDate(nowOf(c));
  const s2 = await governanceChecklist(c.get('deps').database.db, c.get('tenant').id, today);
  const manage = canManage(c);
  return c.html(
    <Layout view={view} title={t('gov.core.overview.title')}>
      <h1>{t('gov.core.overview.title')}</h1>
      <p>{t('gov.core.overview.lead')}</p>
      <ul>
        <li><a href="/governance/documents">{t('gov.core.documents.title')}</a></li>
        <li><a href="/governance/board">{t('gov.core.board.title')}</a></li>
        <li><a href="/governance/meetings">{t('gov.core.meetings.title')}</a></li>
        {manage ? <li><a href="/governance/settings">{t('gov.core.settings.title')}</a></li> : null}
      </ul>
      <h2>{t('gov.core.s2.title')}</h2>
      {s2.includesDemo ? <DemoNotice t={t} /> : null}
      <p class={s2.met ? 'success' : 'notice'} role="status">
        {s2.met ? t('gov.core.s2.met') : t('gov.core.s2.notMet', { n: s2.items.filter((i) => !i.met).length })}
      </p>
      <ul class="checklist">
        {s2.items.map((i) => (
          <li>
            <strong>{i.met ? t('gov.core.s2.done') : t('gov.core.s2.missing')}</strong> {t(`gov.core.s2.item.${i.key}` as MessageKey)}
            {i.met && i.detail ? <> — {i.key === 'registered' || i.key === 'board' ? (i.key === 'board' ? t('gov.core.s2.boardCount', { n: Number(i.detail) }) : i.detail) : formatDate(locale, i.detail)}</> : null}
            {' '}
            {i.met ? <a href={i.href}>{t('gov.core.s2.see')}</a> : manage ? <a href={i.fixHref}>{t('gov.core.s2.fix')}</a> : <span>{t(`gov.core.s2.why.${i.key}` as MessageKey)}</span>}
          </li>
        ))}
      </ul>
    </Layout>,
  );
}

async function listPage(c: Context<AppEnv>, problem?: AppError, values?: Record<string, string>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const docs = await listDocuments(c.get('deps').database.db, c.get('tenant').id);
  const read = canRead(c);
  const shown = read ? docs : docs.filter((d) => d.current);
  const issues = issuesOf(problem);
  return c.html(
    <Layout view={view} title={t('gov.core.documents.title')}>
      <p><a href="/governance">{t('gov.core.back.overview')}</a></p>
      <h1>{t('gov.core.documents.title')}</h1>
      <p>{t('gov.core.documents.lead')}</p>
      <Problem t={t} problem={problem} />
      {shown.length === 0 ? <p>{t('gov.core.documents.none')}</p> : (
        <TableWrap label={t('gov.core.documents.title')}>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('gov.core.col.document')}</th>
                <th scope="col">{t('gov.core.col.kind')}</th>
                <th scope="col">{t('gov.core.col.current')}</th>
                {read ? <th scope="col">{t('gov.core.col.drafts')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {shown.map((d) => (
                <tr>
                  <td data-label={t('gov.core.col.document')}>
                    <a href={`/governance/documents/${d.slug}`}>{docTitle(d, locale)}</a>
                    {d.isDemo ? <DemoTag t={t} /> : null}
                  </td>
                  <td data-label={t('gov.core.col.kind')}>{t(kindKey(d.kind))}</td>
                  <td data-label={t('gov.core.col.current')}>{d.current ? t('gov.core.documents.versionAdopted', { n: d.current.version, date: formatDate(locale, d.current.adoptedOn!) }) : t('gov.core.documents.notAdopted')}</td>
                  {read ? <td data-label={t('gov.core.col.drafts')}>{d.drafts}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {canManage(c) ? (
        <form method="post" action="/governance/documents">
          <h2>{t('gov.core.documents.new')}</h2>
          <CsrfField token={view.csrfToken} />
          <Field t={t} name="kind" label={t('gov.core.col.kind')} issues={issues}>
            {(a) => (
              <select {...a}>
                {DOCUMENT_KINDS.map((k) => <option value={k} selected={values?.kind === k}>{t(kindKey(k))}</option>)}
              </select>
            )}
          </Field>
          <Field t={t} name="title" label={t('gov.core.documents.titleEn')} issues={issues}>
            {(a) => <input {...a} type="text" value={values?.title ?? ''} required />}
          </Field>
          <Field t={t} name="titlePl" label={t('gov.core.documents.titlePl')} issues={issues}>
            {(a) => <input {...a} type="text" lang="pl" value={values?.titlePl ?? ''} />}
          </Field>
          <Field t={t} name="slug" label={t('gov.core.documents.slug')} hint={t('gov.core.documents.slugHint')} issues={issues}>
            {(a) => <input {...a} type="text" value={values?.slug ?? ''} required />}
          </Field>
          <button class="button" type="submit">{t('gov.core.documents.create')}</button>
        </form>
      ) : null}
    </Layout>,
    statusOf(problem),
  );
}

async function documentOf(c: Context<AppEnv>): Promise<{ doc: GovDocument; versions: GovVersion[] }> {
  const db = c.get('deps').database.db;
  const doc = await documentBySlug(db, c.get('tenant').id, c.req.param('slug') ?? '');
  if (!doc) throw new AppError('not_found', 'That document was not found.', [], 'gov.core.error.documentNotFound');
  const all = await versionsOf(db, doc.tenantId, doc.id);
  return { doc, versions: canRead(c) ? all : all.filter((v) => v.status !== 'draft') };
}

function VersionList({ t, locale, doc, versions }: { t: Translate; locale: Locale; doc: GovDocument; versions: GovVersion[] }) {
  return (
    <TableWrap label={t('gov.core.versions.title')}>
      <table class="stack">
        <thead>
          <tr>
            <th scope="col">{t('gov.core.col.version')}</th>
            <th scope="col">{t('gov.core.col.status')}</th>
            <th scope="col">{t('gov.core.col.adoptedOn')}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr>
              <td data-label={t('gov.core.col.version')}><a href={`/governance/documents/${doc.slug}/versions/${v.version}`}>{t('gov.core.versions.n', { n: v.version })}</a></td>
              <td data-label={t('gov.core.col.status')}>{t(STATUS_KEY[v.status])}</td>
              <td data-label={t('gov.core.col.adoptedOn')}>{v.adoptedOn ? formatDate(locale, v.adoptedOn) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function DiffForm({ t, doc, versions, from, to }: { t: Translate; doc: GovDocument; versions: GovVersion[]; from?: number; to?: number }) {
  if (versions.length < 2) return null;
  return (
    <form method="get" action={`/governance/documents/${doc.slug}/diff`} class="inline-form">
      <h2>{t('gov.core.diff.compare')}</h2>
      <div class="field">
        <label for="f-from">{t('gov.core.diff.from')}</label>
        <select id="f-from" name="from">{versions.map((v, i) => <option value={String(v.version)} selected={from ? v.version === from : i === versions.length - 2}>{t('gov.core.versions.n', { n: v.version })}</option>)}</select>
      </div>
      <div class="field">
        <label for="f-to">{t('gov.core.diff.to')}</label>
        <select id="f-to" name="to">{versions.map((v, i) => <option value={String(v.version)} selected={to ? v.version === to : i === versions.length - 1}>{t('gov.core.versions.n', { n: v.version })}</option>)}</select>
      </div>
      <button class="button button-secondary" type="submit">{t('gov.core.diff.show')}</button>
    </form>
  );
}

function VersionView({ t, locale, v }: { t: Translate; locale: Locale; v: GovVersion }) {
  const body = locale === 'pl' && v.bodyPl ? v.bodyPl : v.body;
  return (
    <>
      <Facts items={[[t('gov.core.col.version'), String(v.version)], [t('gov.core.col.status'), t(STATUS_KEY[v.status])], ...(v.adoptedOn ? ([[t('gov.core.col.adoptedOn'), formatDate(locale, v.adoptedOn)]] as const) : [])]} />
      {locale === 'pl' && !v.bodyPl ? <p class="notice">{t('gov.core.version.englishOnly')}</p> : null}
      <Body text={body} />
    </>
  );
}

async function documentPage(c: Context<AppEnv>, problem?: AppError) {
  const view = viewOf(c);
  const { t, locale } = view;
  const { doc, versions } = await documentOf(c);
  const current = versions.find((v) => v.status === 'adopted');
  const issues = issuesOf(problem);
  return c.html(
    <Layout view={view} title={docTitle(doc, locale)}>
      <p><a href="/governance/documents">{t('gov.core.back.documents')}</a></p>
      <h1>{docTitle(doc, locale)}{doc.isDemo ? <DemoTag t={t} /> : null}</h1>
      <Problem t={t} problem={problem} />
      {current ? <VersionView t={t} locale={locale} v={current} /> : <p>{t('gov.core.documents.notAdoptedYet')}</p>}
      {versions.length ? <><h2>{t('gov.core.versions.title')}</h2><VersionList t={t} locale={locale} doc={doc} versions={versions} /></> : null}
      <DiffForm t={t} doc={doc} versions={versions} />
      {canManage(c) ? (
        <form method="post" action={`/governance/documents/${doc.slug}/drafts`}>
          <h2>{t('gov.core.draft.new')}</h2>
          <CsrfField token={view.csrfToken} />
          <Field t={t} name="body" label={t('gov.core.draft.body')} hint={t('gov.core.draft.bodyHint')} issues={issues}>
            {(a) => <textarea {...a} rows={12} required>{current?.body ?? ''}</textarea>}
          </Field>
          <Field t={t} name="bodyPl" label={t('gov.core.draft.bodyPl')} issues={issues}>
            {(a) => <textarea {...a} rows={8} lang="pl">{current?.bodyPl ?? ''}</textarea>}
          </Field>
          <button class="button" type="submit">{t('gov.core.draft.save')}</button>
        </form>
      ) : null}
    </Layout>,
    statusOf(problem),
  );
}

async function versionOf(c: Context<AppEnv>) {
  const { doc, versions } = await documentOf(c);
  const n = Number(c.req.param('n'));
  const v = versions.find((x) => x.version === n);
  if (!v) throw new AppError('not_found', 'That version was not found.', [], 'gov.core.error.versionNotFound');
  return { doc, versions, v };
}

async function versionPage(c: Context<AppEnv>, problem?: AppError, values?: Record<string, string>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const { doc, versions, v } = await versionOf(c);
  const issues = issuesOf(problem);
  const done = c.req.query('done');
  return c.html(
    <Layout view={view} title={`${docTitle(doc, locale)} — ${t('gov.core.versions.n', { n: v.version })}`}>
      <p><a href={`/governance/documents/${doc.slug}`}>{t('gov.core.back.document')}</a></p>
      <h1>{docTitle(doc, locale)}: {t('gov.core.versions.n', { n: v.version })}{doc.isDemo ? <DemoTag t={t} /> : null}</h1>
      <Problem t={t} problem={problem} />
      {done ? <p class="success" role="status">{t('gov.core.saved')}</p> : null}
      <VersionView t={t} locale={locale} v={v} />
      <DiffForm t={t} doc={doc} versions={versions} />
      {canManage(c) && v.status === 'draft' ? (
        <>
          <form method="post" action={`/governance/documents/${doc.slug}/versions/${v.version}`}>
            <h2>{t('gov.core.draft.edit')}</h2>
            <CsrfField token={view.csrfToken} />
            <Field t={t} name="body" label={t('gov.core.draft.body')} hint={t('gov.core.draft.bodyHint')} issues={issues}>
              {(a) => <textarea {...a} rows={12} required>{values?.body ?? v.body}</textarea>}
            </Field>
            <Field t={t} name="bodyPl" label={t('gov.core.draft.bodyPl')} issues={issues}>
              {(a) => <textarea {...a} rows={8} lang="pl">{values?.bodyPl ?? v.bodyPl ?? ''}</textarea>}
            </Field>
            <button class="button" type="submit">{t('gov.core.draft.save')}</button>
          </form>
          <form method="post" action={`/governance/documents/${doc.slug}/versions/${v.version}/adopt-paper`}>
            <h2>{t('gov.core.adopt.title')}</h2>
            <p>{t('gov.core.adopt.lead')}</p>
            <CsrfField token={view.csrfToken} />
            <Field t={t} name="adoptedOn" label={t('gov.core.adopt.on')} issues={issues}>
              {(a) => <input {...a} type="date" value={values?.adoptedOn ?? ''} required />}
            </Field>
            <Field t={t} name="reference" label={t('gov.core.adopt.reference')} hint={t('gov.core.adopt.referenceHint')} issues={issues}>
              {(a) => <input {...a} type="text" value={values?.reference ?? ''} required />}
            </Field>
            <button class="button" type="submit">{t('gov.core.adopt.submit')}</button>
          </form>
        </>
      ) : null}
    </Layout>,
    statusOf(problem),
  );
}

async function diffPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const { doc, versions } = await documentOf(c);
  // Without a choice: the last two versions.
  const from = c.req.query('from') ? versions.find((v) => v.version === Number(c.req.query('from'))) : versions.at(-2);
  const to = c.req.query('to') ? versions.find((v) => v.version === Number(c.req.query('to'))) : versions.at(-1);
  if (versions.length < 2 && !c.req.query('from'))
    return c.html(
      <Layout view={view} title={t('gov.core.diff.compare')}>
        <p><a href={`/governance/documents/${doc.slug}`}>{t('gov.core.back.document')}</a></p>
        <h1>{docTitle(doc, locale)}: {t('gov.core.diff.compare')}</h1>
        <p>{t('gov.core.diff.nothing')}</p>
      </Layout>,
    );
  if (!from || !to) throw new AppError('not_found', 'That version was not found.', [], 'gov.core.error.versionNotFound');
  const pick = (v: GovVersion) => (locale === 'pl' && from.bodyPl && to.bodyPl ? v.bodyPl! : v.body);
  const d = diffVersions(pick(from), pick(to));
  return c.html(
    <Layout view={view} title={t('gov.core.diff.title', { from: from.version, to: to.version })}>
      <p><a href={`/governance/documents/${doc.slug}`}>{t('gov.core.back.document')}</a></p>
      <h1>{docTitle(doc, locale)}: {t('gov.core.diff.title', { from: from.version, to: to.version })}</h1>
      <p role="status">{t('gov.core.diff.summary', { added: d.added, removed: d.removed })}</p>
      <DiffForm t={t} doc={doc} versions={versions} from={from.version} to={to.version} />
      <div class="document-diff">
        {d.blocks.map((b) => (
          <p>
            {b.parts.map((p) =>
              p.type === 'ins' ? (
                <ins><strong>[{t('gov.core.diff.added')}]</strong> {p.text}</ins>
              ) : p.type === 'del' ? (
                <del><strong>[{t('gov.core.diff.removed')}]</strong> {p.text}</del>
              ) : (
                <>{b.kind === 'same' && p.text.length > 600 ? `${p.text.slice(0, 280)} … ${p.text.slice(-280)}` : p.text}</>
              ),
            )}
          </p>
        ))}
      </div>
    </Layout>,
  );
}

export function registerDocumentPages(app: RouteTarget): void {
  route(app, 'GET', '/governance', 'public', overviewPage);
  route(app, 'GET', '/governance/documents', 'public', (c) => listPage(c));
  route(app, 'POST', '/governance/documents', 'governance.manage', async (c) => {
    const form = await formOf(c);
    const res = await attempt(() => createDocument(c.get('deps').database.db, requireActor(c), form as never));
    if ('problem' in res) return listPage(c, res.problem, form);
    return c.redirect(`/governance/documents/${res.ok.slug}`, 303);
  });
  route(app, 'GET', '/governance/documents/:slug', 'public', (c) => documentPage(c));
  route(app, 'GET', '/governance/documents/:slug/diff', 'public', diffPage);
  route(app, 'POST', '/governance/documents/:slug/drafts', 'governance.manage', async (c) => {
    const { doc } = await documentOf(c);
    const form = await formOf(c);
    const res = await attempt(() => createDraft(c.get('deps').database.db, requireActor(c), doc.id, form as never));
    if ('problem' in res) return documentPage(c, res.problem);
    return c.redirect(`/governance/documents/${doc.slug}/versions/${res.ok.version}?done=1`, 303);
  });
  route(app, 'GET', '/governance/documents/:slug/versions/:n', 'public', (c) => versionPage(c));
  route(app, 'POST', '/governance/documents/:slug/versions/:n', 'governance.manage', async (c) => {
    const { doc, v } = await versionOf(c);
    const form = await formOf(c);
    const res = await attempt(() => editDraft(c.get('deps').database.db, requireActor(c), v.id, form as never));
    if ('problem' in res) return versionPage(c, res.problem, form);
    return c.redirect(`/governance/documents/${doc.slug}/versions/${v.version}?done=1`, 303);
  });
  route(app, 'POST', '/governance/documents/:slug/versions/:n/adopt-paper', 'governance.manage', async (c) => {
    const { doc, v } = await versionOf(c);
    const form = await formOf(c);
    const res = await attempt(() => recordPaperAdoption(c.get('deps').database.db, requireActor(c), v.id, form as never, { now: nowOf(c) }));
    if ('problem' in res) return versionPage(c, res.problem, form);
    return c.redirect(`/governance/documents/${doc.slug}/versions/${v.version}?done=1`, 303);
  });
}
