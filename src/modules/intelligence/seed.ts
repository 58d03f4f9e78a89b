import type { Executor } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { intelCategories, intelSettings } from './schema.ts';

/** The shipped taxonomy (issue 10 item 1): keys are stable, titles are the tenant's to edit. */
export const DEFAULT_CATEGORIES = [
  { key: 'demographics', title: 'Changing demographics', titlePl: 'Zmiany w społeczności', description: 'New arrivals, languages spoken, families moving in or out.', descriptionPl: 'Nowo przybyłe rodziny, używane języki, rodziny wprowadzające się lub wyprowadzające.' },
  { key: 'drugs-alcohol', title: 'Drug and alcohol use', titlePl: 'Narkotyki i alkohol', description: 'Signs of drug or alcohol use affecting families or public spaces.', descriptionPl: 'Oznaki używania narkotyków lub alkoholu, które wpływają na rodziny lub miejsca publiczne.' },
  { key: 'housing', title: 'Housing and overcrowding', titlePl: 'Mieszkania i przeludnienie', description: 'Overcrowding, damp, repairs not done, families in temporary housing.', descriptionPl: 'Przeludnienie, wilgoć, niewykonane naprawy, rodziny w mieszkaniach tymczasowych.' },
  { key: 'road-safety', title: 'Road safety', titlePl: 'Bezpieczeństwo na drogach', description: 'Speeding, unsafe crossings, parking near schools and play areas.', descriptionPl: 'Zbyt szybka jazda, niebezpieczne przejścia, parkowanie przy szkołach i placach zabaw.' },
  { key: 'play-spaces', title: 'Play spaces', titlePl: 'Miejsca do zabawy', description: 'Play areas missing, broken, unsafe or too far away.', descriptionPl: 'Brak placów zabaw, zepsute lub niebezpieczne urządzenia, zbyt daleko od domu.' },
  { key: 'isolation', title: 'Isolation', titlePl: 'Samotność i izolacja', description: 'Parents without support nearby, families who rarely come out.', descriptionPl: 'Rodzice bez wsparcia w pobliżu, rodziny, które rzadko wychodzą z domu.' },
  { key: 'food-fuel-poverty', title: 'Food and fuel poverty', titlePl: 'Ubóstwo żywnościowe i energetyczne', description: 'Families going without food, heating or electricity.', descriptionPl: 'Rodziny, którym brakuje jedzenia, ogrzewania lub prądu.' },
  { key: 'service-gaps', title: 'Gaps in services', titlePl: 'Brakujące usługi', description: 'Services families need that are missing, full or hard to reach.', descriptionPl: 'Usługi potrzebne rodzinom, których brakuje, które są pełne lub trudno dostępne.' },
  { key: 'other', title: 'Other', titlePl: 'Inne', description: 'Anything else the mutual should know about the area.', descriptionPl: 'Wszystko inne, o czym organizacja powinna wiedzieć.' },
] as const;

/**
 * Per-tenant defaults (manifest `seedTenant`): the settings row (24 months' retention) and the
 * categories that are missing by key. Idempotent: a coordinator's edits and deactivations stay.
 */
export async function seedIntelligence(tx: Executor, tenantId: string): Promise<void> {
  await tx.insert(intelSettings).values({ tenantId, textRetentionMonths: 24 }).onConflictDoNothing();
  await tx
    .insert(intelCategories)
    .values(DEFAULT_CATEGORIES.map((c, i) => ({ tenantId, id: newId(), key: c.key, title: c.title, titlePl: c.titlePl, description: c.description, descriptionPl: c.descriptionPl, sortOrder: (i + 1) * 10 })))
    .onConflictDoNothing({ target: [intelCategories.tenantId, intelCategories.key] });
}
