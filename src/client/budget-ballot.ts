/**
 * The budget ballot's running total (commissioning): as choices change, the status line shows what
 * they cost against the budget, and the count of choices or points (wording from the page's data-msg-* attributes, from the catalogue). Without it the page's "Check
 * the total" button does the same on the server; the server re-checks every ballot either way.
 */
const form = document.getElementById('ballot');
const out = form?.querySelector('output');
if (form instanceof HTMLFormElement && out) {
  const budget = Number(form.dataset.budget ?? '0');
  const max = Number(form.dataset.max ?? '') || 0;
  const points = Number(form.dataset.points ?? '') || 0;
  const locale = form.dataset.locale === 'pl' ? 'pl-PL' : 'en-GB';
  const msg = (key: 'msgRunning' | 'msgChoices' | 'msgPoints' | 'msgOver', values: Record<string, string | number>) => (form.dataset[key] ?? '').replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
  const money = (pence: number) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'GBP', minimumFractionDigits: pence % 100 === 0 ? 0 : 2 }).format(pence / 100);
  const update = () => {
    let cost = 0;
    let chosen = 0;
    let given = 0;
    for (const input of Array.from(form.querySelectorAll<HTMLInputElement>('input[data-cost]'))) {
      const c = Number(input.dataset.cost ?? '0');
      if (input.type === 'checkbox' && input.checked) {
        cost += c;
        chosen++;
      } else if (input.type === 'number') {
        const n = Math.max(0, Math.floor(Number(input.value) || 0));
        if (n > 0) cost += c;
        given += n;
      }
    }
    const parts = [msg('msgRunning', { cost: money(cost), budget: money(budget) })];
    if (points) parts.push(msg('msgPoints', { n: given, total: points }));
    else if (max) parts.push(msg('msgChoices', { n: chosen, max }));
    const over = cost > budget || (max > 0 && chosen > max) || (points > 0 && given > points);
    if (over) parts.push(msg('msgOver', {}));
    out.textContent = parts.join(' ');
    out.closest('.card')?.classList.toggle('over', over);
  };
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();
}
