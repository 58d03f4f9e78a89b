// The street champion's report form, offline-first (issue 10 item 4). The page /intelligence/report
// works without JavaScript (a plain POST, intel-field's pages-report.tsx); when this script can open
// IndexedDB it takes the page over: the safeguarding question first, then a concern or a report;
// reports can be kept as drafts; "Send" puts them into the durable queue (report-queue.ts), which
// sends them when there is a connection and removes each only when the server confirmed it.
// Everything is built with DOM calls and text nodes (no innerHTML): strict CSP, no inline code.
import { findContaining, roundToAbout100m, type PolygonGeometry } from '../lib/geo.ts';
import { formatDate, isCalendarDate } from '../lib/dates.ts';
import { LOCALES, type Locale } from '../ui/i18n/locales.ts';

const isLocale = (v: string): boolean => (LOCALES as readonly string[]).includes(v);
import { offlineEn, offlinePl } from '../modules/intelligence/i18n-offline.ts';
import { getMeta, openOfflineDb, setMeta, type OfflineFormData, type WardBoundaries } from './offline-store.ts';
import { makeQueue, runQueue, SYNC_TAG } from './offline-runner.ts';
import { FORM_DATA_ENDPOINT, countsOf, type ConcernBody, type QueueItem, type ReportBody, type ReportQueue } from './report-queue.ts';

type Key = keyof typeof offlineEn;
const LANG: Locale = isLocale(document.documentElement.lang) ? (document.documentElement.lang as Locale) : 'en';
const CATALOGUE: Record<Key, string> = LANG === 'pl' ? offlinePl : offlineEn;
const NUMBER = new Intl.NumberFormat(LANG === 'pl' ? 'pl-PL' : 'en-GB');
const PLURAL = new Intl.PluralRules(LANG === 'pl' ? 'pl-PL' : 'en-GB');

function t(key: Key, params: Record<string, string | number> = {}): string {
  return CATALOGUE[key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : typeof v === 'number' ? NUMBER.format(v) : v;
  });
}

function waitingText(count: number): string {
  const form = PLURAL.select(count);
  const key = `intel.offline.status.waiting.${form}` as Key;
  return t(key in CATALOGUE ? key : 'intel.offline.status.waiting.other', { count });
}

const SINCE = ['this_week', 'this_month', 'few_months', 'over_a_year', 'unknown'] as const;
const SOURCES = ['seen', 'residents', 'other_data'] as const;
const TEXT_LIMIT = 2000;

type Child = Node | string | null | undefined | false;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

function button(label: string, cls: string, onClick: () => void, attrs: Record<string, string | undefined> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', class: cls, ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function dayText(iso: string): string {
  return isCalendarDate(iso) ? formatDate(LANG, iso) : iso;
}

interface Issue {
  field: string;
  key: Key;
}

type View =
  | { step: 'question'; issues?: Issue[] }
  | { step: 'report'; editing?: string; values?: Partial<ReportBody>; issues?: Issue[] }
  | { step: 'concern'; editing?: string; values?: Partial<ConcernBody>; issues?: Issue[] }
  | { step: 'now'; clientId: string };

class ReportApp {
  private view: View = { step: 'question' };
  private items: QueueItem[] = [];
  private formData: OfflineFormData | undefined;
  private frontDoor: { name: string; phone: string } | undefined;
  private note: { text: string; tone: 'ok' | 'info' } | undefined;
  private signedOut = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private point: { lon: number; lat: number } | undefined;

  private readonly root = h('div', { class: 'offline-app' });
  private readonly statusBox = h('div', { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', id: 'queue-status' });
  private readonly formBox = h('section', { 'aria-labelledby': 'form-heading' });
  private readonly listsBox = h('div');

  constructor(
    private readonly db: IDBDatabase,
    private readonly queue: ReportQueue,
  ) {}

  async start(container: Element): Promise<void> {
    this.formData = await getMeta(this.db, 'formData');
    this.frontDoor = (await getMeta(this.db, 'frontDoor')) ?? this.formData?.frontDoor;
    this.root.append(h('h1', {}, t('intel.offline.title')), h('p', { class: 'lead' }, t('intel.offline.lead')), this.statusBox, this.formBox, this.listsBox);
    container.replaceChildren(this.root);
    await this.refresh();
    this.renderForm();
    window.addEventListener('online', () => void this.sync(true));
    window.addEventListener('offline', () => this.renderStatus());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void this.sync(true);
    });
    navigator.serviceWorker?.addEventListener('message', (e: MessageEvent<unknown>) => {
      if ((e.data as { type?: string } | null)?.type === 'pm-queue-changed') void this.refresh();
    });
    void this.loadFormData();
    void this.sync(true);
  }

  /** The lists for the form, fresh when online (the worker caches the answer), else the copy kept here. */
  private async loadFormData(): Promise<void> {
    try {
      const res = await fetch(FORM_DATA_ENDPOINT, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (res.ok) {
        const data = (await res.json()) as OfflineFormData;
        if (Array.isArray(data.categories) && Array.isArray(data.wards)) {
          const first = !this.formData;
          this.formData = data;
          await setMeta(this.db, 'formData', data);
          if (data.frontDoor?.phone) {
            this.frontDoor = data.frontDoor;
            await setMeta(this.db, 'frontDoor', data.frontDoor);
          }
          if (first && this.view.step !== 'now') this.renderForm();
        }
      }
    } catch {
      // Offline: the copy from IndexedDB (or the worker's cache) stands.
    }
    await this.loadBoundaries();
  }

  private async loadBoundaries(): Promise<WardBoundaries | undefined> {
    try {
      const wards = (await (await fetch('/api/v1/wards', { headers: { Accept: 'application/json' } })).json()) as { wardSet?: { key?: string } };
      const key = wards.wardSet?.key;
      if (key && /^[a-z0-9][a-z0-9-]{0,39}$/.test(key)) {
        const res = await fetch(`/api/v1/ward-sets/${key}/geojson`, { headers: { Accept: 'application/json' } });
        if (res.ok) {
          const geo = (await res.json()) as WardBoundaries;
          await setMeta(this.db, 'boundaries', geo);
          return geo;
        }
      }
    } catch {
      // Offline: use the kept copy.
    }
    return getMeta(this.db, 'boundaries');
  }

  private async refresh(): Promise<void> {
    this.items = await this.queue.list();
    this.renderStatus();
    this.renderLists();
    if (this.view.step === 'now') this.renderForm();
  }

  async sync(force: boolean): Promise<void> {
    try {
      const result = await runQueue(this.db, this.queue, force);
      if (result) {
        this.signedOut = result.retried.some((i) => i.lastError === 'signed_out');
        const reports = result.accepted.filter((a) => a.item.kind === 'report').length;
        if (reports > 0) this.note = { text: t('intel.offline.status.sent', { count: reports }), tone: 'ok' };
        else if (result.refused.length || result.conflicts.length) this.note = undefined;
        if (result.accepted.some((a) => a.item.kind === 'concern')) this.frontDoor = (await getMeta(this.db, 'frontDoor')) ?? this.frontDoor;
      }
    } finally {
      await this.refresh();
      this.schedule();
    }
  }

  /** The next attempt: when the first waiting item is due (at least 1 s, at most a minute away). */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    void this.queue.nextDueAt().then((due) => {
      if (due === undefined) return;
      const wait = Math.min(60_000, Math.max(1_000, due - Date.now()));
      this.timer = setTimeout(() => void this.sync(false), wait);
    });
  }

  private queued(): void {
    // Background Sync, where the browser has it, sends even after the page is closed.
    void navigator.serviceWorker?.ready
      .then((reg) => (reg as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }).sync?.register(SYNC_TAG))
      .catch(() => undefined);
    void this.sync(true);
  }

  private renderStatus(): void {
    const counts = countsOf(this.items);
    const lines: HTMLElement[] = [];
    // Reports and concerns are counted apart: "3 reports waiting to send" means reports.
    const concerns = this.items.filter((i) => i.state === 'waiting' && i.kind === 'concern').length;
    const reports = counts.waiting - concerns;
    lines.push(h('p', { id: 'queue-count', class: counts.waiting > 0 ? 'notice' : '' }, reports > 0 ? waitingText(reports) : concerns > 0 ? '' : t('intel.offline.status.none')));
    if (concerns > 0) lines.push(h('p', { class: 'notice' }, t('intel.offline.status.concernsWaiting', { count: concerns })));
    if (counts.refused > 0) lines.push(h('p', { class: 'error' }, t('intel.offline.status.attention', { count: counts.refused })));
    if (!navigator.onLine) lines.push(h('p', {}, t('intel.offline.status.offline')));
    else if (this.signedOut && counts.waiting > 0) lines.push(h('p', { class: 'error' }, t('intel.offline.status.signedOut')));
    if (this.note) lines.push(h('p', { class: this.note.tone === 'ok' ? 'success' : '' }, this.note.text));
    this.statusBox.replaceChildren(...lines);
  }

  private categoryTitle(key: string): string {
    const c = this.formData?.categories.find((x) => x.key === key);
    return c ? (LANG === 'pl' && c.titlePl ? c.titlePl : c.title) : key;
  }

  private wardName(code: string | undefined): string {
    return (code && this.formData?.wards.find((w) => w.code === code)?.name) || code || '';
  }

  private itemTitle(item: QueueItem): string {
    if (item.kind === 'concern') return t('intel.offline.concern.item');
    const body = item.body as ReportBody;
    return [this.categoryTitle(body.categoryKey), this.wardName(body.wardCode), dayText(body.observedOn)].filter(Boolean).join(' · ');
  }

  private renderLists(): void {
    const drafts = this.items.filter((i) => i.state === 'draft');
    const waiting = this.items.filter((i) => i.state === 'waiting');
    const attention = this.items.filter((i) => i.state === 'refused' || i.state === 'conflict');
    const section = (id: string, title: Key, list: QueueItem[]) =>
      list.length
        ? h('section', { 'aria-labelledby': id }, h('h2', { id }, t(title)), h('ul', { class: 'queue-list' }, ...list.map((i) => this.renderItem(i))))
        : null;
    this.listsBox.replaceChildren(
      ...[section('list-attention', 'intel.offline.list.attention', attention), section('list-waiting', 'intel.offline.list.waiting', waiting), section('list-drafts', 'intel.offline.list.drafts', drafts)].filter(
        (x): x is HTMLElement => x !== null,
      ),
    );
  }

  private renderItem(item: QueueItem): HTMLLIElement {
    const name = this.itemTitle(item);
    const badges = [h('span', { class: 'tag' }, t('intel.offline.badge.notSent'))];
    if (item.state === 'draft') badges.push(h('span', { class: 'tag' }, t('intel.offline.badge.draft')));
    if (item.state === 'conflict') badges.push(h('span', { class: 'tag' }, t('intel.offline.badge.conflict')));
    if (item.state === 'refused') badges.push(h('span', { class: 'tag' }, t('intel.offline.badge.refused')));
    const li = h('li', { 'data-client-id': item.clientId, 'data-state': item.state }, h('strong', {}, name), ' ', ...badges.flatMap((b) => [b, ' ']));
    const actions: HTMLElement[] = [];
    const edit = () => {
      this.note = undefined;
      this.view = item.kind === 'concern' ? { step: 'concern', editing: item.clientId, values: item.body as ConcernBody } : { step: 'report', editing: item.clientId, values: item.body as ReportBody };
      this.point = item.kind === 'report' ? (item.body as ReportBody).point : undefined;
      this.renderForm(true);
    };
    const act = (label: Key, named: Key, cls: string, run: () => Promise<unknown>) =>
      actions.push(
        button(t(label), cls, () => {
          void run().then(() => this.refresh());
        }, { 'aria-label': t(named, { name }) }),
      );
    if (item.state === 'draft') {
      act('intel.offline.item.edit', 'intel.offline.item.editNamed', 'button button-secondary', async () => edit());
      act('intel.offline.item.send', 'intel.offline.item.sendNamed', 'button', async () => {
        await this.queue.send(item.clientId);
        this.note = { text: t('intel.offline.status.saved'), tone: 'info' };
        this.queued();
      });
    }
    if (item.state === 'refused') {
      const r = item.reason;
      const text =
        r?.code === 'personal_details' ? t('intel.offline.item.personalDetails') : r?.status === 403 ? t('intel.offline.item.forbidden') : t('intel.offline.item.refused', { message: r?.message ?? '' });
      li.append(h('p', { class: 'error' }, text));
      act('intel.offline.item.edit', 'intel.offline.item.editNamed', 'button button-secondary', async () => edit());
      if (r?.code === 'personal_details' && item.kind === 'report') {
        actions.push(
          button(t('intel.offline.item.sendAnyway'), 'button', () => {
            void this.queue.confirmNoPersonalDetails(item.clientId).then(() => this.queued());
          }),
        );
      }
    }
    if (item.state === 'conflict') {
      li.append(h('p', { class: 'error' }, t('intel.offline.item.conflict')), item.reason?.message ? h('p', { class: 'hint' }, item.reason.message) : '');
      actions.push(
        button(t('intel.offline.item.sendAsNew'), 'button', () => {
          void this.queue.sendAsNew(item.clientId).then(() => this.queued());
        }),
      );
    }
    if (item.state !== 'waiting') {
      act('intel.offline.item.delete', 'intel.offline.item.deleteNamed', 'button button-danger', async () => {
        await this.queue.discard(item.clientId);
        this.note = { text: t('intel.offline.status.deleted'), tone: 'info' };
      });
    }
    if (actions.length) li.append(h('div', { class: 'actions' }, ...actions));
    return li;
  }

  private renderForm(focus = false): void {
    const v = this.view;
    const heading = (key: Key) => h('h2', { id: 'form-heading', tabindex: '-1' }, t(key));
    let content: HTMLElement[];
    if (v.step === 'question') content = this.questionForm(heading('intel.offline.report.heading'), v.issues ?? []);
    else if (v.step === 'concern') content = this.concernForm(heading('intel.offline.concern.title'), v);
    else if (v.step === 'report') content = this.reportForm(heading(v.editing ? 'intel.offline.report.editing' : 'intel.offline.report.heading'), v);
    else content = this.nowPanel(heading('intel.offline.now.title'), v.clientId);
    this.formBox.replaceChildren(...content);
    if (focus) {
      const summary = this.formBox.querySelector<HTMLElement>('.error-summary');
      (summary ?? this.formBox.querySelector<HTMLElement>('#form-heading'))?.focus();
    }
  }

  private summary(issues: Issue[]): HTMLElement | null {
    if (!issues.length) return null;
    return h(
      'div',
      { class: 'error-summary', role: 'alert', tabindex: '-1' },
      h('h2', {}, t('intel.offline.errors.title')),
      h('ul', {}, ...issues.map((i) => h('li', {}, h('a', { href: `#o-${i.field}` }, t(i.key))))),
    );
  }

  /** A labelled field with hint and error, wired like src/ui/forms.tsx#Field. */
  private field(name: string, label: string, issues: Issue[], control: HTMLElement, hint?: string, extra: Child[] = []): HTMLElement {
    const id = `o-${name}`;
    const issue = issues.find((i) => i.field === name);
    control.id = id;
    const describedBy = [hint ? `${id}-hint` : '', issue ? `${id}-error` : ''].filter(Boolean).join(' ');
    if (describedBy) control.setAttribute('aria-describedby', describedBy);
    if (issue) control.setAttribute('aria-invalid', 'true');
    return h(
      'div',
      { class: issue ? 'field field-error' : 'field' },
      h('label', { for: id }, label),
      hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
      issue ? h('p', { class: 'error', id: `${id}-error` }, t(issue.key)) : null,
      control,
      ...extra,
    );
  }

  private select(name: string, options: Array<[string, string]>, value: string | undefined, placeholder = true): HTMLSelectElement {
    const s = h('select', { name });
    if (placeholder) s.append(h('option', { value: '' }, t('intel.offline.field.choose')));
    for (const [v, label] of options) s.append(h('option', { value: v, selected: v === value }, label));
    return s;
  }

  private questionForm(heading: HTMLElement, issues: Issue[]): HTMLElement[] {
    const form = h('form', { novalidate: true, id: 'safeguarding-question' });
    const issue = issues.find((i) => i.field === 'safeguarding');
    const radio = (value: 'yes' | 'no', label: Key) =>
      h('div', { class: 'choice' }, h('input', { type: 'radio', name: 'childAtRisk', id: `o-safeguarding-${value}`, value, required: true }), h('label', { for: `o-safeguarding-${value}` }, t(label)));
    form.append(
      this.summary(issues) ?? '',
      h(
        'fieldset',
        { id: 'o-safeguarding', 'aria-describedby': issue ? 'o-safeguarding-hint o-safeguarding-error' : 'o-safeguarding-hint', class: issue ? 'field-error' : undefined, tabindex: '-1' },
        h('legend', {}, t('intel.offline.safeguarding.legend')),
        h('p', { class: 'hint', id: 'o-safeguarding-hint' }, t('intel.offline.safeguarding.hint')),
        issue ? h('p', { class: 'error', id: 'o-safeguarding-error' }, t(issue.key)) : null,
        radio('yes', 'intel.offline.yes'),
        radio('no', 'intel.offline.no'),
      ),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('intel.offline.continue'))),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const answer = (form.elements.namedItem('childAtRisk') as RadioNodeList | null)?.value;
      this.note = undefined;
      this.point = undefined;
      if (answer === 'yes') this.view = { step: 'concern' };
      else if (answer === 'no') this.view = { step: 'report' };
      else this.view = { step: 'question', issues: [{ field: 'safeguarding', key: 'intel.offline.error.safeguarding' }] };
      this.renderStatus();
      this.renderForm(true);
    });
    return [heading, form];
  }

  private wardOptions(): Array<[string, string]> {
    return (this.formData?.wards ?? []).map((w) => [w.code, w.name]);
  }

  private concernForm(heading: HTMLElement, v: Extract<View, { step: 'concern' }>): HTMLElement[] {
    const issues = v.issues ?? [];
    const form = h('form', { novalidate: true, id: 'concern-form' });
    const text = h('textarea', { name: 'observedText', rows: '6', maxlength: String(TEXT_LIMIT) });
    text.value = v.values?.observedText ?? '';
    const ward = this.select('wardCode', this.wardOptions(), v.values?.wardCode);
    form.append(
      this.summary(issues) ?? '',
      this.field('concernText', t('intel.offline.concern.text'), issues, text, t('intel.offline.concern.textHint')),
      this.field('concernWard', t('intel.offline.concern.ward'), issues, ward),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'button' }, t('intel.offline.concern.send')),
        button(t('intel.offline.cancel'), 'button button-secondary', () => {
          this.view = { step: 'question' };
          this.renderForm(true);
        }),
      ),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const body: ConcernBody = { observedText: text.value.trim(), ...(ward.value ? { wardCode: ward.value } : {}) };
      if (!body.observedText || body.observedText.length > TEXT_LIMIT) {
        this.view = { ...v, values: body, issues: [{ field: 'concernText', key: 'intel.offline.error.observedText' }] };
        this.renderForm(true);
        return;
      }
      void (async () => {
        let item: QueueItem;
        if (v.editing) {
          await this.queue.edit(v.editing, body);
          item = await this.queue.send(v.editing);
        } else item = await this.queue.queueConcern(body);
        // What to do now, at once: offline too (999 and the front door kept from the last form data).
        this.view = { step: 'now', clientId: item.clientId };
        this.renderForm(true);
        await this.refresh();
        this.queued();
      })();
    });
    return [heading, form];
  }

  private nowPanel(heading: HTMLElement, clientId: string): HTMLElement[] {
    const stillQueued = this.items.some((i) => i.clientId === clientId);
    const door = this.frontDoor;
    return [
      heading,
      h(
        'div',
        { class: 'notice' },
        h('p', {}, h('strong', {}, t('intel.offline.now.emergency'))),
        h('p', {}, door?.phone ? t('intel.offline.now.frontDoor', { name: door.name, phone: door.phone }) : t('intel.offline.now.frontDoorUnknown')),
      ),
      h('p', { class: stillQueued ? '' : 'success' }, stillQueued ? t('intel.offline.now.queued') : t('intel.offline.now.sent')),
      h(
        'div',
        { class: 'actions' },
        button(t('intel.offline.now.another'), 'button button-secondary', () => {
          this.view = { step: 'question' };
          this.renderForm(true);
        }),
      ),
    ];
  }

  private reportForm(heading: HTMLElement, v: Extract<View, { step: 'report' }>): HTMLElement[] {
    const issues = v.issues ?? [];
    const values = v.values ?? {};
    if (!this.formData) return [heading, h('p', { class: 'notice' }, t('intel.offline.noFormData'))];
    const form = h('form', { novalidate: true, id: 'report-form' });
    const category = this.select('categoryKey', this.formData.categories.map((c) => [c.key, LANG === 'pl' && c.titlePl ? c.titlePl : c.title]), values.categoryKey);
    const ward = this.select('wardCode', this.wardOptions(), values.wardCode);
    const locateStatus = h('p', { class: 'hint', id: 'o-locate-status', 'aria-live': 'polite' }, this.point ? t('intel.offline.location.kept') : '');
    const locate = 'geolocation' in navigator ? button(t('intel.offline.field.location'), 'button button-secondary', () => void this.locate(ward, locateStatus), { id: 'o-locate' }) : null;
    const observedOn = h('input', { type: 'date', name: 'observedOn', max: today(), value: values.observedOn ?? today() });
    const text = h('textarea', { name: 'observedText', rows: '5', maxlength: String(TEXT_LIMIT) });
    text.value = values.observedText ?? '';
    const families = h('input', { type: 'number', name: 'familiesEstimate', min: '0', max: '10000', step: '1', inputmode: 'numeric', value: String(values.familiesEstimate ?? 0) });
    const since = this.select('since', SINCE.map((s) => [s, t(`intel.offline.since.${s}`)]), values.since ?? 'unknown', false);
    const sourceIssue = issues.find((i) => i.field === 'source');
    const source = h(
      'fieldset',
      { id: 'o-source', tabindex: '-1', class: sourceIssue ? 'field-error' : undefined, 'aria-describedby': sourceIssue ? 'o-source-error' : undefined },
      h('legend', {}, t('intel.offline.field.source')),
      sourceIssue ? h('p', { class: 'error', id: 'o-source-error' }, t(sourceIssue.key)) : null,
      ...SOURCES.map((s) =>
        h('div', { class: 'choice' }, h('input', { type: 'radio', name: 'source', id: `o-source-${s}`, value: s, checked: values.source === s }), h('label', { for: `o-source-${s}` }, t(`intel.offline.source.${s}`))),
      ),
    );
    const read = (): ReportBody => ({
      categoryKey: category.value,
      wardCode: ward.value,
      observedOn: observedOn.value,
      observedText: text.value.trim(),
      familiesEstimate: families.value.trim() === '' ? Number.NaN : Number(families.value),
      since: since.value,
      source: (form.elements.namedItem('source') as RadioNodeList | null)?.value ?? '',
      ...(this.point ? { point: this.point } : {}),
      ...(values.confirmNoPersonalDetails ? { confirmNoPersonalDetails: true } : {}),
    });
    const submit = (draft: boolean) => {
      const body = read();
      const problems = draft ? [] : check(body);
      if (problems.length) {
        this.view = { ...v, values: body, issues: problems };
        this.renderForm(true);
        return;
      }
      void (async () => {
        if (v.editing) {
          await this.queue.edit(v.editing, body);
          if (!draft) await this.queue.send(v.editing);
        } else if (draft) await this.queue.saveDraft(body);
        else await this.queue.queueReport(body);
        this.note = { text: t(draft ? 'intel.offline.status.draftSaved' : 'intel.offline.status.saved'), tone: 'info' };
        this.view = { step: 'question' };
        this.point = undefined;
        this.renderForm(true);
        await this.refresh();
        if (!draft) this.queued();
      })();
    };
    form.append(
      this.summary(issues) ?? '',
      this.field('category', t('intel.offline.field.category'), issues, category),
      this.field('ward', t('intel.offline.field.ward'), issues, ward, undefined, [locate ? h('div', { class: 'actions' }, locate) : null, locateStatus]),
      this.field('observedOn', t('intel.offline.field.observedOn'), issues, observedOn),
      this.field('observedText', t('intel.offline.field.observedText'), issues, text, t('intel.offline.field.observedTextHint')),
      this.field('families', t('intel.offline.field.families'), issues, families, t('intel.offline.field.familiesHint')),
      this.field('since', t('intel.offline.field.since'), issues, since),
      source,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'button' }, t('intel.offline.send')),
        button(t('intel.offline.saveDraft'), 'button button-secondary', () => submit(true)),
        button(t('intel.offline.cancel'), 'button button-secondary', () => {
          this.view = { step: 'question' };
          this.point = undefined;
          this.renderForm(true);
        }),
      ),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submit(false);
    });
    return [heading, form];
  }

  /** "Use my location": the ward holding the position; only a point rounded to about 100 m is kept. */
  private async locate(ward: HTMLSelectElement, status: HTMLElement): Promise<void> {
    status.textContent = t('intel.offline.location.finding');
    const boundaries = (await getMeta(this.db, 'boundaries')) ?? (await this.loadBoundaries());
    if (!boundaries?.features.length) {
      status.textContent = t('intel.offline.location.noMap');
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        // Round first: the exact position is never stored, sent or even kept in this page's state.
        const rounded = roundToAbout100m(pos.coords.longitude, pos.coords.latitude);
        const areas = boundaries.features.map((f) => ({ code: f.properties.code, name: f.properties.name, geometry: f.geometry as PolygonGeometry | null }));
        const found = findContaining(areas, rounded.lon, rounded.lat);
        if (!found) {
          this.point = undefined;
          status.textContent = t('intel.offline.location.outside');
          return;
        }
        this.point = rounded;
        if (![...ward.options].some((o) => o.value === found.code)) ward.append(h('option', { value: found.code }, found.name));
        ward.value = found.code;
        status.textContent = t('intel.offline.location.found', { ward: found.name });
      },
      () => {
        status.textContent = t('intel.offline.location.failed');
      },
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 60_000 },
    );
  }
}

/** The same rules as the server's form (so most mistakes are caught offline); the server has the last word. */
export function check(body: ReportBody): Issue[] {
  const issues: Issue[] = [];
  if (!body.categoryKey) issues.push({ field: 'category', key: 'intel.offline.error.category' });
  if (!body.wardCode) issues.push({ field: 'ward', key: 'intel.offline.error.ward' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(body.observedOn) || body.observedOn > today()) issues.push({ field: 'observedOn', key: 'intel.offline.error.observedOn' });
  if (!body.observedText || body.observedText.length > TEXT_LIMIT) issues.push({ field: 'observedText', key: 'intel.offline.error.observedText' });
  if (!Number.isInteger(body.familiesEstimate) || body.familiesEstimate < 0 || body.familiesEstimate > 10_000) issues.push({ field: 'families', key: 'intel.offline.error.families' });
  if (!(SINCE as readonly string[]).includes(body.since)) issues.push({ field: 'since', key: 'intel.offline.error.since' });
  if (!(SOURCES as readonly string[]).includes(body.source)) issues.push({ field: 'source', key: 'intel.offline.error.source' });
  return issues;
}

/** The server-rendered report form this script takes over (its action is /intelligence/report). */
function serverForm(): HTMLFormElement | undefined {
  return [...document.querySelectorAll<HTMLFormElement>('main form')].find((f) => {
    try {
      return new URL(f.action, location.href).pathname === '/intelligence/report';
    } catch {
      return false;
    }
  });
}

async function main(): Promise<void> {
  const form = serverForm();
  if (!form) return;
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  }
  let db: IDBDatabase;
  try {
    db = await openOfflineDb();
  } catch {
    form.before(h('p', { class: 'notice' }, t('intel.offline.noStorage')));
    return;
  }
  // Ask the browser not to clear what waits on the phone under storage pressure.
  void navigator.storage?.persisted?.().then((yes) => (yes ? true : navigator.storage.persist())).catch(() => undefined);
  const csrf = document.querySelector<HTMLMetaElement>('meta[name="pm-csrf"]')?.content || form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value || undefined;
  if (csrf) await setMeta(db, 'csrf', csrf).catch(() => undefined);
  const queue = makeQueue(db, () => csrf);
  const container = form.closest('main')?.querySelector('.wrap') ?? form.closest('main') ?? form.parentElement!;
  const app = new ReportApp(db, queue);
  document.documentElement.dataset.offlineApp = 'starting';
  await app.start(container);
  document.documentElement.dataset.offlineApp = 'ready';
}

void main();
