import type { Translate } from './i18n/index.ts';

/** The label every demo record carries wherever it is shown (`parent-mutual demo load`). */
export function DemoTag({ t }: { t: Translate }) {
  return (
    <>
      {' '}
      <span class="tag demo">{t('demo.tag')}</span>
    </>
  );
}

/** Said above any page whose figures include demo records. */
export function DemoNotice({ t }: { t: Translate }) {
  return (
    <p class="notice demo" role="note">
      {t('demo.notice')}
    </p>
  );
}
