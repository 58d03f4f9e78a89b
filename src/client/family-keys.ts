/**
 * The local hasher on /resources/family-keys (issue 11): reads the provider's CSV in the browser,
 * replaces the family reference column with its key (HMAC-SHA256 with the tenant secret, the same
 * function as the CLI: src/modules/resources/family-keys.ts) and offers the new file to save. The
 * file is never sent anywhere: there is no request in this script.
 */
import { hashFamilyCsv, HashCsvError } from '../modules/resources/family-keys.ts';
import { readCsvRows } from '../lib/csv.ts';

function start(): void {
  const section = document.getElementById('family-hasher');
  const form = document.getElementById('family-hasher-form') as HTMLFormElement | null;
  const result = document.getElementById('family-hasher-result');
  if (!section || !form || !result || !globalThis.crypto?.subtle) return;
  const secret = section.dataset.secret ?? '';
  section.hidden = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = form.elements.namedItem('file') as HTMLInputElement;
    const column = (form.elements.namedItem('column') as HTMLInputElement).value.trim() || 'family_ref';
    const file = input.files?.[0];
    if (!file) return;
    void file.text().then(async (text) => {
      result.replaceChildren();
      try {
        const { csv, rows } = await hashFamilyCsv(text, secret, column);
        const p = document.createElement('p');
        p.textContent = (result.dataset.done ?? '{n}').replace('{n}', String(rows));
        const link = document.createElement('a');
        link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
        link.download = file.name.replace(/\.csv$/i, '') + '-hashed.csv';
        link.className = 'button';
        link.textContent = result.dataset.download ?? 'Save';
        const caption = document.createElement('p');
        caption.textContent = result.dataset.preview ?? '';
        const table = document.createElement('table');
        readCsvRows(csv)
          .slice(0, 6)
          .forEach((r, i) => {
            const tr = document.createElement('tr');
            for (const cell of r.cells) {
              const td = document.createElement(i === 0 ? 'th' : 'td');
              td.textContent = cell;
              tr.append(td);
            }
            table.append(tr);
          });
        const wrap = document.createElement('div');
        wrap.className = 'table-wrap';
        wrap.tabIndex = 0;
        wrap.setAttribute('role', 'region');
        wrap.setAttribute('aria-label', caption.textContent);
        wrap.append(table);
        result.append(p, link, caption, wrap);
      } catch (e) {
        const p = document.createElement('p');
        p.className = 'error';
        p.textContent = e instanceof HashCsvError ? e.message : String(e);
        result.append(p);
      }
    });
  });
}

start();
