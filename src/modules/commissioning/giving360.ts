import type { Db } from '../../db/connection.ts';
import { toCsv } from '../../lib/csv.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { wardNamesByIds } from '../tenancy/views.ts';
import { serviceCards } from '../resources/views.ts';
import type { RoundResult } from './counting.ts';
import { contractFigures } from './contracts.ts';
import { getPot } from './ledger.ts';
import { proposalsOfRound } from './proposals.ts';
import { listRounds } from './rounds.ts';

/**
 * Awards (funded proposals of published rounds) in the 360Giving Data Standard 1.4
 * (https://standard.threesixtygiving.org, CC BY 4.0): one grant per funded proposal, amounts in
 * pounds, the wards as beneficiary locations by their ONS ward code (geoCodeType WD).
 * Identifiers: the mutual has no registered 360Giving prefix, so ids use `360G-pm-<tenant slug>-`
 * and organisations a local `XI-PM-` scheme until it has one.
 */
export interface Grant360 {
  id: string;
  title: string;
  description: string;
  currency: 'GBP';
  amountAwarded: number;
  /** Paid so far on the proposal's contract (approved milestone payments), when it has one. */
  amountDisbursed?: number;
  /** The contract's start and end dates, when it has one. */
  plannedDates?: Array<{ startDate: string; endDate: string }>;
  awardDate: string;
  url?: string;
  recipientOrganization: Array<{ id: string; name: string }>;
  fundingOrganization: Array<{ id: string; name: string }>;
  beneficiaryLocation: Array<{ name: string; geoCode: string; geoCodeType: 'WD'; countryCode: 'GB' }>;
  grantProgramme: Array<{ code: string; title: string }>;
  dataSource?: string;
}

export async function awards360(db: Db, tenant: Tenant, baseUrl: string, awardDate: (roundCreated: Date) => string): Promise<{ grants: Grant360[]; version: string; title: string; license: string; publisher: { name: string } }> {
  const rounds = (await listRounds(db, tenant.id)).filter((r) => r.phase === 'published');
  const services = new Map((await serviceCards(db, tenant.id)).map((s) => [s.id, s]));
  const grants: Grant360[] = [];
  const funder = { id: `XI-PM-${tenant.slug}`, name: tenant.name };
  const contracts = await contractFigures(db, tenant.id);
  for (const round of rounds) {
    const winners = new Set(((round.result as RoundResult | null)?.winners ?? []));
    const pot = await getPot(db, tenant.id, round.potId);
    for (const p of await proposalsOfRound(db, tenant.id, round.id, { eligibleOnly: true })) {
      if (!winners.has(p.id)) continue;
      const svc = p.serviceId ? services.get(p.serviceId) : undefined;
      // A signed contract names the recipient; before that, the proposal's provider.
      const contract = contracts.get(p.id);
      const recipientName = contract?.providerName ?? svc?.providerName ?? (p.providerText || 'To be commissioned');
      const recipientId = contract?.providerId ? `XI-PM-${tenant.slug}-provider-${contract.providerId}` : contract ? `XI-PM-${tenant.slug}-contract-${contract.contractId}` : svc ? `XI-PM-${tenant.slug}-provider-${svc.providerId}` : `XI-PM-${tenant.slug}-proposal-${p.id}`;
      const wards = await wardNamesByIds(db, tenant.id, p.wardIds);
      grants.push({
        id: `360G-pm-${tenant.slug}-${p.id}`,
        title: p.title,
        description: p.summary,
        currency: 'GBP',
        amountAwarded: p.costPence / 100,
        ...(contract ? { amountDisbursed: contract.paidPence / 100, plannedDates: [{ startDate: contract.startsOn, endDate: contract.endsOn }] } : {}),
        awardDate: awardDate(round.createdAt),
        url: `${baseUrl}/budget/rounds/${round.id}`,
        recipientOrganization: [{ id: recipientId, name: recipientName }],
        fundingOrganization: [funder],
        beneficiaryLocation: wards.map((w) => ({ name: w.name, geoCode: w.code, geoCodeType: 'WD' as const, countryCode: 'GB' as const })),
        grantProgramme: [{ code: round.id, title: pot ? `${round.title} (${pot.name}, ${pot.financialYear})` : round.title }],
        dataSource: `${baseUrl}/budget/rounds/${round.id}/result.json`,
      });
    }
  }
  return { grants, version: '1.4', title: `${tenant.name}: participatory budgeting awards`, license: 'https://creativecommons.org/licenses/by/4.0/', publisher: { name: tenant.name } };
}

/** The same grants as a flat 360Giving CSV (the standard's column titles). */
export function awards360Csv(grants: readonly Grant360[]): string {
  const header = ['Identifier', 'Title', 'Description', 'Currency', 'Amount Awarded', 'Amount Disbursed', 'Planned Dates:Start Date', 'Planned Dates:End Date', 'Award Date', 'URL', 'Recipient Org:Identifier', 'Recipient Org:Name', 'Funding Org:Identifier', 'Funding Org:Name', 'Grant Programme:Code', 'Grant Programme:Title', 'Beneficiary Location:Name', 'Beneficiary Location:Geographic Code', 'Beneficiary Location:Geographic Code Type'];
  const rows = grants.map((g) => [g.id, g.title, g.description, g.currency, String(g.amountAwarded), g.amountDisbursed === undefined ? '' : String(g.amountDisbursed), g.plannedDates?.[0]?.startDate ?? '', g.plannedDates?.[0]?.endDate ?? '', g.awardDate, g.url ?? '', g.recipientOrganization[0]?.id ?? '', g.recipientOrganization[0]?.name ?? '', g.fundingOrganization[0]?.id ?? '', g.fundingOrganization[0]?.name ?? '', g.grantProgramme[0]?.code ?? '', g.grantProgramme[0]?.title ?? '', g.beneficiaryLocation.map((l) => l.name).join('; '), g.beneficiaryLocation.map((l) => l.geoCode).join('; '), g.beneficiaryLocation.length ? 'WD' : '']);
  return toCsv([header, ...rows]);
}
