import type { LadderInputs, TitleRef } from './inputs.ts';

/** LadderInputs held in memory, for tests that do not need the training, accreditation and volunteering modules. */
export class FakeInputs implements LadderInputs {
  readonly courseDone = new Map<string, Set<string>>();
  readonly quals = new Map<string, Set<string>>();
  readonly minutes = new Map<string, number>();
  readonly dbs = new Set<string>();
  calls = 0;

  /** Give a member what a level needs. */
  grant(memberId: string, what: { courses?: string[]; qualifications?: string[]; minutes?: number; dbs?: boolean }): this {
    const c = this.courseDone.get(memberId) ?? new Set();
    for (const k of what.courses ?? []) c.add(k);
    this.courseDone.set(memberId, c);
    const q = this.quals.get(memberId) ?? new Set();
    for (const k of what.qualifications ?? []) q.add(k);
    this.quals.set(memberId, q);
    if (what.minutes !== undefined) this.minutes.set(memberId, what.minutes);
    if (what.dbs) this.dbs.add(memberId);
    return this;
  }

  /** Take a qualification away (e.g. it lapsed between asking and approval). */
  revoke(memberId: string, kind: string): this {
    this.quals.get(memberId)?.delete(kind);
    return this;
  }

  private pick<V>(m: Map<string, V>, ids?: readonly string[]): Map<string, V> {
    this.calls++;
    if (!ids) return new Map(m);
    return new Map([...m].filter(([k]) => ids.includes(k)));
  }

  async completedCourses(_db: unknown, _tenantId: string, memberIds?: readonly string[]) {
    return this.pick(this.courseDone, memberIds);
  }
  async validQualifications(_db: unknown, _tenantId: string, _onDate: string, memberIds?: readonly string[]) {
    return this.pick(this.quals, memberIds);
  }
  async approvedMinutes(_db: unknown, _tenantId: string, memberIds?: readonly string[]) {
    return this.pick(this.minutes, memberIds);
  }
  async dbsInDate() {
    this.calls++;
    return new Set(this.dbs);
  }
  async courses(): Promise<TitleRef[]> {
    return [
      { key: 'induction', title: 'Induction', titlePl: 'Wprowadzenie' },
      { key: 'safeguarding-awareness', title: 'Safeguarding awareness', titlePl: 'Ochrona dzieci: podstawy' },
      { key: 'running-a-group', title: 'Running a group', titlePl: 'Prowadzenie grupy' },
      { key: 'street-champion-induction', title: 'Street champion induction', titlePl: 'Wprowadzenie dla liderów ulicy' },
    ];
  }
  async qualificationKinds(): Promise<TitleRef[]> {
    return [{ key: 'safeguarding', title: 'Safeguarding', titlePl: 'Ochrona dzieci' }];
  }
}
