import type { Context } from 'hono';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { DemoTag } from '../../ui/demo.tsx';
import { CsrfField, ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import { formatDateTime, formatNumber, type MessageKey, type Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf, type View } from '../../ui/view.ts';
import { allows } from '../../server/access.ts';
import type { Actor } from '../membership/policy.ts';
import { serviceCard, serviceCards, type ServiceCard } from '../resources/views.ts';
import { cellAt, compareContents, LIMITS, STANDARD_LANES, type BpOp, type CellChange, type StandardLane } from './model.ts';
import { blueprintPdf } from './pdf.ts';
import { BLUEPRINT_KINDS, MARK_KINDS, type Blueprint, type BpCell, type BpComment, type BpContent, type MarkKind } from './schema.ts';
import {
  addComment,
  blueprintById,
  CommentPersonalDetails,
  commentCounts,
  commentsOf,
  createBlueprint,
  editBlueprint,
  hideComment,
  listBlueprints,
  mayEdit,
  versionOf,
  versionsOf,
} from './service.ts';

const BASE = '/blueprints';
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const db = (c: Context<AppEnv>) => c.get('deps').database.db;
const tenantOf = (c: Context<AppEnv>) => c.get('tenant').id;

export function laneTitles(t: Translate): Record<StandardLane, string> {
  return Object.fromEntries(STANDARD_LANES.map((k) => [k, t(`bp.lane.${k}` as MessageKey)])) as Record<StandardLane, string>;
}

function issuesOf(err: AppError): FieldIssue[] {
  if (err.fields.length) return err.fields;
  return [{ field: 'form', message: err.key ?? 'error.400.title' }];
}

function Marks({ t, cell }: { t: Translate; cell: BpCell | undefined }) {
  if (!cell?.marks.length) return null;
  return (
    <ul class="bp-marks">
      {cell.marks.map((m) => (
        <li class={`bp-mark bp-mark-${m.kind}`}>
          <strong>{t(`bp.mark.${m.kind}` as MessageKey)}:</strong> {m.note}
        </li>
      ))}
    </ul>
  );
}

function CellText({ cell }: { cell: BpCell | undefined }) {
  if (!cell?.text) return null;
  return (
    <>
      {cell.text.split('\n').map((line) => (
        <p class="bp-text">{line}</p>
      ))}
    </>
  );
}

const cellHref = (bp: Pick<Blueprint, 'id'>, stageId: string, laneId: string) => `${BASE}/${bp.id}/cells/${stageId}/${laneId}`;

/** The grid: stages as columns, lanes as rows (a scrolling table on a phone). */
function Grid({ t, locale, bp, content, counts, editable, label }: { t: Translate; locale: View['locale']; bp: Blueprint; content: BpContent; counts?: Map<string, number>; editable: boolean; label: string }) {
  if (!content.stages.length) return <p>{t('bp.grid.noStages')}</p>;
  return (
    <TableWrap label={label}>
      <table
        class="bp-grid"
        data-bp-grid={editable ? bp.id : undefined}
        data-version={String(bp.version)}
        data-edit-label={editable ? t('bp.cell.edit') : undefined}
        data-save-label={editable ? t('bp.cell.save') : undefined}
        data-saved-label={editable ? t('bp.saved') : undefined}
      >
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">{t('bp.grid.lane')}</th>
            {content.stages.map((s, i) => (
              <th scope="col" data-stage-id={s.id} data-index={String(i)}>
                {s.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {content.lanes.map((l) => (
            <tr>
              <th scope="row">{l.title}</th>
              {content.stages.map((s) => {
                const cell = cellAt(content, s.id, l.id);
                const n = counts?.get(`${s.id}|${l.id}`) ?? 0;
                return (
                  <td data-stage-id={s.id} data-lane-id={l.id}>
                    <div class="bp-cell-text" data-cell-text="">
                      <CellText cell={cell} />
                    </div>
                    <Marks t={t} cell={cell} />
                    {counts ? (
                      <p class="bp-cell-links">
                        <a href={cellHref(bp, s.id, l.id)} aria-label={t('bp.cell.open', { stage: s.title, lane: l.title })}>
                          {n ? t('bp.cell.comments', { n: formatNumber(locale, n) }) : t('bp.cell.comment')}
                        </a>
                      </p>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function kindLabel(t: Translate, kind: Blueprint['kind']): string {
  return t(`bp.kind.${kind}` as MessageKey);
}

function serviceName(card: ServiceCard | null, locale: string, t: Translate): string {
  if (!card) return t('bp.service.unknown');
  return locale === 'pl' && card.namePl ? card.namePl : card.name;
}

async function loadOr404(c: Context<AppEnv>): Promise<Blueprint> {
  const bp = await blueprintById(db(c), tenantOf(c), c.req.param('id') ?? '');
  if (!bp) throw new AppError('not_found', 'That blueprint was not found.', [], 'bp.error.notFound');
  return bp;
}

function Header({ view, bp, card, actor }: { view: View; bp: Blueprint; card: ServiceCard | null; actor: Actor | undefined }) {
  const { t, locale } = view;
  return (
    <>
      <h1>
        {bp.title}
        {bp.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      <p class="lead">
        {kindLabel(t, bp.kind)} · {t('bp.service')}: {card && actor && allows('resources.read', actor.roles) ? <a href={card.href}>{serviceName(card, locale, t)}</a> : serviceName(card, locale, t)}
        {card?.isDemo && !bp.isDemo ? <DemoTag t={t} /> : null} · {t('bp.version', { n: formatNumber(locale, bp.version) })}
      </p>
    </>
  );
}

async function blueprintPage(c: Context<AppEnv>, state: { done?: string | undefined } = {}) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = c.get('actor');
  const bp = await loadOr404(c);
  const card = await serviceCard(db(c), tenantOf(c), bp.serviceId);
  const editable = await mayEdit(db(c), actor, bp.serviceId);
  const counts = await commentCounts(db(c), tenantOf(c), bp.id);
  const others = (await listBlueprints(db(c), tenantOf(c), bp.serviceId)).filter((b) => b.id !== bp.id);
  const pair = others.find((b) => b.id === bp.pairsWith || b.pairsWith === bp.id);
  return c.html(
    <Layout view={view} title={bp.title} scripts={editable ? ['blueprint-edit.js'] : []}>
      <Header view={view} bp={bp} card={card} actor={actor} />
      {state.done ? (
        <p class="success" role="status">
          {t('bp.saved')}
        </p>
      ) : null}
      <p class="hint">{t('bp.grid.help')}</p>
      <ul class="actions bp-actions">
        {editable ? (
          <li>
            <a class="button" href={`${BASE}/${bp.id}/edit`}>
              {t('bp.edit.link')}
            </a>
          </li>
        ) : null}
        <li>
          <a href={`${BASE}/${bp.id}/versions`}>{t('bp.versions.link')}</a>
        </li>
        {pair ? (
          <li>
            <a href={`${BASE}/${bp.kind === 'future' ? pair.id : bp.id}/compare?with=${bp.kind === 'future' ? bp.id : pair.id}`}>{t('bp.compare.pair')}</a>
          </li>
        ) : null}
        <li>
          <a href={`${BASE}/${bp.id}/blueprint.pdf`}>{t('bp.pdf.link')}</a>
        </li>
      </ul>
      <Grid t={t} locale={locale} bp={bp} content={bp.content} counts={counts} editable={editable} label={t('bp.grid.caption', { title: bp.title })} />
      {editable ? (
        <div hidden>
          <CsrfField token={view.csrfToken} />
        </div>
      ) : null}
      <p>
        <a href={BASE}>{t('bp.list.title')}</a>
      </p>
    </Layout>,
  );
}

interface CellState {
  issues?: FieldIssue[];
  body?: string;
  piiKinds?: string[];
  text?: string;
  note?: string;
  conflict?: number;
  done?: string | undefined;
  status?: 200 | 400 | 409;
}

async function cellPage(c: Context<AppEnv>, at: { stageId: string; laneId: string }, state: CellState = {}) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = c.get('actor');
  const bp = await loadOr404(c);
  const stage = bp.content.stages.find((s) => s.id === at.stageId);
  const lane = bp.content.lanes.find((l) => l.id === at.laneId);
  if (!stage || !lane) throw new AppError('not_found', 'That cell was not found.', [], 'bp.error.cell.notFound');
  const moderator = !!actor && allows('blueprints.moderate', actor.roles);
  const editable = await mayEdit(db(c), actor, bp.serviceId);
  const comments = (await commentsOf(db(c), tenantOf(c), bp.id, { withHidden: moderator })).filter((x) => x.stageId === stage.id && x.laneId === lane.id);
  const cell = cellAt(bp.content, stage.id, lane.id);
  const issues = state.issues ?? [];
  const here = cellHref(bp, stage.id, lane.id);
  const title = t('bp.cell.title', { stage: stage.title, lane: lane.title });
  return c.html(
    <Layout view={view} title={title}>
      <p>
        <a href={`${BASE}/${bp.id}`}>{bp.title}</a>
        {bp.isDemo ? <DemoTag t={t} /> : null}
      </p>
      <h1>{title}</h1>
      {state.done ? (
        <p class="success" role="status">
          {t(state.done === 'comment' ? 'bp.comment.added' : 'bp.saved')}
        </p>
      ) : null}
      {state.conflict ? (
        <p class="error" role="alert">
          {t('bp.error.stale', { version: state.conflict })}
        </p>
      ) : null}
      <ErrorSummary t={t} issues={issues.filter((i) => i.field !== 'body' || !state.piiKinds)} />
      <div class="card">
        <CellText cell={cell} />
        {!cell?.text ? <p class="muted">{t('bp.cell.empty')}</p> : null}
        <Marks t={t} cell={cell} />
      </div>

      <h2>{t('bp.comments.title')}</h2>
      {comments.length === 0 ? <p>{t('bp.comments.none')}</p> : null}
      <ul class="bp-comments">
        {comments.map((x: BpComment) => (
          <li>
            <p>
              {x.body}
              {x.isDemo ? <DemoTag t={t} /> : null}
            </p>
            <p class="hint">
              {formatDateTime(locale, x.createdAt)}
              {x.hiddenAt ? ` · ${t('bp.comment.hidden')}` : ''}
            </p>
            {moderator && !x.hiddenAt ? (
              <form method="post" action={`${BASE}/${bp.id}/comments/${x.id}/hide`} class="inline-form">
                <CsrfField token={view.csrfToken} />
                <input type="hidden" name="back" value={here} />
                <button class="button button-secondary" type="submit">
                  {t('bp.comment.hide')}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>

      <h2 id="comment">{t('bp.comment.add')}</h2>
      <form method="post" action={`${here}/comments`} novalidate>
        <CsrfField token={view.csrfToken} />
        {state.piiKinds ? (
          <div class="notice" role="alert" id="f-body-pii">
            <h3>{t('bp.comment.pii.title')}</h3>
            <p>{t('bp.comment.pii.found', { kinds: state.piiKinds.map((k) => t(`bp.pii.${k}` as MessageKey)).join(', ') })}</p>
            <div class="field checkbox">
              <input type="checkbox" id="f-confirm" name="confirm" value="1" />
              <label for="f-confirm">{t('bp.comment.pii.confirm')}</label>
            </div>
          </div>
        ) : null}
        <Field t={t} name="body" label={t('bp.comment.label')} hint={t('bp.comment.hint')} issues={state.piiKinds ? [] : issues}>
          {(a) => <textarea {...a} rows={4} maxlength={LIMITS.comment}>{state.body ?? ''}</textarea>}
        </Field>
        <button class="button" type="submit">
          {t('bp.comment.send')}
        </button>
      </form>

      {editable ? (
        <>
          <h2>{t('bp.cell.edit')}</h2>
          <form method="post" action={`${BASE}/${bp.id}/edit`} novalidate>
            <CsrfField token={view.csrfToken} />
            <input type="hidden" name="op" value="cell.edit" />
            <input type="hidden" name="version" value={String(bp.version)} />
            <input type="hidden" name="stageId" value={stage.id} />
            <input type="hidden" name="laneId" value={lane.id} />
            <input type="hidden" name="back" value={here} />
            <Field t={t} name="text" label={t('bp.cell.text')} issues={issues}>
              {(a) => <textarea {...a} rows={5} maxlength={LIMITS.cell}>{state.text ?? cell?.text ?? ''}</textarea>}
            </Field>
            <button class="button" type="submit">
              {t('bp.cell.save')}
            </button>
          </form>
          <h2>{t('bp.mark.add')}</h2>
          <form method="post" action={`${BASE}/${bp.id}/edit`} novalidate>
            <CsrfField token={view.csrfToken} />
            <input type="hidden" name="op" value="mark.add" />
            <input type="hidden" name="version" value={String(bp.version)} />
            <input type="hidden" name="stageId" value={stage.id} />
            <input type="hidden" name="laneId" value={lane.id} />
            <input type="hidden" name="back" value={here} />
            <Field t={t} name="kind" label={t('bp.mark.kind')} issues={issues}>
              {(a) => (
                <select {...a}>
                  {MARK_KINDS.map((k) => (
                    <option value={k}>{t(`bp.mark.${k}` as MessageKey)}</option>
                  ))}
                </select>
              )}
            </Field>
            <Field t={t} name="note" label={t('bp.mark.note')} issues={issues}>
              {(a) => <input type="text" {...a} maxlength={LIMITS.note} value={state.note ?? ''} />}
            </Field>
            <button class="button" type="submit">
              {t('bp.mark.save')}
            </button>
          </form>
          {cell?.marks.length ? (
            <>
              <h2>{t('bp.mark.remove.title')}</h2>
              <ul>
                {cell.marks.map((m) => (
                  <li>
                    <form method="post" action={`${BASE}/${bp.id}/edit`} class="inline-form">
                      <CsrfField token={view.csrfToken} />
                      <input type="hidden" name="op" value="mark.remove" />
                      <input type="hidden" name="version" value={String(bp.version)} />
                      <input type="hidden" name="markId" value={m.id} />
                      <input type="hidden" name="back" value={here} />
                      {t(`bp.mark.${m.kind}` as MessageKey)}: {m.note}{' '}
                      <button class="button button-secondary" type="submit" aria-label={t('bp.mark.remove.label', { note: m.note })}>
                        {t('bp.mark.remove')}
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </Layout>,
    state.status ?? 200,
  );
}

function OpForm({ view, bp, op, fields, label, aria, secondary }: { view: View; bp: Blueprint; op: BpOp['op']; fields: Record<string, string>; label: string; aria?: string; secondary?: boolean }) {
  return (
    <form method="post" action={`${BASE}/${bp.id}/edit`} class="inline-form">
      <CsrfField token={view.csrfToken} />
      <input type="hidden" name="op" value={op} />
      <input type="hidden" name="version" value={String(bp.version)} />
      <input type="hidden" name="back" value={`${BASE}/${bp.id}/edit`} />
      {Object.entries(fields).map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <button class={secondary === false ? 'button' : 'button button-secondary'} type="submit" aria-label={aria}>
        {label}
      </button>
    </form>
  );
}

async function editPage(c: Context<AppEnv>, state: { issues?: FieldIssue[]; conflict?: number; done?: string | undefined; status?: 200 | 400 | 409 } = {}) {
  const view = viewOf(c);
  const { t } = view;
  const actor = c.get('actor');
  const bp = await loadOr404(c);
  // A partner who is not staff of the service's provider: 404, like an unknown id (record-level rule).
  if (!(await mayEdit(db(c), actor, bp.serviceId))) throw new AppError('not_found', 'That blueprint was not found.', [], 'bp.error.notFound');
  const card = await serviceCard(db(c), tenantOf(c), bp.serviceId);
  const issues = state.issues ?? [];
  const { stages, lanes } = bp.content;
  const renameForm = (op: 'stage.rename' | 'lane.rename', idName: string, id: string, value: string, label: string) => (
    <form method="post" action={`${BASE}/${bp.id}/edit`} class="bp-rename">
      <CsrfField token={view.csrfToken} />
      <input type="hidden" name="op" value={op} />
      <input type="hidden" name="version" value={String(bp.version)} />
      <input type="hidden" name={idName} value={id} />
      <input type="hidden" name="back" value={`${BASE}/${bp.id}/edit`} />
      <label for={`rename-${id}`}>{label}</label> <input type="text" id={`rename-${id}`} name="title" value={value} maxlength={LIMITS.title} required />{' '}
      <button class="button button-secondary" type="submit">
        {t('bp.edit.rename')}
      </button>
    </form>
  );
  return c.html(
    <Layout view={view} title={t('bp.edit.title', { title: bp.title })} scripts={['blueprint-edit.js']}>
      <Header view={view} bp={bp} card={card} actor={actor} />
      <h2>{t('bp.edit.title', { title: bp.title })}</h2>
      {state.done ? (
        <p class="success" role="status">
          {t('bp.saved')}
        </p>
      ) : null}
      {state.conflict ? (
        <p class="error" role="alert">
          {t('bp.error.stale', { version: state.conflict })}
        </p>
      ) : null}
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action={`${BASE}/${bp.id}/edit`} novalidate>
        <CsrfField token={view.csrfToken} />
        <input type="hidden" name="op" value="title" />
        <input type="hidden" name="version" value={String(bp.version)} />
        <input type="hidden" name="back" value={`${BASE}/${bp.id}/edit`} />
        <Field t={t} name="title" label={t('bp.field.title')} issues={issues}>
          {(a) => <input type="text" {...a} value={bp.title} maxlength={LIMITS.title} />}
        </Field>
        <button class="button" type="submit">
          {t('bp.edit.saveTitle')}
        </button>
      </form>

      <h3>{t('bp.edit.stages')}</h3>
      <p class="hint">{t('bp.edit.stages.help')}</p>
      <p class="hint bp-js-only" hidden>
        {t('bp.js.help')}
      </p>
      <ol class="bp-order" data-bp-reorder="stage" data-blueprint={bp.id} data-version={String(bp.version)}>
        {stages.map((s, i) => (
          <li data-id={s.id} data-index={String(i)}>
            {renameForm('stage.rename', 'stageId', s.id, s.title, t('bp.edit.stageName', { n: i + 1 }))}
            <div class="actions">
              {i > 0 ? <OpForm view={view} bp={bp} op="stage.move" fields={{ stageId: s.id, to: String(i - 1) }} label={t('bp.edit.left')} aria={t('bp.edit.left.label', { title: s.title })} /> : null}
              {i < stages.length - 1 ? <OpForm view={view} bp={bp} op="stage.move" fields={{ stageId: s.id, to: String(i + 1) }} label={t('bp.edit.right')} aria={t('bp.edit.right.label', { title: s.title })} /> : null}
              <OpForm view={view} bp={bp} op="stage.delete" fields={{ stageId: s.id }} label={t('bp.edit.delete')} aria={t('bp.edit.delete.label', { title: s.title })} />
            </div>
          </li>
        ))}
      </ol>
      <form method="post" action={`${BASE}/${bp.id}/edit`} novalidate>
        <CsrfField token={view.csrfToken} />
        <input type="hidden" name="op" value="stage.add" />
        <input type="hidden" name="version" value={String(bp.version)} />
        <input type="hidden" name="back" value={`${BASE}/${bp.id}/edit`} />
        <div class="field">
          <label for="f-newStage">{t('bp.edit.newStage')}</label>
          <input type="text" id="f-newStage" name="title" maxlength={LIMITS.title} />
        </div>
        <button class="button" type="submit">
          {t('bp.edit.addStage')}
        </button>
      </form>

      <h3>{t('bp.edit.lanes')}</h3>
      <ol class="bp-order" data-bp-reorder="lane" data-blueprint={bp.id} data-version={String(bp.version)}>
        {lanes.map((l, i) => (
          <li data-id={l.id} data-index={String(i)}>
            {renameForm('lane.rename', 'laneId', l.id, l.title, t('bp.edit.laneName', { n: i + 1 }))}
            <div class="actions">
              {i > 0 ? <OpForm view={view} bp={bp} op="lane.move" fields={{ laneId: l.id, to: String(i - 1) }} label={t('bp.edit.up')} aria={t('bp.edit.up.label', { title: l.title })} /> : null}
              {i < lanes.length - 1 ? <OpForm view={view} bp={bp} op="lane.move" fields={{ laneId: l.id, to: String(i + 1) }} label={t('bp.edit.down')} aria={t('bp.edit.down.label', { title: l.title })} /> : null}
              {lanes.length > 1 ? <OpForm view={view} bp={bp} op="lane.delete" fields={{ laneId: l.id }} label={t('bp.edit.delete')} aria={t('bp.edit.delete.label', { title: l.title })} /> : null}
            </div>
          </li>
        ))}
      </ol>
      <form method="post" action={`${BASE}/${bp.id}/edit`} novalidate>
        <CsrfField token={view.csrfToken} />
        <input type="hidden" name="op" value="lane.add" />
        <input type="hidden" name="version" value={String(bp.version)} />
        <input type="hidden" name="back" value={`${BASE}/${bp.id}/edit`} />
        <div class="field">
          <label for="f-newLane">{t('bp.edit.newLane')}</label>
          <input type="text" id="f-newLane" name="title" maxlength={LIMITS.title} />
        </div>
        <button class="button" type="submit">
          {t('bp.edit.addLane')}
        </button>
      </form>
      <p>
        <a href={`${BASE}/${bp.id}`}>{t('bp.edit.back')}</a>
      </p>
    </Layout>,
    state.status ?? 200,
  );
}

function opFrom(body: Record<string, unknown>): BpOp {
  const op = str(body.op);
  const to = Number.parseInt(str(body.to), 10);
  const need = (field: string): string => {
    const v = str(body[field]);
    if (!v) throw new AppError('validation_failed', `Missing ${field}.`, [{ field, message: 'bp.error.form' }], 'bp.error.form');
    return v;
  };
  switch (op) {
    case 'title':
    case 'stage.add':
    case 'lane.add':
      return { op, title: str(body.title) };
    case 'stage.rename':
      return { op, stageId: need('stageId'), title: str(body.title) };
    case 'lane.rename':
      return { op, laneId: need('laneId'), title: str(body.title) };
    case 'stage.delete':
      return { op, stageId: need('stageId') };
    case 'lane.delete':
      return { op, laneId: need('laneId') };
    case 'stage.move':
      return { op, stageId: need('stageId'), to: Number.isFinite(to) ? to : 0 };
    case 'lane.move':
      return { op, laneId: need('laneId'), to: Number.isFinite(to) ? to : 0 };
    case 'cell.edit':
      return { op, stageId: need('stageId'), laneId: need('laneId'), text: str(body.text) };
    case 'mark.add':
      return { op, stageId: need('stageId'), laneId: need('laneId'), kind: str(body.kind) as MarkKind, note: str(body.note) };
    case 'mark.remove':
      return { op, markId: need('markId') };
    default:
      throw new AppError('validation_failed', 'Unknown change.', [{ field: 'op', message: 'bp.error.form' }], 'bp.error.form');
  }
}

/** Only our own pages as the place to go back to (never an outside address). */
function safeBack(raw: string, bp: Blueprint): string {
  return raw.startsWith(`${BASE}/${bp.id}`) && !raw.includes('//') && /^[\w/-]+$/.test(raw) ? raw : `${BASE}/${bp.id}/edit`;
}

async function versionsPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const bp = await loadOr404(c);
  const versions = await versionsOf(db(c), tenantOf(c), bp.id);
  const actor = c.get('actor');
  const title = t('bp.versions.title', { title: bp.title });
  return c.html(
    <Layout view={view} title={title}>
      <h1>
        {title}
        {bp.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      <form method="get" action={`${BASE}/${bp.id}/compare`} class="filters">
        <fieldset>
          <legend>{t('bp.compare.versions')}</legend>
          <div class="field">
            <label for="f-a">{t('bp.compare.from')}</label>
            <select id="f-a" name="a">
              {versions.map((v, i) => (
                <option value={String(v.version)} selected={i === 1}>
                  {t('bp.version', { n: formatNumber(locale, v.version) })}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-b">{t('bp.compare.to')}</label>
            <select id="f-b" name="b">
              {versions.map((v, i) => (
                <option value={String(v.version)} selected={i === 0}>
                  {t('bp.version', { n: formatNumber(locale, v.version) })}
                </option>
              ))}
            </select>
          </div>
          <button class="button button-secondary" type="submit">
            {t('bp.compare.go')}
          </button>
        </fieldset>
      </form>
      <TableWrap label={title}>
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">{t('bp.versions.version')}</th>
              <th scope="col">{t('bp.versions.change')}</th>
              <th scope="col">{t('bp.versions.when')}</th>
              <th scope="col">{t('bp.versions.who')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr>
                <td data-label={t('bp.versions.version')}>
                  <a href={`${BASE}/${bp.id}/versions/${v.version}`}>{t('bp.version', { n: formatNumber(locale, v.version) })}</a>
                </td>
                <td data-label={t('bp.versions.change')}>{t(`bp.change.${v.change.replace('.', '_')}` as MessageKey)}</td>
                <td data-label={t('bp.versions.when')}>{formatDateTime(locale, v.createdAt)}</td>
                <td data-label={t('bp.versions.who')}>{v.authorId && actor && v.authorId === actor.memberId ? t('bp.versions.you') : t('bp.versions.staff')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <p>
        <a href={`${BASE}/${bp.id}`}>{t('bp.edit.back')}</a>
      </p>
    </Layout>,
  );
}

async function versionPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const bp = await loadOr404(c);
  const n = Number.parseInt(c.req.param('version') ?? '', 10);
  const v = Number.isInteger(n) ? await versionOf(db(c), tenantOf(c), bp.id, n) : undefined;
  if (!v) throw new AppError('not_found', 'That version was not found.', [], 'bp.error.versionNotFound');
  const title = t('bp.versionOf', { title: v.title, n: formatNumber(locale, v.version) });
  return c.html(
    <Layout view={view} title={title}>
      <h1>
        {title}
        {bp.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      <p class="lead">{formatDateTime(locale, v.createdAt)}</p>
      <Grid t={t} locale={locale} bp={bp} content={v.content} editable={false} label={title} />
      <p>
        <a href={`${BASE}/${bp.id}/versions`}>{t('bp.versions.link')}</a>
      </p>
    </Layout>,
  );
}

function ChangeCell({ t, change, left, right }: { t: Translate; change: CellChange; left: BpCell | undefined; right: BpCell | undefined }) {
  return (
    <td class={`bp-diff bp-diff-${change}`}>
      {change === 'same' ? null : <span class={`tag bp-change-${change}`}>{t(`bp.diff.${change}` as MessageKey)}</span>}
      {change === 'changed' || change === 'removed' ? (
        <div class="bp-before">
          <p class="hint">{t('bp.diff.before')}</p>
          <del>
            <CellText cell={left} />
            <Marks t={t} cell={left} />
          </del>
        </div>
      ) : null}
      {change !== 'removed' ? (
        <div>
          {change === 'changed' ? <p class="hint">{t('bp.diff.after')}</p> : null}
          {change === 'same' ? (
            <>
              <CellText cell={right} />
              <Marks t={t} cell={right} />
            </>
          ) : (
            <ins>
              <CellText cell={right} />
              <Marks t={t} cell={right} />
            </ins>
          )}
        </div>
      ) : null}
    </td>
  );
}

async function comparePage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const left = await loadOr404(c);
  const withId = c.req.query('with') ?? '';
  const right = withId ? await blueprintById(db(c), tenantOf(c), withId) : left;
  if (!right) throw new AppError('not_found', 'That blueprint was not found.', [], 'bp.error.notFound');
  const num = (q: string | undefined, dflt: number) => {
    const n = Number.parseInt(q ?? '', 10);
    return Number.isInteger(n) && n >= 1 ? n : dflt;
  };
  const aN = num(c.req.query('a'), right === left ? Math.max(1, left.version - 1) : left.version);
  const bN = num(c.req.query('b'), right.version);
  const a = await versionOf(db(c), tenantOf(c), left.id, aN);
  const b = await versionOf(db(c), tenantOf(c), right.id, bN);
  if (!a || !b) throw new AppError('not_found', 'That version was not found.', [], 'bp.error.versionNotFound');
  const cmp = compareContents(a.content, b.content);
  const leftLabel = `${a.title} (${kindLabel(t, left.kind)}, ${t('bp.version', { n: formatNumber(locale, a.version) })})`;
  const rightLabel = `${b.title} (${kindLabel(t, right.kind)}, ${t('bp.version', { n: formatNumber(locale, b.version) })})`;
  const title = t('bp.compare.title');
  return c.html(
    <Layout view={view} title={title}>
      <h1>{title}</h1>
      <p class="lead">
        {t('bp.compare.lead', { left: leftLabel, right: rightLabel })}
        {left.isDemo || right.isDemo ? <DemoTag t={t} /> : null}
      </p>
      <p role="status">{t('bp.compare.counts', { added: formatNumber(locale, cmp.counts.added), removed: formatNumber(locale, cmp.counts.removed), changed: formatNumber(locale, cmp.counts.changed) })}</p>
      <TableWrap label={title}>
        <table class="bp-grid bp-compare">
          <caption>{t('bp.compare.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('bp.grid.lane')}</th>
              {cmp.stages.map((s) => (
                <th scope="col">
                  {s.title}
                  {s.change !== 'same' ? (
                    <>
                      {' '}
                      <span class={`tag bp-change-${s.change}`}>{t(`bp.diff.stage.${s.change}` as MessageKey)}</span>
                    </>
                  ) : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cmp.rows.map((r) => (
              <tr>
                <th scope="row">{r.lane.title}</th>
                {r.cells.map((x) => (
                  <ChangeCell t={t} change={x.change} left={x.left} right={x.right} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <p>
        <a href={`${BASE}/${left.id}`}>{left.title}</a> · <a href={`${BASE}/${right.id}`}>{right.title}</a>
      </p>
    </Layout>,
  );
}

async function listPage(c: Context<AppEnv>, state: { issues?: FieldIssue[]; values?: Record<string, string>; status?: 200 | 400 } = {}) {
  const view = viewOf(c);
  const { t } = view;
  const actor = c.get('actor');
  const all = await listBlueprints(db(c), tenantOf(c));
  const services = await serviceCards(db(c), tenantOf(c));
  const byId = new Map(services.map((s) => [s.id, s]));
  const canCreate = !!actor && allows('blueprints.edit', actor.roles);
  const issues = state.issues ?? [];
  const v = state.values ?? {};
  const currents = all.filter((b) => b.kind === 'current');
  return c.html(
    <Layout view={view} title={t('bp.list.title')}>
      <h1>{t('bp.list.title')}</h1>
      <p class="lead">{t('bp.list.lead')}</p>
      <ErrorSummary t={t} issues={issues} />
      {all.length === 0 ? <p>{t('bp.list.none')}</p> : null}
      <ul class="bp-list">
        {all.map((b) => (
          <li>
            <a href={`${BASE}/${b.id}`}>{b.title}</a> · {kindLabel(t, b.kind)} · {serviceName(byId.get(b.serviceId) ?? null, view.locale, t)}
            {b.isDemo ? <DemoTag t={t} /> : null}
          </li>
        ))}
      </ul>
      {canCreate ? (
        <>
          <h2>{t('bp.create.title')}</h2>
          {services.length === 0 ? (
            <p>{t('bp.create.noServices')}</p>
          ) : (
            <form method="post" action={BASE} novalidate>
              <CsrfField token={view.csrfToken} />
              <Field t={t} name="serviceId" label={t('bp.service')} issues={issues}>
                {(a) => (
                  <select {...a}>
                    {services.map((s) => (
                      <option value={s.id} selected={v.serviceId === s.id}>
                        {s.providerName}: {serviceName(s, view.locale, t)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field t={t} name="kind" label={t('bp.field.kind')} issues={issues}>
                {(a) => (
                  <select {...a}>
                    {BLUEPRINT_KINDS.map((k) => (
                      <option value={k} selected={v.kind === k}>
                        {kindLabel(t, k)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field t={t} name="title" label={t('bp.field.title')} issues={issues}>
                {(a) => <input type="text" {...a} value={v.title ?? ''} maxlength={LIMITS.title} />}
              </Field>
              <Field t={t} name="fromId" label={t('bp.field.from')} hint={t('bp.field.from.hint')} issues={issues}>
                {(a) => (
                  <select {...a}>
                    <option value="">{t('bp.field.from.none')}</option>
                    {currents.map((b) => (
                      <option value={b.id} selected={v.fromId === b.id}>
                        {b.title}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <button class="button" type="submit">
                {t('bp.create.submit')}
              </button>
            </form>
          )}
        </>
      ) : null}
    </Layout>,
    state.status ?? 200,
  );
}

const cellIds = (c: Context<AppEnv>) => ({ stageId: c.req.param('stageId') ?? '', laneId: c.req.param('laneId') ?? '' });
const wantsJson = (c: Context<AppEnv>) => (c.req.header('accept') ?? '').includes('application/json');

export function registerBlueprintPages(app: RouteTarget): void {
  route(app, 'GET', BASE, 'signed-in', (c) => listPage(c));

  route(app, 'POST', BASE, 'blueprints.edit', async (c) => {
    const body = await c.req.parseBody();
    const values = { serviceId: str(body.serviceId), kind: str(body.kind), title: str(body.title), fromId: str(body.fromId) };
    try {
      const id = await createBlueprint(db(c), requireActor(c), { ...values, fromId: values.fromId || undefined, laneTitles: laneTitles(viewOf(c).t) });
      return c.redirect(`${BASE}/${id}/edit`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'validation_failed') throw err;
      return listPage(c, { issues: issuesOf(err), values, status: 400 });
    }
  });

  route(app, 'GET', `${BASE}/:id`, 'signed-in', (c) => blueprintPage(c, { done: c.req.query('saved') }));
  route(app, 'GET', `${BASE}/:id/edit`, 'blueprints.edit', (c) => editPage(c, { done: c.req.query('saved') }));

  route(app, 'POST', `${BASE}/:id/edit`, 'blueprints.edit', async (c) => {
    const bp = await loadOr404(c);
    const body = await c.req.parseBody();
    const back = safeBack(str(body.back), bp);
    const onCell = back.includes('/cells/');
    try {
      const op = opFrom(body);
      const { version } = await editBlueprint(db(c), requireActor(c), bp.id, Number.parseInt(str(body.version), 10), op);
      if (wantsJson(c)) return c.json({ version });
      return c.redirect(`${back}?saved=1`, 303);
    } catch (err) {
      if (err instanceof AppError && err.key === 'bp.error.notYourProvider') throw new AppError('not_found', 'That blueprint was not found.', [], 'bp.error.notFound');
      if (!(err instanceof AppError) || (err.code !== 'validation_failed' && err.code !== 'conflict')) throw err;
      const status = err.code === 'conflict' ? 409 : 400;
      const { t } = viewOf(c);
      if (wantsJson(c)) return c.json({ error: err.code, message: t((err.key ?? 'bp.error.form') as MessageKey, err.params), version: Number(err.params?.version ?? bp.version) }, status);
      const conflict = err.code === 'conflict' ? Number(err.params?.version ?? 0) : undefined;
      const issues = err.code === 'conflict' ? [] : issuesOf(err);
      if (onCell) {
        const parts = back.split('/');
        return cellPage(c, { stageId: parts[4] ?? '', laneId: parts[5] ?? '' }, { issues, conflict, text: str(body.op) === 'cell.edit' ? str(body.text) : undefined, note: str(body.note), status });
      }
      return editPage(c, { issues, conflict, status });
    }
  });

  route(app, 'GET', `${BASE}/:id/cells/:stageId/:laneId`, 'signed-in', (c) => cellPage(c, cellIds(c), { done: c.req.query('saved') ? 'saved' : c.req.query('commented') ? 'comment' : undefined }));

  route(app, 'POST', `${BASE}/:id/cells/:stageId/:laneId/comments`, 'signed-in', async (c) => {
    const body = await c.req.parseBody();
    const text = str(body.body);
    const id = c.req.param('id') ?? '';
    const stageId = c.req.param('stageId') ?? '';
    const laneId = c.req.param('laneId') ?? '';
    try {
      await addComment(db(c), requireActor(c), { blueprintId: id, stageId, laneId, body: text, confirmed: str(body.confirm) === '1' });
    } catch (err) {
      if (err instanceof CommentPersonalDetails) return cellPage(c, { stageId, laneId }, { issues: issuesOf(err), body: text, piiKinds: err.kinds, status: 400 });
      if (!(err instanceof AppError) || err.code !== 'validation_failed') throw err;
      return cellPage(c, { stageId, laneId }, { issues: issuesOf(err), body: text, status: 400 });
    }
    return c.redirect(`${cellHref({ id }, stageId, laneId)}?commented=1#comment`, 303);
  });

  route(app, 'POST', `${BASE}/:id/comments/:commentId/hide`, 'blueprints.moderate', async (c) => {
    const bp = await loadOr404(c);
    const body = await c.req.parseBody();
    await hideComment(db(c), requireActor(c), c.req.param('commentId') ?? '');
    return c.redirect(`${safeBack(str(body.back), bp)}?saved=1`, 303);
  });

  route(app, 'GET', `${BASE}/:id/versions`, 'signed-in', versionsPage);
  route(app, 'GET', `${BASE}/:id/versions/:version`, 'signed-in', versionPage);
  route(app, 'GET', `${BASE}/:id/compare`, 'signed-in', comparePage);

  route(app, 'GET', `${BASE}/:id/blueprint.pdf`, 'signed-in', async (c) => {
    const bp = await loadOr404(c);
    const { t, locale } = viewOf(c);
    const card = await serviceCard(db(c), tenantOf(c), bp.serviceId);
    const counts = await commentCounts(db(c), tenantOf(c), bp.id);
    const pdf = await blueprintPdf({ bp, serviceName: serviceName(card, locale, t), counts, t, locale });
    return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="blueprint-${bp.id}.pdf"` });
  });
}

