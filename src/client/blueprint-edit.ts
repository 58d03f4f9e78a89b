/**
 * Blueprint editing, nicer with JavaScript (the pages work without it): drag stages and lanes to
 * reorder them (native HTML drag and drop; the move buttons stay for keyboard users), and edit a
 * cell's text in place on the grid. Both post the same forms as the no-JS page (`fetch` with the
 * page's CSRF token, asking for JSON), carrying the version the page was based on; a stale edit is
 * refused by the server, and the message is shown with the typed text kept.
 */

function csrf(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="pm-csrf"]')?.content ?? document.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
}

interface Answer {
  ok: boolean;
  version?: number;
  message?: string;
}

async function post(blueprintId: string, fields: Record<string, string>): Promise<Answer> {
  const body = new URLSearchParams({ _csrf: csrf(), ...fields });
  const res = await fetch(`/blueprints/${blueprintId}/edit`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf() },
    body: body.toString(),
    credentials: 'same-origin',
  });
  const json = (await res.json().catch(() => ({}))) as { version?: number; message?: string };
  return { ok: res.ok, version: json.version, message: json.message };
}

function announce(near: Element, text: string, error: boolean): void {
  let box = document.getElementById('bp-live');
  if (!box) {
    box = document.createElement('p');
    box.id = 'bp-live';
    box.setAttribute('role', error ? 'alert' : 'status');
    near.parentElement?.insertBefore(box, near);
  }
  box.className = error ? 'error' : 'success';
  box.textContent = text;
}

function setupReorder(list: HTMLElement): void {
  const kind = list.dataset.bpReorder;
  const blueprintId = list.dataset.blueprint ?? '';
  if (kind !== 'stage' && kind !== 'lane') return;
  let dragged: HTMLElement | null = null;
  for (const item of Array.from(list.children) as HTMLElement[]) {
    item.draggable = true;
    item.classList.add('bp-draggable');
    item.addEventListener('dragstart', (e) => {
      dragged = item;
      e.dataTransfer?.setData('text/plain', item.dataset.id ?? '');
      item.classList.add('bp-dragging');
    });
    item.addEventListener('dragend', () => item.classList.remove('bp-dragging'));
    item.addEventListener('dragover', (e) => e.preventDefault());
    item.addEventListener('drop', (e) => {
      e.preventDefault();
      if (!dragged || dragged === item) return;
      const to = Number(item.dataset.index ?? '0');
      const idField = kind === 'stage' ? 'stageId' : 'laneId';
      void post(blueprintId, { op: `${kind}.move`, version: list.dataset.version ?? '', [idField]: dragged.dataset.id ?? '', to: String(to), back: `/blueprints/${blueprintId}/edit` }).then((a) => {
        if (a.ok) window.location.reload();
        else announce(list, a.message ?? '', true);
      });
    });
  }
  const help = document.querySelector<HTMLElement>('.bp-js-only');
  if (help) help.hidden = false;
}

function setupInlineCells(table: HTMLTableElement): void {
  const blueprintId = table.dataset.bpGrid ?? '';
  let version = table.dataset.version ?? '';
  for (const td of Array.from(table.querySelectorAll<HTMLTableCellElement>('td[data-stage-id]'))) {
    const box = td.querySelector<HTMLElement>('[data-cell-text]');
    if (!box) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button-secondary bp-inline-edit';
    button.textContent = table.dataset.editLabel ?? 'Edit';
    // Name each button by its cell (stage column head, lane row head), not just "Edit this cell".
    const row = td.parentElement as HTMLTableRowElement | null;
    const stage = table.tHead?.rows[0]?.cells[td.cellIndex]?.textContent?.trim() ?? '';
    const lane = row?.cells[0]?.textContent?.trim() ?? '';
    button.setAttribute('aria-label', `${button.textContent}: ${stage}, ${lane}`);
    button.addEventListener('click', () => {
      const area = document.createElement('textarea');
      area.value = Array.from(box.querySelectorAll('p')).map((p) => p.textContent ?? '').join('\n');
      area.rows = 4;
      area.setAttribute('aria-label', table.dataset.editLabel ?? 'Edit');
      const save = document.createElement('button');
      save.type = 'button';
      save.className = 'button';
      save.textContent = table.dataset.saveLabel ?? 'Save';
      box.replaceChildren(area, save);
      button.hidden = true;
      area.focus();
      save.addEventListener('click', () => {
        void post(blueprintId, { op: 'cell.edit', version, stageId: td.dataset.stageId ?? '', laneId: td.dataset.laneId ?? '', text: area.value, back: `/blueprints/${blueprintId}` }).then((a) => {
          if (a.ok && a.version) {
            version = String(a.version);
            const lines = area.value.split('\n').map((line) => {
              const p = document.createElement('p');
              p.className = 'bp-text';
              p.textContent = line;
              return p;
            });
            box.replaceChildren(...lines);
            button.hidden = false;
            announce(table.closest('.table-wrap') ?? table, table.dataset.savedLabel ?? 'Saved.', false);
          } else {
            // Refused (e.g. stale): the typed text stays in the box.
            announce(table.closest('.table-wrap') ?? table, a.message ?? '', true);
          }
        });
      });
    });
    td.appendChild(button);
  }
}

for (const list of Array.from(document.querySelectorAll<HTMLElement>('[data-bp-reorder]'))) setupReorder(list);
for (const table of Array.from(document.querySelectorAll<HTMLTableElement>('table[data-bp-grid]'))) setupInlineCells(table);
