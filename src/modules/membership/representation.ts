import type { Executor } from '../../db/connection.ts';
import { isoDate } from '../../lib/dates.ts';
import { suppressRate, suppressTable, type Cell } from '../../lib/suppression.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { areaOverview, pickWardSet, wardsOf } from '../tenancy/views.ts';
import { hasMembershipDemo } from './demo.ts';
import { activeRepresentatives, memberCountsByWard } from './queries.ts';

export interface CoverageRow {
  wardId: string;
  code: string;
  name: string;
  childrenUnder5: number | null;
  members: number;
  representatives: Array<{ appointmentId: string; memberId: string; name: string; startsOn: string; isDemo: boolean }>;
}

export interface Coverage {
  setName: string;
  setKey: string;
  rows: CoverageRow[];
  /** Active members without a ward (not counted in any ward row). */
  membersWithoutWard: number;
  wardsWithoutRep: number;
  /** Demo members are loaded (`parent-mutual demo load`): the figures include made-up people. */
  demo: boolean;
}

/** Members and active ward representatives per ward of the current ward set (exact figures). */
export async function wardCoverage(db: Executor, tenant: Tenant, onDate = isoDate()): Promise<Coverage> {
  const set = pickWardSet(await areaOverview(db, tenant), undefined);
  const [wards, counts, reps, demo] = await Promise.all([wardsOf(db, tenant, set), memberCountsByWard(db, tenant.id), activeRepresentatives(db, tenant.id, onDate), hasMembershipDemo(db, tenant.id)]);
  const countBy = new Map(counts.map((r) => [r.wardId ?? '', r.n]));
  const rows = wards.map((w) => ({
    wardId: w.id,
    code: w.code,
    name: w.name,
    childrenUnder5: w.childrenUnder5,
    members: countBy.get(w.id) ?? 0,
    representatives: reps.filter((r) => r.wardId === w.id).map((r) => ({ appointmentId: r.id, memberId: r.memberId, name: r.name, startsOn: r.startsOn, isDemo: r.isDemo })),
  }));
  const inWards = new Set(wards.map((w) => w.id));
  const membersWithoutWard = counts.filter((c) => !c.wardId || !inWards.has(c.wardId)).reduce((s, c) => s + c.n, 0);
  return { setName: set.name, setKey: set.key, rows, membersWithoutWard, wardsWithoutRep: rows.filter((r) => r.representatives.length === 0).length, demo };
}

export interface PublishedCoverageRow {
  code: string;
  name: string;
  members: Cell;
  perThousandUnder5: Cell;
  hasRepresentative: boolean;
}

/**
 * The public version (METRICS.md): member counts 1–5 hidden, with secondary suppression against
 * the published total; rates from hidden counts hidden. Whether a ward has a representative is
 * public (representatives speak for their ward), but not how many or who.
 */
export function publishCoverage(coverage: Coverage): { rows: PublishedCoverageRow[]; total: Cell } {
  const table = suppressTable({ rows: coverage.rows.map((r) => ({ key: r.code, cells: [r.members] })), columnTotals: true });
  const rows = coverage.rows.map((r, i) => {
    const members = table.rows[i]?.cells[0] ?? { value: null, suppressed: true };
    const perThousandUnder5 =
      r.childrenUnder5 && r.childrenUnder5 > 0
        ? suppressRate(r.members, r.childrenUnder5, { per: 1000, decimals: 1, numeratorSuppressed: members.suppressed })
        : { value: null, suppressed: false };
    return { code: r.code, name: r.name, members, perThousandUnder5, hasRepresentative: r.representatives.length > 0 };
  });
  return { rows, total: table.columnTotals?.[0] ?? { value: null, suppressed: true } };
}
